/**
 * Vega-Lite spec → inline SVG text, in Node, with Vega's headless renderer (TOOLCHAIN.md §2): no canvas package,
 * no browser, no network; text widths are estimated, which lays out correctly in practice.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Renders one spec to an `<svg>` element's text. `idPrefix` must be unique within the page: several SVGs inlined
 * in one HTML document share one id namespace, and Vega numbers its clip paths with a process-wide counter, so
 * ids are renamed to `<idPrefix>-1`, `<idPrefix>-2`, … in order of appearance. That also keeps the output
 * byte-identical however many charts the process rendered before.
 */
export async function renderSpecToSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  if (!/^[A-Za-z][\w-]*$/.test(idPrefix)) throw new RangeError(`invalid SVG id prefix "${idPrefix}"`);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return scopeSvgIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}

/** Renames every `id="…"` in an SVG text, and its `url(#…)` / `href="#…"` references, to `<prefix>-<n>`. */
export function scopeSvgIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) {
    const id = match[1];
    if (id !== undefined && !renamed.has(id)) renamed.set(id, `${prefix}-${renamed.size + 1}`);
  }
  if (renamed.size === 0) return svg;
  const rename = (id: string): string => renamed.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_m, a: string, id: string, b: string) => a + rename(id) + b)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)(")/g, (_m, a: string, id: string, b: string) => `${a}#${rename(id)}${b}`);
}
