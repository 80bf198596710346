import { describe, expect, it } from 'vitest';
import { renderRunReport, type RunReportInput } from '../../src/report/run-report.js';
import { NASTY_POLICY, NASTY_TRACE, sessionA, sessionB, sessionC, sessionD } from './fixtures.js';

const input: RunReportInput = {
  name: 'demo <scenario> & "friends"',
  version: '0.1.0',
  command: 'abrlab run scenarios/demo.yaml --seed 7',
  seed: 7,
  scenarioText: 'name: demo\npolicies: [bola, "mpc <b>&"]\n',
  results: [sessionA, sessionB, sessionC, sessionD],
  timelines: [sessionA, sessionB],
};

const html = await renderRunReport(input);

/** Cell texts of the summary row of `policy` (its name as it appears, escaped, in `data-policy`). */
function rowCells(escapedPolicy: string): string[] {
  const row = new RegExp(`<tr data-policy="${escapedPolicy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">(.*?)</tr>`).exec(html);
  expect(row, `summary row for ${escapedPolicy}`).not.toBeNull();
  return [...(row?.[1] ?? '').matchAll(/<td class="num">(.*?)<\/td>/g)].map((m) => m[1] ?? '');
}

/** The `<figure>` blocks of the timeline charts, in order. */
const figures = [...html.matchAll(/<figure class="chart" id="([^"]+)">([\s\S]*?)<\/figure>/g)];

