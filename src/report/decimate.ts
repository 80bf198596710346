/**
 * Decimation of long time series before charting. A session over a fine-grained trace can carry 100k capacity
 * steps; an SVG with that many vertices is megabytes and slow to render (TOOLCHAIN.md §2: 50k points took
 * 286 ms and 748 KiB for one chart), while a chart about 600 px wide cannot show more than a few points per pixel.
 *
 * The rule is M4 aggregation (Jugel et al., "M4: A Visualization-Oriented Time Series Data Aggregation",
 * PVLDB 7(10), 2014): split the time span into equal-width bins and keep, per bin, the first point, the point
 * with the smallest value, the point with the largest value and the last point (earliest point on ties), in
 * time order and without duplicates. With at most four points per bin, `bins = floor(maxPoints / 4)`.
 * Guarantees, for both step functions and polylines:
 * - the first and the last input point are kept (they are the first of the first bin and the last of the last);
 * - every output point is an input point, in the same order, with its exact time and value;
 * - within every bin the output reaches the same minimum and maximum value as the input (the envelope a pixel
 *   column shows is unchanged), and the value carried into each bin is exact, because the last point of every
 *   bin is kept.
 *
 * Step functions (`decimateSteps`, value `v[i]` holds from `t[i]` until `t[i+1]`) are first made minimal,
 * which loses nothing: a point followed by another at the same time is a zero-width step and is dropped, and a
 * point whose value equals the previous point's is no step and is dropped (the last point is always kept,
 * since it marks where the series ends). M4 runs only if the series is still longer than `maxPoints`.
 */

/** A time series: `values[i]` at `tMs[i]`; times non-decreasing. */
export interface TimeSeries {
  tMs: number[];
  values: number[];
}

/** Input series; typed arrays are accepted. */
export interface TimeSeriesInput {
  tMs: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** Smallest useful budget: one bin of first/min/max/last. */
export const MIN_DECIMATION_POINTS = 4;

/** Decimates a step function (value holds until the next point) to at most `maxPoints` points. */
export function decimateSteps(series: TimeSeriesInput, maxPoints: number): TimeSeries {
  checkSeries(series, maxPoints);
  const kept = minimalSteps(series);
  return kept.length <= maxPoints ? pick(series, kept) : pick(series, m4(series, kept, maxPoints));
}

/** Decimates a polyline (linear between points) to at most `maxPoints` points. */
export function decimatePolyline(series: TimeSeriesInput, maxPoints: number): TimeSeries {
  checkSeries(series, maxPoints);
  const all = Array.from({ length: series.tMs.length }, (_, i) => i);
  return all.length <= maxPoints ? pick(series, all) : pick(series, m4(series, all, maxPoints));
}

function checkSeries(series: TimeSeriesInput, maxPoints: number): void {
  if (!Number.isInteger(maxPoints) || maxPoints < MIN_DECIMATION_POINTS) {
    throw new RangeError(`maxPoints must be an integer >= ${MIN_DECIMATION_POINTS}, got ${maxPoints}`);
  }
  if (series.tMs.length !== series.values.length) {
    throw new RangeError(`time series has ${series.tMs.length} times but ${series.values.length} values`);
  }
  for (let i = 1; i < series.tMs.length; i++) {
    if (at(series.tMs, i) < at(series.tMs, i - 1)) {
      throw new RangeError(`time series times must not decrease: tMs[${i}] = ${at(series.tMs, i)} < tMs[${i - 1}]`);
    }
  }
}

/** Indices of the minimal step function equal to the input (see the module comment). */
function minimalSteps(series: TimeSeriesInput): number[] {
  const n = series.tMs.length;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const isLast = i === n - 1;
    if (!isLast && at(series.tMs, i + 1) === at(series.tMs, i)) continue; // zero-width step
    const prev = kept[kept.length - 1];
    if (!isLast && prev !== undefined && at(series.values, prev) === at(series.values, i)) continue; // no change
    kept.push(i);
  }
  return kept;
}

/** M4 over the candidate indices `idx` (increasing), returning kept indices in order. */
function m4(series: TimeSeriesInput, idx: readonly number[], maxPoints: number): number[] {
  const bins = Math.floor(maxPoints / MIN_DECIMATION_POINTS);
  const first = idx[0];
  const last = idx[idx.length - 1];
  if (first === undefined || last === undefined) return [];
  const t0 = at(series.tMs, first);
  const spanMs = at(series.tMs, last) - t0;
  const binOf = (i: number): number =>
    spanMs > 0 ? Math.min(bins - 1, Math.floor(((at(series.tMs, i) - t0) * bins) / spanMs)) : 0;
  const out: number[] = [];
  let k = 0;
  while (k < idx.length) {
    const bin = binOf(at(idx, k));
    const firstI = at(idx, k);
    let minI = firstI;
    let maxI = firstI;
    let lastI = firstI;
    for (; k < idx.length && binOf(at(idx, k)) === bin; k++) {
      const i = at(idx, k);
      if (at(series.values, i) < at(series.values, minI)) minI = i;
      if (at(series.values, i) > at(series.values, maxI)) maxI = i;
      lastI = i;
    }
    const inBin = [firstI, minI, maxI, lastI].sort((a, b) => a - b);
    for (const i of inBin) if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

function pick(series: TimeSeriesInput, idx: readonly number[]): TimeSeries {
  return { tMs: idx.map((i) => at(series.tMs, i)), values: idx.map((i) => at(series.values, i)) };
}

/** Indexed read for indices already known to be in range (noUncheckedIndexedAccess). */
function at(a: ArrayLike<number>, i: number): number {
  const v = a[i];
  if (v === undefined) throw new RangeError(`index ${i} out of range (length ${a.length})`);
  return v;
}
