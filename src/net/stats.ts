import { bitsBetween, traceFromPeriods, type Trace } from './trace.js';

/**
 * Summary statistics of a trace over one loop. All of them are TIME-WEIGHTED: a period counts in proportion
 * to its duration, not once per line, so a file with irregular sampling (Puffer, Norway) is summarised by
 * what a downloader would see. (An unweighted mean of a cooked file's second column differs.)
 */
export interface TraceStats {
  name: string;
  durationMs: number;
  periods: number;
  /** Time-weighted mean capacity = capacity of one loop / its duration, kbps. */
  meanKbps: number;
  /** Time-weighted quantiles: the smallest rate r with (time at rate <= r) >= q × duration, kbps. */
  medianKbps: number;
  p5Kbps: number;
  p95Kbps: number;
  minKbps: number;
  maxKbps: number;
  /** Time-weighted standard deviation / mean. */
  coefficientOfVariation: number;
  /** Threshold used for `shareBelow`, kbps. */
  belowKbps: number;
  /** Share of time (0..1) with capacity strictly below `belowKbps`. */
  shareBelow: number;
  /** Rate at or under which a period counts as an outage, kbps. */
  outageKbps: number;
  /** Maximal runs of outage periods; a run spanning the loop's end and start counts once (traces loop). */
  outageCount: number;
  longestOutageMs: number;
  /** Share of time (0..1) in outage. */
  outageShare: number;
  /** Present if the trace carries per-period latency: time-weighted mean, ms. */
  meanLatencyMs?: number;
  /** Present if the capacity was averaged over windows of this many ms first (`averageOverWindows`). */
  windowMs?: number;
}

export interface TraceStatsOptions {
  /** Threshold for the share of time below it, kbps (default 1000: below ~ SD video). */
  belowKbps?: number;
  /** A period with rate <= this is an outage, kbps (default 0: no capacity at all). */
  outageKbps?: number;
}

export const DEFAULT_BELOW_KBPS = 1000;
export const DEFAULT_OUTAGE_KBPS = 0;

export function traceStats(trace: Trace, opts: TraceStatsOptions = {}): TraceStats {
  const belowKbps = opts.belowKbps ?? DEFAULT_BELOW_KBPS;
  const outageKbps = opts.outageKbps ?? DEFAULT_OUTAGE_KBPS;
  const n = trace.rateKbps.length;
  const total = trace.durationMs;
  const dur = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dur[i] = (i + 1 < n ? (trace.startMs[i + 1] as number) : total) - (trace.startMs[i] as number);
  }
  const rate = trace.rateKbps;
  let bits = 0;
  let minKbps = Infinity;
  let maxKbps = -Infinity;
  let belowMs = 0;
  let latencyWeighted = 0;
  for (let i = 0; i < n; i++) {
    const r = rate[i] as number;
    const d = dur[i] as number;
    bits += r * d;
    if (r < minKbps) minKbps = r;
    if (r > maxKbps) maxKbps = r;
    if (r < belowKbps) belowMs += d;
    if (trace.latencyMs !== undefined) latencyWeighted += (trace.latencyMs[i] as number) * d;
  }
  const meanKbps = bits / total;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += ((rate[i] as number) - meanKbps) ** 2 * (dur[i] as number);
  const sdKbps = Math.sqrt(sq / total);

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (rate[a] as number) - (rate[b] as number));
  const quantile = (q: number): number => {
    const target = q * total;
    let acc = 0;
    for (const i of order) {
      acc += dur[i] as number;
      if (acc >= target) return rate[i] as number;
    }
    return maxKbps;
  };

  const outages = outageRuns(rate, dur, outageKbps);
  const stats: TraceStats = {
    name: trace.name,
    durationMs: total,
    periods: n,
    meanKbps,
    medianKbps: quantile(0.5),
    p5Kbps: quantile(0.05),
    p95Kbps: quantile(0.95),
    minKbps,
    maxKbps,
    coefficientOfVariation: meanKbps > 0 ? sdKbps / meanKbps : 0,
    belowKbps,
    shareBelow: belowMs / total,
    outageKbps,
    outageCount: outages.count,
    longestOutageMs: outages.longestMs,
    outageShare: outages.totalMs / total,
  };
  if (trace.latencyMs !== undefined) stats.meanLatencyMs = latencyWeighted / total;
  return stats;
}

/** Maximal runs of periods with rate <= threshold; the run at the end joins the one at the start. */
function outageRuns(
  rate: Float64Array,
  dur: Float64Array,
  thresholdKbps: number,
): { count: number; longestMs: number; totalMs: number } {
  const runs: number[] = [];
  let cur = -1;
  for (let i = 0; i < rate.length; i++) {
    if ((rate[i] as number) <= thresholdKbps) {
      cur = cur < 0 ? (dur[i] as number) : cur + (dur[i] as number);
    } else if (cur >= 0) {
      runs.push(cur);
      cur = -1;
    }
  }
  const startsInOutage = rate.length > 0 && (rate[0] as number) <= thresholdKbps;
  if (cur >= 0) {
    if (startsInOutage && runs.length > 0) runs[0] = (runs[0] as number) + cur;
    else runs.push(cur);
  }
  let longestMs = 0;
  let totalMs = 0;
  for (const r of runs) {
    if (r > longestMs) longestMs = r;
    totalMs += r;
  }
  return { count: runs.length, longestMs, totalMs };
}

/** A fixed-width text table, one trace per row. */
export function formatStatsTable(rows: TraceStats[]): string {
  const header = ['trace', 'dur_s', 'mean_kbps', 'median', 'p5', 'p95', 'cv', 'below', 'outages', 'longest_s'];
  const body = rows.map((s) => [
    s.name,
    (s.durationMs / 1000).toFixed(1),
    s.meanKbps.toFixed(0),
    s.medianKbps.toFixed(0),
    s.p5Kbps.toFixed(0),
    s.p95Kbps.toFixed(0),
    s.coefficientOfVariation.toFixed(3),
    `${(s.shareBelow * 100).toFixed(1)}%`,
    String(s.outageCount),
    (s.longestOutageMs / 1000).toFixed(1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => (r[c] as string).length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('  ');
  const first = rows[0];
  const windowed = rows.filter((r) => r.windowMs !== undefined).map((r) => `${r.name} (${r.windowMs} ms)`);
  const note =
    first === undefined
      ? ''
      : `\n(time-weighted; "below" = share of time under ${first.belowKbps} kbps; outage = rate <= ${first.outageKbps} kbps)` +
        (windowed.length > 0 ? `\n(averaged over windows first: ${windowed.join(', ')})` : '');
  return `${[line(header), ...body.map(line)].join('\n')}${note}\n`;
}

/**
 * The trace averaged over consecutive windows of `windowMs` (the last may be shorter): each window's rate is
 * its capacity / its length, so the total is kept. Mahimahi traces imported at 1 ms look like on/off bursts;
 * `traces stats --window-ms 1000` summarises them as per-second throughput instead.
 */
export function averageOverWindows(trace: Trace, windowMs: number): Trace {
  const n = Math.ceil(trace.durationMs / windowMs);
  const durationsMs = new Float64Array(n);
  const ratesKbps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const from = i * windowMs;
    const to = Math.min(trace.durationMs, from + windowMs);
    durationsMs[i] = to - from;
    ratesKbps[i] = bitsBetween(trace, from, to) / (to - from);
  }
  return traceFromPeriods({ name: trace.name, durationsMs, ratesKbps });
}