describe('renderRunReport', () => {
  it('draws exactly one inline <svg> per timeline, each in its own figure and titled with trace and policy', () => {
    expect(html.match(/<svg[\s>]/g)?.length).toBe(input.timelines.length);
    expect(html.match(/<\/svg>/g)?.length).toBe(input.timelines.length);
    expect(figures.map((f) => f[1])).toEqual(['timeline-1', 'timeline-2']);
    for (const figure of figures) expect(figure[2]?.match(/<svg[\s>]/g)?.length).toBe(1);
    // Chart titles are SVG <text>; Vega escapes them ("—" joins trace and policy, see timelineTitle).
    expect(figures[0]?.[2]).toContain('>trace-1 — bola</text>');
    expect(figures[1]?.[2]).toContain(`>trace '2' &lt;i&gt; — mpc &lt;b&gt;&amp;"x"</text>`);
  });

  it('loads nothing: no script, no stylesheet link, no URL other than the SVG namespaces', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/@import/i);
    const withoutNamespaces = html.replace(/\sxmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
    expect(withoutNamespaces).not.toMatch(/https?:\/\//);
    // Only in-document references (clip paths) are allowed in url(...).
    for (const m of html.matchAll(/url\(([^)]*)\)/g)) expect(m[1]).toMatch(/^#/);
  });

  it('summarises each policy with hand-computed means and medians, formatted', () => {
    // bola: sessions A, C, D.
    //   QoE 80, 71, 50: mean 201/3 = 67.00, median 71.00
    //   startup 2500, 1600, 2500 ms: mean 6600/3 = 2200
    //   rebuffer ratio 1500/13500 = 11.111 %, 0 %, 500/10000 = 5 %: mean 16.111/3 = 5.370 → 5.37
    //   rebuffer count 1, 0, 2: mean 1.00; avg bitrate 1500, 2400, 900: mean 4800/3 = 1600
    //   switches 2, 1, 4: mean 7/3 = 2.333 → 2.33
    expect(rowCells('bola')).toEqual(['3', '67.00', '71.00', '2200', '5.37', '1.00', '1600', '2.33']);
    // The nasty policy: session B alone (QoE 60, startup 500 ms, no stall, 750 kbps, no switch).
    expect(rowCells('mpc &lt;b&gt;&amp;&quot;x&quot;')).toEqual(['1', '60.00', '60.00', '500', '0.00', '0.00', '750', '0.00']);
  });

  it('puts the unit of every summary column in its header', () => {
    const header = /<thead>(.*?)<\/thead>/.exec(html)?.[1] ?? '';
    const headers = [...header.matchAll(/<th [^>]*>(.*?)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual([
      'Policy',
      'Sessions',
      'QoE mean (0–100)',
      'QoE median (0–100)',
      'Startup (ms)',
      'Rebuffer ratio (%)',
      'Rebuffers (count)',
      'Avg bitrate (kbps)',
      'Switches (count)',
    ]);
  });

  it('escapes user text everywhere: the raw policy, trace, scenario name and file never appear', () => {
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('<scenario>');
    expect(html).not.toContain(NASTY_POLICY);
    expect(html).not.toContain(NASTY_TRACE);
    expect(html).toContain('<h1>demo &lt;scenario&gt; &amp; &quot;friends&quot;</h1>');
    expect(html).toContain('<th scope="row"><span class="swatch" style="background:#E69F00"></span>mpc &lt;b&gt;&amp;&quot;x&quot;</th>');
    expect(html).toContain('policies: [bola, &quot;mpc &lt;b&gt;&amp;&quot;]');
  });

  it('shades the stall of session A as a rect at 10.5–12 s in its chart, and none in session B', () => {
    // x scale: 0–16 s onto 720 px = 45 px/s, so the stall spans x = 10.5 × 45 = 472.5 px, width 1.5 × 45 =
    // 67.5 px, over the whole 200 px rate panel.
    const stallGroup = /<g class="mark-rect role-mark rate_stalls_marks"[^>]*>(.*?)<\/g>/.exec(figures[0]?.[2] ?? '');
    expect(stallGroup).not.toBeNull();
    expect(stallGroup?.[1]).toMatch(/<path [^>]*d="M472\.5,0h67\.5v200h-67\.5Z" fill="#e15759" opacity="0\.3"/);
    expect(figures[1]?.[2]).not.toContain('rate_stalls_marks');
  });

  it('marks the abandonment of session A as a rule at 8 s and the seek of session B at 4 s', () => {
    // A: 8 s × 45 px/s = 360 px. B: 0–8.5 s onto 720 px, 4 s → 4 × 720 / 8.5 = 338.82 px.
    const eventsA = /<g class="mark-rule role-mark events_marks"[^>]*>(.*?)<\/g>/.exec(figures[0]?.[2] ?? '');
    expect(eventsA?.[1]).toMatch(
      /<line aria-label="abandoned segment 2 at 2500 kbps" [^>]*transform="translate\(360,0\)"[^>]* stroke="#b2182b"/,
    );
    const eventsB = /<g class="mark-rule role-mark events_marks"[^>]*>(.*?)<\/g>/.exec(figures[1]?.[2] ?? '');
    expect(eventsB?.[1]).toMatch(/<line aria-label="seek to 20 s" [^>]*transform="translate\(338\.82\d*,0\)"[^>]* stroke="#5e3c99"/);
  });

  it('gives a policy the same colour in the table and in its chart lines', () => {
    // bola is the first policy seen: palette colour 0 (#0072B2); the nasty policy is second (#E69F00).
    expect(html).toContain('<tr data-policy="bola"><th scope="row"><span class="swatch" style="background:#0072B2">');
    expect(figures[0]?.[2]).toMatch(/class="mark-line role-mark played_marks"[^>]*><path [^>]*stroke="#0072B2"/);
    expect(figures[1]?.[2]).toMatch(/class="mark-line role-mark played_marks"[^>]*><path [^>]*stroke="#E69F00"/);
  });

  it('is byte-identical when rendered again (SVG ids do not depend on what was rendered before)', async () => {
    expect(await renderRunReport(input)).toBe(html);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says so when no timeline was kept, and still renders the table', async () => {
    const page = await renderRunReport({ ...input, timelines: [] });
    expect(page).not.toMatch(/<svg/);
    expect(page).toContain('No session timelines were kept for this run.');
    expect(page).toContain('<tr data-policy="bola">');
  });
});
