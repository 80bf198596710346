import { kbpsToMbps, msToS } from '../core/units.js';
import { bitsBetween, type Trace } from './trace.js';

/**
 * Trace plot: capacity over one loop as a step chart, rendered headless by Vega-Lite to SVG (no canvas
 * package; see shared/TOOLCHAIN.md §2). Traces with more periods than `maxPoints` are averaged into equal
 * time bins first (capacity-preserving: each bin's rate is its bits / its ms), because rendering cost and SVG
 * size grow with the point count (50k points: ~300 ms, 750 KiB).
 */
export interface TracePlotOptions {
  title?: string;
  widthPx?: number;
  heightPx?: number;
  maxPoints?: number;
}

export interface PlotPoint {
  timeS: number;
  mbps: number;
}

/** Step points of the trace (period starts plus the end), decimated to at most `maxPoints` bins. */
export function tracePlotPoints(trace: Trace, maxPoints = 2000): PlotPoint[] {
  const n = trace.rateKbps.length;
  const points: PlotPoint[] = [];
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) {
      points.push({ timeS: msToS(trace.startMs[i] as number), mbps: kbpsToMbps(trace.rateKbps[i] as number) });
    }
  } else {
    const binMs = trace.durationMs / maxPoints;
    for (let b = 0; b < maxPoints; b++) {
      const from = b * binMs;
      points.push({ timeS: msToS(from), mbps: kbpsToMbps(bitsBetween(trace, from, from + binMs) / binMs) });
    }
  }
  const last = points[points.length - 1];
  if (last !== undefined) points.push({ timeS: msToS(trace.durationMs), mbps: last.mbps });
  return points;
}

/** The Vega-Lite spec of the plot (exported so reports can embed it). */
export function tracePlotSpec(trace: Trace, opts: TracePlotOptions = {}): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title ?? trace.name,
    width: opts.widthPx ?? 800,
    height: opts.heightPx ?? 250,
    data: { values: tracePlotPoints(trace, opts.maxPoints) },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'timeS', type: 'quantitative', title: 'time (s)' },
      y: { field: 'mbps', type: 'quantitative', title: 'capacity (Mbit/s)' },
    },
  };
}

/** Renders the plot to an SVG string. Vega and Vega-Lite are imported here, lazily (~200 ms). */
export async function renderTracePlotSvg(trace: Trace, opts: TracePlotOptions = {}): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vl.compile(tracePlotSpec(trace, opts) as unknown as Parameters<typeof vl.compile>[0]);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
