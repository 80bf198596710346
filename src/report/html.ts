/**
 * HTML assembly for the run report: page shell and stylesheet, header, per-policy summary table, chart figures.
 * Every user-supplied string is escaped here (escape.ts); chart SVG comes from Vega, which escapes its own text.
 * The page loads nothing: no script, no web font, no stylesheet link, and a Content-Security-Policy that forbids
 * fetches, so it works offline, from a file, attached to a CI run or printed.
 */
import { escapeHtml } from './escape.js';
import { formatFixed } from './format.js';
import { FONT_STACK } from './palette.js';
import type { PolicySummaryRow } from './policy-summary.js';

/** Columns of the summary table: header (with its unit) and how a row's value is printed. */
const SUMMARY_COLUMNS: readonly { header: string; title: string; cell: (row: PolicySummaryRow) => string }[] = [
  { header: 'Sessions', title: 'Number of sessions', cell: (r) => String(r.sessions) },
  { header: 'QoE mean (0–100)', title: 'Reference composite QoE, mean', cell: (r) => formatFixed(r.qoeMean, 2) },
  { header: 'QoE median (0–100)', title: 'Reference composite QoE, median', cell: (r) => formatFixed(r.qoeMedian, 2) },
  { header: 'Startup (ms)', title: 'Time to first frame, mean', cell: (r) => formatFixed(r.startupMsMean, 0) },
  {
    header: 'Rebuffer ratio (%)',
    title: 'Stall time / (play time + stall time), mean of per-session ratios',
    cell: (r) => formatFixed(r.rebufferRatioPctMean, 2),
  },
  {
    header: 'Rebuffers (count)',
    title: 'Stalls after startup per session, mean',
    cell: (r) => formatFixed(r.rebufferCountMean, 2),
  },
  {
    header: 'Avg bitrate (kbps)',
    title: 'Time-average played bitrate, mean',
    cell: (r) => formatFixed(r.avgBitrateKbpsMean, 0),
  },
  {
    header: 'Switches (count)',
    title: 'Representation switches per session, mean',
    cell: (r) => formatFixed(r.switchCountMean, 2),
  },
];

/** The per-policy summary table, with the policy's chart colour as a swatch. */
export function summaryTableHtml(rows: readonly PolicySummaryRow[], colors: ReadonlyMap<string, string>): string {
  const head = SUMMARY_COLUMNS.map((c) => `<th scope="col" title="${escapeHtml(c.title)}">${escapeHtml(c.header)}</th>`);
  const body = rows.map((row) => {
    const color = colors.get(row.policy) ?? '#000000';
    const cells = SUMMARY_COLUMNS.map((c) => `<td class="num">${escapeHtml(c.cell(row))}</td>`);
    return (
      `<tr data-policy="${escapeHtml(row.policy)}"><th scope="row"><span class="swatch" style="background:${escapeHtml(color)}">` +
      `</span>${escapeHtml(row.policy)}</th>${cells.join('')}</tr>`
    );
  });
  return (
    '<table class="summary">\n<caption>Per-policy summary: means over sessions unless marked median</caption>\n' +
    `<thead><tr><th scope="col">Policy</th>${head.join('')}</tr></thead>\n` +
    `<tbody>\n${body.join('\n')}\n</tbody>\n</table>`
  );
}

/** One rendered chart with its caption. `svg` is trusted Vega output; `caption` is escaped here. */
export function chartFigureHtml(args: { id: string; svg: string; caption: string }): string {
  return `<figure class="chart" id="${escapeHtml(args.id)}">\n${args.svg}\n<figcaption>${escapeHtml(args.caption)}</figcaption>\n</figure>`;
}

/** Key–value list of how the report was produced. */
export function metaListHtml(items: readonly { label: string; value: string; code?: boolean }[]): string {
  const rows = items.map((item) => {
    const value = escapeHtml(item.value);
    return `<dt>${escapeHtml(item.label)}</dt><dd>${item.code === true ? `<code>${value}</code>` : value}</dd>`;
  });
  return `<dl class="meta">\n${rows.join('\n')}\n</dl>`;
}

/** A collapsed block of preformatted text (the scenario file). */
export function preformattedDetailsHtml(summary: string, text: string): string {
  return `<details>\n<summary>${escapeHtml(summary)}</summary>\n<pre>${escapeHtml(text)}</pre>\n</details>`;
}

/** The whole page. `bodyHtml` is already escaped markup. */
export function pageHtml(args: { title: string; generator: string; bodyHtml: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(args.generator)}">
<title>${escapeHtml(args.title)}</title>
<style>
${STYLESHEET}
</style>
</head>
<body>
${args.bodyHtml}
</body>
</html>
`;
}

/** Light theme that prints well: black on white, thin greys, no background images; charts never split a page. */
const STYLESHEET = `:root { color-scheme: light; }
body { font-family: ${FONT_STACK}; font-size: 15px; line-height: 1.45; color: #1a1a1a; background: #fff;
  max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.25rem; margin: 32px 0 8px; border-bottom: 1px solid #ddd; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.85em; }
pre { background: #f6f6f6; border: 1px solid #e2e2e2; padding: 10px 12px; overflow-x: auto; white-space: pre-wrap; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 16px; }
dl.meta dt { color: #555; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
table.summary { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 8px 0; }
table.summary caption { caption-side: bottom; text-align: left; color: #555; font-size: 0.85em; padding-top: 6px; }
table.summary th, table.summary td { border-bottom: 1px solid #e2e2e2; padding: 5px 10px; }
table.summary thead th { border-bottom: 2px solid #999; text-align: right; vertical-align: bottom; font-weight: 600; }
table.summary thead th:first-child, table.summary tbody th { text-align: left; }
table.summary tbody th { font-weight: 600; white-space: nowrap; }
td.num { text-align: right; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 6px; border-radius: 2px; vertical-align: -0.05em;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
figure.chart { margin: 16px 0 24px; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.85em; }
.note { color: #555; }
@media print { body { padding: 0; max-width: none; font-size: 11pt; } figure.chart, table.summary { break-inside: avoid; } }`;
