/**
 * The full report page (issue 6): header with key figures, per-group summary tables, distribution charts, the
 * A/B comparison, cost, the best / median / worst session drill-down, and how to reproduce the run. Pure and
 * deterministic: the same input gives the same bytes (no clock, no locale, no random ids).
 */
import type { AbView } from './ab-view.js';
import { EMBED_SCRIPT, specScriptHtml } from './embed.js';
import { escapeHtml } from './escape.js';
import { formatFixed } from './format.js';
import { metaListHtml, preformattedDetailsHtml } from './html.js';
import type { DrillDown, RenderedChart } from './report-charts.js';
import type { ReportData } from './report-data.js';
import { abTableHtml, costTableHtml, csvColumnsHtml, startupTableHtml, summaryTablesHtml, swatchHtml } from './report-tables.js';
import { STYLESHEET } from './style.js';
import type { ReportMeta } from './types.js';

export interface ReportPageInput {
  meta: ReportMeta;
  data: ReportData;
  /** Group label → colour (palette.ts), shared by every table and chart. */
  colors: ReadonlyMap<string, string>;
  overview: readonly RenderedChart[];
  cost?: RenderedChart;
  /** One entry per treatment arm compared with the control (ab.json may hold several; pairing gives one). */
  ab?: { comparisons: readonly { view: AbView; charts: readonly RenderedChart[] }[]; fromAbJson: boolean };
  drill: readonly DrillDown[];
  /** The inert vega bundles (embed.ts); absent: the page has no script and no "Explore" buttons. */
  bundlesHtml?: string;
  /** Files written beside index.html, relative to it, for the reproducibility section. */
  files: readonly string[];
  /** Notes shown under the title (missing summary.json, unpaired sessions, …). */
  notes?: readonly string[];
}

function figureHtml(chart: RenderedChart, interactive: boolean): string {
  const id = `chart-${chart.name}`;
  const live = interactive && chart.interactive;
  const button = live ? ` <button type="button" class="interact" data-target="${id}" title="Interactive view: tooltips; on the scatter plot, zoom with the wheel and pan by dragging">Explore</button>` : '';
  return (
    `<figure class="chart" id="${id}" data-chart="${escapeHtml(chart.name)}">\n${chart.svg}\n` +
    (live ? `<div class="live"></div>\n${specScriptHtml(chart.liveSpec ?? chart.spec)}\n` : '') +
    `<figcaption>${escapeHtml(chart.caption)}${button}</figcaption>\n</figure>`
  );
}

function cardsHtml(input: ReportPageInput): string {
  const { data } = input;
  const best = [...data.groups].sort((a, b) => b.metrics.qoe.mean - a.metrics.qoe.mean)[0];
  const cards: { label: string; value: string; sub?: string }[] = [
    { label: 'Sessions', value: String(data.sessions) },
    { label: 'Groups', value: String(data.groups.length) },
    { label: 'Traces', value: String(data.traces) },
  ];
  if (best !== undefined && data.groups.length > 1) {
    cards.push({ label: 'Highest mean QoE', value: best.label, sub: formatFixed(best.metrics.qoe.mean, 1) });
  } else if (best !== undefined) {
    cards.push({ label: 'Mean QoE (0–100)', value: formatFixed(best.metrics.qoe.mean, 1) });
  }
  for (const { view } of input.ab?.comparisons ?? []) {
    const label = (input.ab?.comparisons.length ?? 0) > 1 ? `A/B: ${view.treatment}` : 'A/B decision';
    cards.push({ label, value: view.decision.rollout ? 'Roll out' : 'Keep control' });
  }
  const html = cards.map(
    (c) =>
      `<div class="card"><div class="label">${escapeHtml(c.label)}</div><div class="value${c.value.length > 16 ? ' long' : ''}">${escapeHtml(c.value)}` +
      `${c.sub !== undefined ? ` <small>${escapeHtml(c.sub)}</small>` : ''}</div></div>`,
  );
  return `<div class="cards">\n${html.join('\n')}\n</div>`;
}

function legendHtml(input: ReportPageInput): string {
  const items = input.data.groups.map((g) => `<span>${swatchHtml(input.colors.get(g.label) ?? '#000000')}${escapeHtml(g.label)}</span>`);
  return `<p class="group-legend">${items.join(' ')}</p>`;
}

function abSectionHtml(input: ReportPageInput, interactive: boolean): string[] {
  const ab = input.ab;
  if (ab === undefined || ab.comparisons.length === 0) return [];
  const source = ab.fromAbJson ? 'Decision of <code>abrlab ab</code> (ab.json)' : 'Decision by the reference rollout rule (QoE up by more than 2 % with a 95 % interval above 0), computed by the report';
  const parts = ['<section id="ab">\n<h2>A/B comparison</h2>'];
  for (const [i, { view: v, charts }] of ab.comparisons.entries()) {
    const suffix = i === 0 ? '' : `-${i + 1}`;
    if (ab.comparisons.length > 1) parts.push(`<h3>${escapeHtml(v.treatment)} vs ${escapeHtml(v.control)}</h3>`);
    parts.push(
      `<p class="lede">${escapeHtml(v.treatment)} (treatment) against ${escapeHtml(v.control)} (control): ${v.pairs} paired sessions (same trace, video and replicate)` +
        `${v.unmatched > 0 ? `, ${v.unmatched} without a partner left out` : ''}.</p>`,
      `<div class="banner ${v.decision.rollout ? 'go' : 'stop'}" id="ab-decision${suffix}"><strong>${v.decision.rollout ? 'Roll out the treatment' : 'Keep the control'}</strong>` +
        `<div>${escapeHtml(v.decision.reason)}</div><div class="note">${source}.</div></div>`,
      abTableHtml(v),
      ...charts.map((c) => figureHtml(c, interactive)),
    );
  }
  parts.push('</section>');
  return parts;
}

