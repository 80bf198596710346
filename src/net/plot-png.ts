import { existsSync } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { Trace } from './trace.js';
import { renderTracePlotSvg, type TracePlotOptions } from './plot.js';

/**
 * PNG output for the trace plot. Vega renders PNG only through the native `canvas` package, which abrlab does
 * not install (shared/TOOLCHAIN.md §2); instead the SVG Vega makes is rasterised by Debian's Chromium, driven
 * by playwright-core (never downloads a browser; TOOLCHAIN.md §3, the same pair the report's browser tests
 * use). Every wait is bounded: launch, page load and screenshot each time out, and the browser is always closed.
 */
export interface PngOptions {
  /** Chromium executable (default: $ABRLAB_CHROMIUM, else /usr/bin/chromium). */
  chromiumPath?: string;
  /** Upper bound on each browser step, ms (default 20 s). */
  timeoutMs?: number;
  /** Device pixels per CSS pixel (default 1; 2 gives a sharper image twice as wide). */
  scale?: number;
}

const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const DEFAULT_TIMEOUT_MS = 20_000;

/** Width and height of an SVG's root element, px (Vega writes both as plain numbers). */
export function svgSizePx(svg: string): { widthPx: number; heightPx: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string): number => Number(new RegExp(`\\s${name}="([\\d.]+)"`).exec(root)?.[1] ?? NaN);
  const widthPx = attr('width');
  const heightPx = attr('height');
  if (!(widthPx > 0) || !(heightPx > 0)) throw new InputError('the SVG root has no numeric width and height');
  return { widthPx, heightPx };
}

/** Rasterises an SVG document to PNG bytes in headless Chromium. */
export async function svgToPng(svg: string, opts: PngOptions = {}): Promise<Buffer> {
  const executablePath = opts.chromiumPath ?? process.env['ABRLAB_CHROMIUM'] ?? DEFAULT_CHROMIUM;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!existsSync(executablePath)) {
    throw new InputError(
      `PNG output needs Chromium at ${executablePath} (apt-get install chromium, or set ABRLAB_CHROMIUM); ` +
        'SVG output (--out FILE.svg) needs nothing',
    );
  }
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new InputError('PNG output needs the playwright-core package (npm install playwright-core); SVG output needs nothing');
  }
  const { widthPx, heightPx } = svgSizePx(svg);
  const browser = await playwright.chromium.launch({
    executablePath,
    headless: true,
    timeout: timeoutMs,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const render = async (): Promise<Buffer> => {
      const page = await browser.newPage({
        viewport: { width: Math.ceil(widthPx), height: Math.ceil(heightPx) },
        deviceScaleFactor: opts.scale ?? 1,
      });
      page.setDefaultTimeout(timeoutMs);
      // Nothing external is loaded: the SVG is inline and self-contained.
      await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`, {
        waitUntil: 'load',
        timeout: timeoutMs,
      });
      return page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: widthPx, height: heightPx }, timeout: timeoutMs });
    };
    // Belt and braces: one overall bound in case a step has no timeout of its own (TOOLCHAIN.md §3 pitfall b).
    const overall = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`PNG rendering took longer than ${3 * timeoutMs} ms`)), 3 * timeoutMs);
    });
    return await Promise.race([render(), overall]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    await browser.close();
  }
}

/** The trace plot as PNG bytes (SVG by Vega-Lite, rasterised by Chromium). */
export async function renderTracePlotPng(trace: Trace, opts: TracePlotOptions & PngOptions = {}): Promise<Buffer> {
  return svgToPng(await renderTracePlotSvg(trace, opts), opts);
}
