/**
 * The report's tables: the per-group distribution table (mean, median with 95 % intervals, p5, p95 of every
 * metric), the A/B table and the cost table. Pure string building; every user string is escaped here.
 */
import type { AbView } from './ab-view.js';
import { escapeHtml } from './escape.js';
import { formatFixed } from './format.js';
import { METRICS, metricHeader, type ReportMetric } from './metrics.js';
import type { GroupData } from './report-data.js';
import { CSV_COLUMNS } from './csv.js';

/** Metrics of the main table; the Pensieve scores (sums over segments, other scale) get their own, collapsed. */
const MAIN_METRICS = METRICS.filter((m) => !m.optional && !['qoeLin', 'qoeLog', 'qoeHd'].includes(m.id));
const OPTIONAL_METRICS = METRICS.filter((m) => m.optional === true);
const PENSIEVE_METRICS = METRICS.filter((m) => ['qoeLin', 'qoeLog', 'qoeHd'].includes(m.id));

export function swatchHtml(color: string): string {
  return `<span class="swatch" style="background:${escapeHtml(color)}"></span>`;
}

function groupHeadHtml(g: GroupData, colors: ReadonlyMap<string, string>): string {
  return `<th scope="row">${swatchHtml(colors.get(g.label) ?? '#000000')}${escapeHtml(g.label)}</th>`;
}

function intervalHtml(low: number, high: number, digits: number): string {
  if (!Number.isFinite(low) || !Number.isFinite(high)) return '';
  return `<span class="ci">[${formatFixed(low, digits)}, ${formatFixed(high, digits)}]</span>`;
}

function distributionRows(metrics: readonly ReportMetric[], groups: readonly GroupData[], colors: ReadonlyMap<string, string>): string {
  return metrics
    .map((m) => {
      const head = `<tr><th class="metric-head" colspan="6" scope="colgroup" title="${escapeHtml(m.description)}">${escapeHtml(metricHeader(m))}` +
        ` <span class="dir">${m.better === 'higher' ? 'higher is better' : 'lower is better'}</span></th></tr>`;
      const rows = groups.map((g) => {
        const s = g.metrics[m.id];
        const d = m.digits;
        const cells = [
          `<td class="num">${s.n}</td>`,
          `<td class="num" data-stat="mean">${formatFixed(s.mean, d)}${intervalHtml(s.meanLow, s.meanHigh, d)}</td>`,
          `<td class="num" data-stat="median">${formatFixed(s.median, d)}${intervalHtml(s.medianLow, s.medianHigh, d)}</td>`,
          `<td class="num" data-stat="p5">${formatFixed(s.p5, d)}</td>`,
          `<td class="num" data-stat="p95">${formatFixed(s.p95, d)}</td>`,
        ];
        return `<tr data-group="${escapeHtml(g.label)}" data-metric="${m.id}">${groupHeadHtml(g, colors)}${cells.join('')}</tr>`;
      });
      return `<tbody class="metric">\n${head}\n${rows.join('\n')}\n</tbody>`;
    })
    .join('\n');
}

function distributionTable(metrics: readonly ReportMetric[], groups: readonly GroupData[], colors: ReadonlyMap<string, string>, caption: string, cls: string): string {
  return (
    `<div class="table-wrap"><table class="${cls}">\n<caption>${escapeHtml(caption)}</caption>\n` +
    '<thead><tr><th scope="col">Group</th><th scope="col" title="Sessions with a finite value">n</th>' +
    '<th scope="col">Mean<span class="sub">[95 % t interval]</span></th><th scope="col">Median<span class="sub">[95 % interval]</span></th>' +
    '<th scope="col">p5</th><th scope="col">p95</th></tr></thead>\n' +
    `${distributionRows(metrics, groups, colors)}\n</table></div>`
  );
}