function drillHtml(input: ReportPageInput, interactive: boolean): string[] {
  const parts = ['<section id="sessions">\n<h2>Sessions: best, median and worst per group</h2>',
    '<p class="lede">Top panel: link capacity and played bitrate (kbps), startup and stalls shaded, abandonments, seeks and failovers as dashed lines. Bottom panel: buffer level (s). Sessions ranked by reference QoE.</p>'];
  if (input.drill.length === 0) parts.push('<p class="note">No sessions.</p>');
  let current = '';
  for (const d of input.drill) {
    if (d.group.label !== current) {
      current = d.group.label;
      parts.push(`<h3>${swatchHtml(input.colors.get(current) ?? '#000000')}${escapeHtml(current)}</h3>`);
    }
    const s = d.pick.session;
    parts.push(
      `<div class="pick-head" data-pick="${d.kind}" data-group="${escapeHtml(current)}"><span class="tag">${d.kind}</span>` +
        `<span>QoE <strong>${formatFixed(d.pick.qoe, 2)}</strong></span><span>trace <code>${escapeHtml(s.trace)}</code></span>` +
        `<span>${formatFixed(s.summary.avgBitrateKbps, 0)} kbps</span><span>${plural(s.summary.rebufferCount, 'stall')} (${formatFixed(s.summary.rebufferMs / 1000, 2)} s)</span>` +
        `<span>startup ${formatFixed(s.summary.startupMs, 0)} ms</span><span>${plural(s.summary.switchCount, 'switch', 'switches')}</span></div>`,
    );
    parts.push(d.chart !== undefined ? figureHtml(d.chart, interactive) : '<p class="note">Timeline not kept for this session (the producer stored no timeline for it and could not recompute it).</p>');
  }
  parts.push('</section>');
  return parts;
}

/** Renders the page. */
export function renderReportPage(input: ReportPageInput): string {
  const { meta, data } = input;
  const interactive = input.bundlesHtml !== undefined;
  const toc = [['summary', 'Summary'], ['distributions', 'Distributions'], ...(input.ab ? [['ab', 'A/B']] : []), ...(data.groups.some((g) => g.startup !== undefined) ? [['startup', 'Startup']] : []), ...(input.cost ? [['cost', 'Cost']] : []), ['sessions', 'Sessions'], ['reproduce', 'Reproduce']];
  const parts = [
    '<header>',
    `<p class="kicker">abrlab ${escapeHtml(meta.kind ?? 'results')} report</p>`,
    `<h1>${escapeHtml(meta.name)}</h1>`,
    ...(meta.description !== undefined ? [`<p class="lede">${escapeHtml(meta.description)}</p>`] : []),
    ...(input.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    cardsHtml(input),
    `<nav class="toc">${toc.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>`,
    '</header>',
    '<section id="summary">\n<h2>Summary by group</h2>',
    legendHtml(input),
    data.groups.length > 0 ? summaryTablesHtml(data.groups, input.colors, data.sketchRelativeAccuracy) : '<p class="note">No sessions.</p>',
    '</section>',
    '<section id="distributions">\n<h2>Distributions</h2>',
    ...input.overview.map((c) => figureHtml(c, interactive)),
    '</section>',
    ...abSectionHtml(input, interactive),
    ...(data.groups.some((g) => g.startup !== undefined)
      ? ['<section id="startup">\n<h2>Startup: time to first frame by step</h2>', startupTableHtml(data.groups, input.colors), '</section>']
      : []),
    ...(input.cost !== undefined
      ? ['<section id="cost">\n<h2>Cost per streaming hour</h2>', costTableHtml(data.groups, input.colors), figureHtml(input.cost, interactive), '</section>']
      : []),
    ...drillHtml(input, interactive),
    '<section id="reproduce">\n<h2>Reproduce</h2>',
    metaListHtml([
      { label: 'Command', value: meta.command, code: true },
      { label: 'Scenario', value: meta.name },
      { label: 'Seed', value: String(meta.seed) },
      { label: 'abrlab version', value: meta.version },
      { label: 'Re-render', value: 'abrlab report <this directory>', code: true },
      { label: 'Files', value: input.files.join(', ') },
    ]),
    meta.scenarioText !== undefined ? preformattedDetailsHtml('Scenario file (scenario.yaml)', meta.scenarioText) : '<p class="note">The directory holds no scenario.yaml.</p>',
    '<details>\n<summary>Columns of results.csv</summary>',
    csvColumnsHtml(),
    '</details>',
    '</section>',
    `<footer>abrlab ${escapeHtml(meta.version)} · charts drawn with Vega-Lite; every figure is also in charts/*.svg.</footer>`,
  ];
  const csp = interactive
    ? "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline' 'unsafe-eval'"
    : "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="abrlab ${escapeHtml(meta.version)}">
<title>${escapeHtml(`abrlab ${meta.kind ?? 'report'}: ${meta.name}`)}</title>
<style>
${STYLESHEET}
</style>
</head>
<body>
${parts.join('\n')}
${interactive ? `${input.bundlesHtml ?? ''}\n<script>\n${EMBED_SCRIPT}\n</script>` : ''}
</body>
</html>
`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
