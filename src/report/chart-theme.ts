/**
 * Look shared by every report chart. Charts are rendered light (white background, dark text) so the standalone
 * .svg files paste into papers as they are; in the page, the stylesheet re-themes the same SVG for dark mode
 * through Vega's role classes (html.ts), so no chart is rendered twice.
 */
import type { TopLevelSpec } from 'vega-lite';
import { FONT_STACK } from './palette.js';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Width of the plotting area of a full-width chart, px (the page is 1100 px wide minus margins and legend). */
export const CHART_WIDTH_PX = 720;
/** Width of a half-width chart (two side by side). */
export const HALF_CHART_WIDTH_PX = 380;

/** System fonts, light background, greyscale-friendly grid; axis titles at a readable size. */
export function chartConfig(): NonNullable<TopLevelSpec['config']> {
  return {
    font: FONT_STACK,
    background: '#ffffff',
    view: { stroke: '#d0d0d0' },
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#ececec', labelColor: '#333333', titleColor: '#222222' },
    // Solid legend swatches: the stall and startup bands are translucent, which would wash out their legend entry.
    legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'right', symbolOpacity: 1, symbolType: 'square', labelLimit: 220 },
    title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555555', anchor: 'start' },
  };
}

/** A colour scale mapping group labels to their fixed colours (palette.ts), in the groups' order. */
export function groupColorScale(groups: readonly { label: string; color: string }[]): { domain: string[]; range: string[] } {
  return { domain: groups.map((g) => g.label), range: groups.map((g) => g.color) };
}

/** What a legend or tooltip calls a group: "policy", or "policy · variant" when the run has variants. */
export function groupTitle(groups: readonly { label: string }[]): string {
  return groups.some((g) => g.label.includes(' · ')) ? 'policy · variant' : 'policy';
}
