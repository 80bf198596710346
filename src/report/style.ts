/**
 * The report's stylesheet. Light by default and for print; dark when the reader's system asks for it
 * (prefers-color-scheme), on screen only, so a printout from a dark-mode machine is still black on white.
 * Charts are rendered light (chart-theme.ts); the dark rules recolour their text, grid and background through
 * Vega's role classes, which CSS may do because SVG presentation attributes lose to any style rule.
 */
import { FONT_STACK } from './palette.js';

export const STYLESHEET = `:root { color-scheme: light dark; --fg: #1a1a1a; --muted: #5a5a5a; --bg: #ffffff; --panel: #f6f7f8;
  --rule: #e2e2e2; --rule-strong: #9a9a9a; --accent: #0b5cad; --good: #5e3c99; --bad: #c2410c; --chart-bg: #ffffff; }
@media screen and (prefers-color-scheme: dark) {
  :root { --fg: #e6e6e6; --muted: #a8a8a8; --bg: #16181b; --panel: #1f2226; --rule: #33373c; --rule-strong: #6b7078;
    --accent: #7cb7ff; --good: #b39ddb; --bad: #ff9a5c; --chart-bg: #1b1d21; }
  figure.chart svg.marks > rect:first-child { fill: var(--chart-bg); }
  figure.chart .role-axis-label text, figure.chart .role-axis-title text, figure.chart .role-title-text text,
  figure.chart .role-legend-label text, figure.chart .role-legend-title text { fill: #dcdcdc; }
  figure.chart .role-title-subtitle text { fill: #a8a8a8; }
  figure.chart .role-axis-grid line { stroke: #34383e; }
  figure.chart .role-axis-domain line, figure.chart .role-axis-tick line { stroke: #7a7f87; }
  figure.chart .role-frame > g > path.background { stroke: #3a3e44; }
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { font-family: ${FONT_STACK}; font-size: 15px; line-height: 1.5; color: var(--fg); background: var(--bg);
  max-width: 1120px; margin: 0 auto; padding: 28px 28px 56px; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 1.3rem; margin: 40px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 24px 0 8px; }
a { color: var(--accent); }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.75rem; color: var(--muted); margin: 0 0 4px; }
.lede { color: var(--muted); margin: 0 0 12px; max-width: 75ch; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; margin: 16px 0 8px; }
.card { background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; padding: 10px 14px; }
.card .label { font-size: 0.78rem; color: var(--muted); }
.card .value { font-size: 1.35rem; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.card .value.long { font-size: 1.05rem; }
.card .value small { font-size: 0.8rem; font-weight: 400; color: var(--muted); }
nav.toc { position: sticky; top: 0; z-index: 1; background: var(--bg); border-bottom: 1px solid var(--rule); padding: 6px 0; margin: 8px 0 0;
  font-size: 0.9rem; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav.toc a { text-decoration: none; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.85em; }
pre { background: var(--panel); border: 1px solid var(--rule); padding: 10px 12px; overflow-x: auto; white-space: pre-wrap; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 8px 0 16px; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 8px 0; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 0.82em; padding-top: 6px; max-width: 100ch; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 10px; }
thead th { border-bottom: 2px solid var(--rule-strong); text-align: right; vertical-align: bottom; font-weight: 600; font-size: 0.88em; }
thead th:first-child, tbody th { text-align: left; }
tbody th { font-weight: 600; white-space: nowrap; }
tbody.metric th.metric-head { background: var(--panel); font-weight: 600; border-top: 1px solid var(--rule-strong); }
td.num { text-align: right; white-space: nowrap; }
td .ci, td .sub, th .sub { display: block; font-size: 0.78em; font-weight: 400; color: var(--muted); }
table.summary td .ci { display: inline; margin-left: 6px; }
table.summary th, table.summary td { padding: 3px 10px; }
.metric-head .dir { font-weight: 400; font-size: 0.82em; color: var(--muted); margin-left: 6px; }
.group-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 6px 0; }
.group-legend span { white-space: nowrap; }
td.better { color: var(--good); font-weight: 600; } td.worse { color: var(--bad); font-weight: 600; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 7px; border-radius: 2px; vertical-align: -0.05em;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.banner { border-radius: 8px; padding: 12px 16px; margin: 12px 0; border: 1px solid var(--rule); border-left-width: 6px; background: var(--panel); }
.banner strong { font-size: 1.1rem; }
.banner.go { border-left-color: var(--good); } .banner.stop { border-left-color: var(--bad); }
.badge { display: inline-block; border-radius: 999px; padding: 0 8px; font-size: 0.8em; font-weight: 600; border: 1px solid currentColor; }
.badge.pass { color: var(--good); } .badge.fail { color: var(--bad); }
figure.chart { margin: 18px 0 26px; }
figure.chart > svg, figure.chart .live svg { max-width: 100%; height: auto; display: block; }
figure.chart.is-live > svg { display: none; }
figcaption { color: var(--muted); font-size: 0.85em; margin-top: 4px; max-width: 100ch; }
button.interact { font: inherit; font-size: 0.8rem; margin-left: 8px; padding: 1px 8px; border-radius: 4px; border: 1px solid var(--rule-strong);
  background: var(--panel); color: var(--fg); cursor: pointer; }
.picks { display: grid; gap: 4px; }
.pick-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; margin-top: 14px; }
.pick-head .tag { text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.72rem; font-weight: 700; color: var(--muted); }
details > summary { cursor: pointer; color: var(--accent); margin: 6px 0; }
.note { color: var(--muted); font-size: 0.9em; max-width: 100ch; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.8em; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  body { padding: 0; max-width: none; font-size: 10.5pt; }
  nav.toc, button.interact, .live { display: none !important; }
  figure.chart.is-live > svg { display: block; }
  figure.chart, table, .banner, .card { break-inside: avoid; }
  h2 { break-after: avoid; }
  details > *:not(summary) { display: block; }
}`;
