/**
 * writeReport over tiny hand-made results directories. Every expected figure is computed by hand in the
 * comments (fixtures.ts gives the sessions), not taken from the code's output.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import type { SessionResult, SessionTimeline } from '../../src/qoe/types.js';
import { sessionKey, type ReportSession } from '../../src/report/types.js';
import { writeReport } from '../../src/report/write-report.js';
import { NASTY_POLICY, sessionA, sessionB, sessionC, sessionD, summaryOf } from './fixtures.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'abrlab-write-report-'));
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

const SUMMARY = { abrlab: '0.1.0', kind: 'run', scenario: 'tiny', seed: 7, command: 'abrlab run tiny.yaml --out tiny', sessions: 4, policies: [] };

function strip<T extends { timeline?: SessionTimeline }>(r: T): Omit<T, 'timeline'> {
  const { timeline: _timeline, ...rest } = r;
  return rest;
}

async function makeDir(name: string, rows: readonly ReportSession[], extra: Record<string, string> = {}): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'results.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await writeFile(path.join(dir, 'summary.json'), JSON.stringify(SUMMARY));
  for (const [file, text] of Object.entries(extra)) await writeFile(path.join(dir, file), text);
  return dir;
}

/** The cell of `stat` in the summary row of (group, metric), tags removed. */
function cell(html: string, group: string, metric: string, stat: string): string {
  const row = new RegExp(`<tr data-group="${group}" data-metric="${metric}">(.*?)</tr>`).exec(html)?.[1] ?? '';
  const td = new RegExp(`<td class="num" data-stat="${stat}">(.*?)</td>`).exec(row)?.[1];
  expect(td, `${group} ${metric} ${stat}`).toBeDefined();
  return (td ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('writeReport: four hand-made sessions, two groups on different traces', () => {
  // A (bola, QoE 80) and B (the nasty policy) have their timelines in timelines.jsonl; C and D (bola) have none,
  // and resolveTimeline knows D's only. A and C carry a cost; B and D do not.
  const rows: ReportSession[] = [
    { ...strip(sessionA), cost: { usd: 0.02 } },
    strip(sessionB),
    { ...sessionC, cost: { usd: 0.01 } },
    sessionD,
  ];
  let dir = '';
  let html = '';
  let resolved: string[] = [];

  beforeAll(async () => {
    const timelines = [sessionA, sessionB].map((s) => JSON.stringify({ key: sessionKey(s), timeline: s.timeline })).join('\n') + '\n';
    dir = await makeDir('four', rows, { 'timelines.jsonl': timelines, 'scenario.yaml': 'name: tiny\npolicies: [bola]\n' });
    resolved = [];
    const written = await writeReport({
      dir,
      interactive: false,
      resolveTimeline: (s) => {
        resolved.push(s.trace);
        return s.trace === 'trace-3' ? sessionA.timeline : undefined;
      },
    });
    html = await readFile(written.html, 'utf8');
  });

  it('shows the hand-computed mean, median, p5 and p95 of QoE with their intervals', () => {
    // bola QoE 80, 71, 50: mean 67; sample variance ((13)² + 4² + (−17)²) / 2 = 237, s = 15.395, s/√3 = 8.888;
    // t(0.975, 2) = 4.3027 → half-width 38.243 → [28.76, 105.24]. Median 71; with n = 3 its order-statistic
    // interval spans ranks 1…3 → [50, 80]. Type-7 quantiles of (50, 71, 80): p5 at h = 0.1 → 50 + 0.1 × 21 =
    // 52.10; p95 at h = 1.9 → 71 + 0.9 × 9 = 79.10.
    expect(cell(html, 'bola', 'qoe', 'mean')).toBe('67.00 [28.76, 105.24]');
    expect(cell(html, 'bola', 'qoe', 'median')).toBe('71.00 [50.00, 80.00]');
    expect(cell(html, 'bola', 'qoe', 'p5')).toBe('52.10');
    expect(cell(html, 'bola', 'qoe', 'p95')).toBe('79.10');
    // One session: no interval at all.
    expect(cell(html, 'mpc &lt;b&gt;&amp;&quot;x&quot;', 'qoe', 'mean')).toBe('60.00');
  });

  it('shows the other metrics in their display units', () => {
    // Bitrate 1500, 2400, 900 → mean 1600, median 1500. Rebuffer ratio (fixtures: stall / (play + stall))
    // 11.111 %, 0 %, 5 % → mean 5.37, median 5.00. Startup 2500, 1600, 2500 ms → median 2500.
    expect(cell(html, 'bola', 'avgBitrateKbps', 'mean').split(' ')[0]).toBe('1600');
    expect(cell(html, 'bola', 'avgBitrateKbps', 'median').split(' ')[0]).toBe('1500');
    expect(cell(html, 'bola', 'rebufferRatioPct', 'mean').split(' ')[0]).toBe('5.37');
    expect(cell(html, 'bola', 'rebufferRatioPct', 'median').split(' ')[0]).toBe('5.00');
    expect(cell(html, 'bola', 'startupMs', 'median').split(' ')[0]).toBe('2500');
    // Stall time 1.5 s, 0, 0.5 s → mean 0.67 s.
    expect(cell(html, 'bola', 'rebufferS', 'mean').split(' ')[0]).toBe('0.67');
  });

  it('writes results.csv with one row per session, in order, quoted where needed', async () => {
    const csv = (await readFile(path.join(dir, 'results.csv'), 'utf8')).split('\n');
    expect(csv).toHaveLength(6); // header, four rows, and the empty string after the last newline
    expect(csv[0]).toBe(
      'group,policy,variant,trace,video,profile,seed,replicate,qoeReference,qoeLin,qoeLog,qoeHd,startupMs,rebufferMs,rebufferCount,' +
        'rebufferRatio,avgBitrateKbps,switchCount,playMs,completion,bytes,endReason,costUsd,errorKind,seekCount,seekLatencyMeanMs,' +
        'cdnHitRatio,thumbnailLatencyP95Ms,transitionGapMeanMs,prefetchWastedBytes,liveLatencyMeanMs,branchStallMs',
    );
    // The fixtures have no error, seeks, CDNs, thumbnails or content types: those nine columns are empty.
    const empty9 = ',,,,,,,,,';
    // A: rebufferRatio = 1500 / 13500 = 0.1111… (shortest round-trip form), cost 0.02 US$.
    expect(csv[1]).toBe('bola,bola,,trace-1,demo-video,fluid,7,,80,0,0,0,2500,1500,1,0.1111111111111111,1500,2,12000,1,0,,0.02' + empty9);
    // B: the policy has a quote, so the field is quoted with its quotes doubled; the trace has none of , " CR LF.
    expect(csv[2]).toBe(`"mpc <b>&""x""","mpc <b>&""x""",,trace '2' <i>,demo-video,fluid,7,,60,0,0,0,500,0,0,0,750,0,8000,1,0,,` + empty9);
    expect(csv[4]?.startsWith('bola,bola,,trace-3,')).toBe(true);
    expect(csv[5]).toBe('');
  });

  it('draws best, median and worst per group from timelines.jsonl and resolveTimeline, and says when it has none', async () => {
    // bola: best A (80, timelines.jsonl), median C (71, none anywhere), worst D (50, resolveTimeline).
    // The nasty group has one session, drawn once. resolveTimeline is asked only for what the directory lacks.
    expect(resolved.sort()).toEqual(['trace-2', 'trace-3']);
    const charts = (await readdir(path.join(dir, 'charts'))).sort();
    expect(charts).toEqual(['qoe-cdf.svg', 'switches.svg', 'timeline-1-bola-best.svg', 'timeline-1-bola-worst.svg', 'timeline-2-mpc-b-x-best.svg', 'tradeoff.svg', 'cost.svg'].sort());
    expect(html.match(/data-pick="/g)).toHaveLength(4);
    expect(html).toContain('<div class="pick-head" data-pick="median" data-group="bola">');
    expect(html.match(/Timeline not kept for this session/g)).toHaveLength(1);
    const svg = await readFile(path.join(dir, 'charts', 'timeline-1-bola-best.svg'), 'utf8');
    expect(svg.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<svg')).toBe(true);
    // Session A spans 0–16 s on 720 px = 45 px/s: its stall (10.5–12 s) is a rect at x = 472.5 px, 67.5 px wide,
    // over the 200 px rate panel, and its abandonment at 8 s a rule at x = 360 px named by its label.
    expect(svg).toMatch(/<g class="mark-rect role-mark rate_stalls_marks"[^>]*><path [^>]*d="M472\.5,0h67\.5v200h-67\.5Z" fill="#e15759" opacity="0\.3"/);
    expect(svg).toMatch(/<line aria-label="abandoned segment 2 at 2500 kbps" [^>]*transform="translate\(360,0\)"[^>]* stroke="#b2182b"/);
    // Drawn in the group's colour (bola: palette colour 0).
    expect(svg).toMatch(/class="mark-line role-mark played_marks"[^>]*><path [^>]*stroke="#0072B2"/);
  });

  it('shows cost per streaming hour from the sessions that carry a cost', () => {
    // bola: A and C carry 0.02 + 0.01 = 0.03 US$ over 12 s + 8 s = 20 s = 1/180 h → 5.40 US$/h. The nasty
    // group carries no cost and has no row.
    expect(html).toMatch(/<tr data-group="bola">.*?<td class="num" data-stat="usd-per-hour">5\.4000<\/td>/);
    const costTable = /<table class="cost">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    expect(costTable.match(/<tr data-group=/g)).toHaveLength(1);
  });

  it('pairs nothing (different traces), colours groups in order, shows how to reproduce', () => {
    expect(html).not.toContain('id="ab"');
    // First group seen gets palette colour 0, the second colour 1, in the table and in the CDF's scale.
    expect(html).toContain('<th scope="row"><span class="swatch" style="background:#0072B2"></span>bola</th>');
    expect(html).toContain('<span class="swatch" style="background:#E69F00"></span>mpc &lt;b&gt;&amp;&quot;x&quot;</th>');
    expect(html).toContain('<code>abrlab run tiny.yaml --out tiny</code>');
    expect(html).toContain('policies: [bola]');
    expect(html).not.toContain(NASTY_POLICY);
  });

  it('is offline without the interactive layer: no script, no URL but SVG namespaces', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html.replace(/\sxmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '')).not.toMatch(/https?:\/\//);
  });

  it('gives the same bytes when rendered again, and leaves summary.json alone', async () => {
    const again = await writeReport({ dir, interactive: false, resolveTimeline: (s) => (s.trace === 'trace-3' ? sessionA.timeline : undefined) });
    expect(await readFile(again.html, 'utf8')).toBe(html);
    expect(JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'))).toEqual(SUMMARY);
  });
});

/** A session of `policy` on `trace` with reference QoE `qoe` (other figures fixed). */
function session(policy: string, trace: string, qoe: number, rebufferMs = 0): SessionResult {
  return {
    profile: 'fluid',
    policy,
    trace,
    video: 'v',
    seed: 1,
    segments: [],
    summary: summaryOf({ qoe, startupMs: 1000, rebufferMs, rebufferCount: rebufferMs > 0 ? 1 : 0, playMs: 10_000, avgBitrateKbps: 2000, switchCount: 1 }),
  };
}

describe('writeReport: A/B', () => {
  // Control QoE 60, 70, 80 and treatment 66, 72, 84 on traces t1…t3: differences 6, 2, 4 → mean 4, s = 2,
  // s/√3 = 1.1547, t(0.975, 2) = 4.3027 → ±4.968 → [−0.97, 8.97]; relative 4 / 70 = +5.71 %.
  const rows = [session('ctl', 't1', 60), session('trt', 't1', 66), session('ctl', 't2', 70), session('trt', 't2', 72), session('ctl', 't3', 80), session('trt', 't3', 84)];

  it('pairs two groups on the same traces and applies the reference rule itself', async () => {
    const dir = await makeDir('ab-auto', rows);
    const html = await readFile((await writeReport({ dir, interactive: false })).html, 'utf8');
    const qoeRow = /<tr data-metric="QoE \(0–100\)">(.*?)<\/tr>/.exec(html)?.[1] ?? '';
    const cells = [...qoeRow.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(cells).toEqual(['70.00', '+4.00 [-0.97, 8.97]', '+5.71 % [-1.38, 12.81]', 'no clear change']);
    // +5.71 % is above 2 % but the interval includes 0: keep the control.
    expect(html).toContain('<strong>Keep the control</strong>');
    expect(await readdir(path.join(dir, 'charts'))).toContain('ab-per-trace.svg');
  });

  it('shows the decision and figures of a hand-written ab.json', async () => {
    const ab = {
      kind: 'ab', abrlab: '0.1.0', scenario: 'ab', command: 'abrlab ab ab.yaml', seed: 1, design: 'paired', alpha: 0.05,
      bootstrap: { resamples: 2000, seed: 'ab/1' },
      arms: [{ name: 'control', policy: 'ctl', sessions: 3 }, { name: 'fast', policy: 'trt', sessions: 3 }],
      control: 'control', holmFamilySize: 2,
      comparisons: [{
        control: 'control', treatment: 'fast', unmatched: 0, pairs: [],
        metrics: [
          { metric: 'qoeReference', higherIsBetter: true, n: 3, nControl: 3, nTreatment: 3, controlMean: 70, treatmentMean: 74, meanDiff: 4, relativeDiffPct: 5.714, ci: { low: 2, high: 6, level: 0.95, method: 'bootstrap-percentile', resamples: 2000 }, test: 'wilcoxon-signed-rank', pValue: 0.01, pHolm: 0.02, effectSize: { kind: 'cohens-dz', value: 2 }, significant: true, verdict: 'better' },
          { metric: 'rebufferRatio', higherIsBetter: false, n: 3, nControl: 3, nTreatment: 3, controlMean: 0.02, treatmentMean: 0.01, meanDiff: -0.01, relativeDiffPct: -50, ci: { low: -0.015, high: -0.005, level: 0.95, method: 'bootstrap-percentile', resamples: 2000 }, test: 'wilcoxon-signed-rank', pValue: 0.03, pHolm: 0.03, effectSize: { kind: 'cohens-dz', value: -1 }, significant: true, verdict: 'better' },
        ],
        decision: { action: 'rollout', reason: 'QoE +5.7 % (> 2 %), Holm p = 0.02 < 0.05: roll out', metric: 'qoeReference', improvementPct: 5.714, thresholdPct: 2, significant: true },
      }],
    };
    const dir = await makeDir('ab-json', rows, { 'ab.json': JSON.stringify(ab) });
    const html = await readFile((await writeReport({ dir, interactive: false })).html, 'utf8');
    expect(html).toContain('<strong>Roll out the treatment</strong><div>QoE +5.7 % (&gt; 2 %), Holm p = 0.02 &lt; 0.05: roll out</div>');
    // rebufferRatio 0.02 → 2.00 %, difference −0.01 → −1.00 points [−1.50, −0.50], Holm p 0.0300.
    const row = /<tr data-metric="Rebuffer ratio \(%\)">(.*?)<\/tr>/.exec(html)?.[1] ?? '';
    const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(cells).toEqual(['2.00', '-1.00 [-1.50, -0.50]', '-50.00 % [-75.00, -25.00]', '0.0300', 'better']);
    expect(html).toContain('2000 resamples');
  });
});

describe('writeReport: user mistakes', () => {
  it('rejects a missing directory and one without results.jsonl, naming them', async () => {
    const missing = path.join(root, 'nope');
    await expect(writeReport({ dir: missing })).rejects.toThrow(InputError);
    await expect(writeReport({ dir: missing })).rejects.toThrow(`${missing}: no such results directory`);
    const empty = path.join(root, 'empty');
    await mkdir(empty, { recursive: true });
    await expect(writeReport({ dir: empty })).rejects.toThrow(/no results\.jsonl here/);
  });

  it('names the file and line of a malformed result', async () => {
    const dir = await makeDir('bad', [sessionC]);
    await writeFile(path.join(dir, 'results.jsonl'), `${JSON.stringify(sessionC)}\n{"policy": "x",\n`);
    await expect(writeReport({ dir })).rejects.toThrow(`${path.join(dir, 'results.jsonl')}:2: invalid JSON`);
    await writeFile(path.join(dir, 'results.jsonl'), `${JSON.stringify(sessionC)}\n{"policy": "x"}\n`);
    await expect(writeReport({ dir })).rejects.toThrow(`${path.join(dir, 'results.jsonl')}:2: not a session result`);
  });
});

describe('writeReport: startup breakdown (sessions that ran the startup flow)', () => {
  it('shows the mean duration of each step and the mean time to first frame per group', async () => {
    // Two bola sessions: auth 80 and 60 ms → mean 70; licence 150 and 250 → 200; first frames at 1500 and 2500 →
    // 2000; licence requests 1 and 2 → 1.50. A session without the flow is left out of the means.
    const steps = (auth: number, licence: number) => ({ auth: { startMs: 0, endMs: auth }, licence: { startMs: auth, endMs: auth + licence } });
    const rows: ReportSession[] = [
      { ...strip(sessionA), summary: { ...sessionA.summary, startupMs: 1500 }, startupSteps: { steps: steps(80, 150), licenceAttempts: 1, licenceErrors: [] } },
      { ...sessionC, summary: { ...sessionC.summary, startupMs: 2500 }, startupSteps: { steps: steps(60, 250), licenceAttempts: 2, licenceErrors: ['LICENSE_EXPIRED'] } },
      sessionD,
    ];
    const dir = await makeDir('startup', rows);
    await writeReport({ dir });
    const page = await readFile(path.join(dir, 'index.html'), 'utf8');
    const row = /<table class="startup">[\s\S]*?<tr data-group="bola">(.*?)<\/tr>/.exec(page)?.[1] ?? '';
    const cells = [...row.matchAll(/<td class="num"[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
    // sessions, auth, playbackApi, manifest, licence, bookmark, licence requests, time to first frame
    expect(cells).toEqual(['2', '70', '', '', '200', '', '1.50', '2000']);
  });
});

describe('writeReport: optional measures', () => {
  it('shows a measure only when some session has it: seek latency here, no live latency', async () => {
    // Seek latencies 100 and 300 ms → mean 200; the third session did not seek and is left out of the mean.
    const rows: ReportSession[] = [
      { ...strip(sessionA), summary: { ...sessionA.summary, seekCount: 1, seekLatencyMeanMs: 100 } },
      { ...sessionC, summary: { ...sessionC.summary, seekCount: 2, seekLatencyMeanMs: 300 } },
      sessionD,
    ];
    const dir = await makeDir('optional', rows);
    await writeReport({ dir });
    const page = await readFile(path.join(dir, 'index.html'), 'utf8');
    const table = /<table class="summary optional">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
    expect(table).toContain('Seek latency');
    expect(table).not.toContain('Live latency');
    expect(cell(table, 'bola', 'seekLatencyMs', 'mean').startsWith('200')).toBe(true);
    const csv = (await readFile(path.join(dir, 'results.csv'), 'utf8')).split('\n');
    const header = (csv[0] ?? '').split(',');
    expect(csv[1]?.split(',')[header.indexOf('seekLatencyMeanMs')]).toBe('100');
  });
});