/** The per-group summary: every metric's mean and median with intervals, p5 and p95. */
export function summaryTablesHtml(groups: readonly GroupData[], colors: ReadonlyMap<string, string>, sketchRelativeAccuracy: number): string {
  const sketched = groups.some((g) => !g.metrics.qoe.exact);
  const quantileNote = sketched
    ? ` Quantiles of groups above 10,000 sessions come from a DDSketch within ±${formatFixed(sketchRelativeAccuracy * 100, 1)} % of the true value.`
    : ' Quantiles are exact (linear interpolation between order statistics, as numpy and summary.json).';
  const caption =
    'Mean with its Student t 95 % interval; median with its distribution-free 95 % order-statistic interval; 5th and 95th percentiles.' + quantileNote;
  return (
    distributionTable(MAIN_METRICS, groups, colors, caption, 'summary') +
    optionalTable(groups, colors) +
    '\n<details>\n<summary>Pensieve QoE scores (QoE_lin, QoE_log, QoE_hd; sums over segments)</summary>\n' +
    distributionTable(PENSIEVE_METRICS, groups, colors, 'Pensieve’s three QoE models (Mao et al., SIGCOMM 2017), summed over a session’s segments.', 'summary pensieve') +
    '\n</details>'
  );
}

/** Seeks, delivery, trick play and content-type measures, for the metrics some group actually measured. */
function optionalTable(groups: readonly GroupData[], colors: ReadonlyMap<string, string>): string {
  const present = OPTIONAL_METRICS.filter((m) => groups.some((g) => g.metrics[m.id].n > 0));
  if (present.length === 0) return '';
  return '\n' + distributionTable(present, groups, colors, 'Measured only where the run had them: seeks, the CDN model, trick play, episodes, live events or interactive titles (sessions without them are left out).', 'summary optional');
}

function signed(x: number, digits: number): string {
  const t = formatFixed(x, digits);
  return Number.isFinite(x) && x > 0 ? `+${t}` : t;
}

/** The A/B table: control mean, difference with interval, relative difference, p-value and verdict. */
export function abTableHtml(view: AbView): string {
  const hasP = view.metrics.some((m) => m.pValue !== undefined);
  const rows = view.metrics.map((m) => {
    const d = Math.abs(m.controlMean) >= 100 ? 0 : 2;
    const cls = m.verdict === 'unclear' ? '' : ` ${m.verdict}`;
    const verdict = m.verdict === 'unclear' ? 'no clear change' : m.verdict;
    return (
      `<tr data-metric="${escapeHtml(m.label)}"><th scope="row">${escapeHtml(m.label)}</th>` +
      `<td class="num">${formatFixed(m.controlMean, d)}</td>` +
      `<td class="num${cls}">${signed(m.meanDiff, d)}${intervalHtml(m.low, m.high, d)}</td>` +
      `<td class="num${cls}">${signed(m.relativePct, 2)} %${intervalHtml(m.relativeLowPct, m.relativeHighPct, 2)}</td>` +
      (hasP ? `<td class="num">${m.pValue !== undefined ? formatP(m.pValue) : ''}</td>` : '') +
      `<td class="verdict${cls}">${escapeHtml(verdict)}</td></tr>`
    );
  });
  return (
    '<div class="table-wrap"><table class="ab">\n' +
    `<caption>${escapeHtml(view.method)}</caption>\n` +
    `<thead><tr><th scope="col">Metric</th><th scope="col">${escapeHtml(view.control)}<span class="sub">control mean</span></th>` +
    `<th scope="col">Difference<span class="sub">treatment − control [interval]</span></th><th scope="col">Relative<span class="sub">% of control</span></th>` +
    (hasP ? '<th scope="col">p<span class="sub">Holm</span></th>' : '') +
    '<th scope="col">Treatment is</th></tr></thead>\n' +
    `<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`
  );
}

function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.0001 ? '< 0.0001' : formatFixed(p, 4);
}

/** Cost per streaming hour per group, with the split by delivery tier. */
export function costTableHtml(groups: readonly GroupData[], colors: ReadonlyMap<string, string>): string {
  const tiers = [...new Set(groups.flatMap((g) => g.cost?.tiers.map((t) => t.tier) ?? []))];
  const rows = groups.flatMap((g) => {
    const c = g.cost;
    if (c === undefined) return [];
    const tierCells = tiers.map((name) => {
      const t = c.tiers.find((x) => x.tier === name);
      return `<td class="num">${t !== undefined ? `${formatFixed(t.usdPerStreamingHour, 4)}<span class="sub">${formatFixed(t.gbPerStreamingHour, 2)} GB/h</span>` : ''}</td>`;
    });
    return [
      `<tr data-group="${escapeHtml(g.label)}">${groupHeadHtml(g, colors)}<td class="num">${c.sessions}</td><td class="num">${formatFixed(c.streamingHours, 2)}</td>` +
        `<td class="num">${formatFixed(c.usd, 2)}</td><td class="num" data-stat="usd-per-hour">${formatFixed(c.usdPerStreamingHour, 4)}</td>${tierCells.join('')}</tr>`,
    ];
  });
  const tierHeads = tiers.map((t) => `<th scope="col">${escapeHtml(t)}<span class="sub">US$/h</span></th>`).join('');
  return (
    '<div class="table-wrap"><table class="cost">\n<caption>Cost per streaming hour = total delivery cost / total play time (sessions with a cost only).</caption>\n' +
    '<thead><tr><th scope="col">Group</th><th scope="col">Sessions</th><th scope="col">Streaming (h)</th><th scope="col">Cost (US$)</th>' +
    `<th scope="col">US$ per streaming hour</th>${tierHeads}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`
  );
}

const STARTUP_STEPS = ['auth', 'playbackApi', 'manifest', 'licence', 'bookmark'] as const;

/**
 * Time to first frame broken down by startup step (reference §2.1 / §4.2), per group: mean step durations. In the
 * parallel flow the steps overlap, so they do not add up to the time to first frame; in the sequential one they do,
 * plus the first segments.
 */
export function startupTableHtml(groups: readonly GroupData[], colors: ReadonlyMap<string, string>): string {
  const rows = groups.flatMap((g) => {
    const s = g.startup;
    if (s === undefined) return [];
    const steps = STARTUP_STEPS.map((k) => `<td class="num">${s.meanStepMs[k] === undefined ? '' : formatFixed(s.meanStepMs[k] as number, 0)}</td>`);
    return [
      `<tr data-group="${escapeHtml(g.label)}">${groupHeadHtml(g, colors)}<td class="num">${s.sessions}</td>${steps.join('')}` +
        `<td class="num">${formatFixed(s.meanLicenceAttempts, 2)}</td><td class="num" data-stat="ttff">${formatFixed(s.meanTtffMs, 0)}</td></tr>`,
    ];
  });
  const heads = STARTUP_STEPS.map((k) => `<th scope="col">${k}<span class="sub">ms</span></th>`).join('');
  return (
    '<div class="table-wrap"><table class="startup">\n<caption>Mean duration of each startup step and mean time to first frame (from the click), ms.</caption>\n' +
    `<thead><tr><th scope="col">Group</th><th scope="col">Sessions</th>${heads}<th scope="col">Licence requests</th><th scope="col">Time to first frame<span class="sub">ms</span></th></tr></thead>\n` +
    `<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`
  );
}

/** The documentation of results.csv's columns. */
export function csvColumnsHtml(): string {
  const rows = CSV_COLUMNS.map((c) => `<tr><th scope="row"><code>${escapeHtml(c.name)}</code></th><td>${escapeHtml(c.description)}</td></tr>`);
  return `<div class="table-wrap"><table class="csv-columns">\n<thead><tr><th scope="col">Column</th><th scope="col">Meaning (unit)</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`;
}
