import { InputError } from '../core/errors.js';

/**
 * A network trace: piecewise-constant capacity. Period i runs from `startMs[i]` to `startMs[i+1]` (the last
 * to `durationMs`) at `rateKbps[i]`. Traces loop: after `durationMs` the pattern repeats from 0.
 *
 * Cumulative capacity at each period start is precomputed, so "bits delivered between t0 and t1" and
 * "when will N more bits have been delivered" are a binary search plus arithmetic (DESIGN.md, "Fast by
 * construction"). Since kbps = bits/ms, capacity is in bits.
 */
export interface Trace {
  readonly name: string;
  /** Start of each period, ms; starts at 0, strictly increasing. */
  readonly startMs: Float64Array;
  /** Capacity of each period, kbps (>= 0). */
  readonly rateKbps: Float64Array;
  /** Optional one-way request latency per period, ms (Sabre traces carry one). */
  readonly latencyMs?: Float64Array;
  /** Length of one loop of the trace, ms. */
  readonly durationMs: number;
  /** Cumulative capacity at each period start, bits; `cumBits[n]` is the capacity of one whole loop. */
  readonly cumBits: Float64Array;
}

export interface TracePeriods {
  name: string;
  /** Period durations in ms (> 0). */
  durationsMs: ArrayLike<number>;
  /** Period rates in kbps (>= 0). */
  ratesKbps: ArrayLike<number>;
  /** Optional per-period latency in ms. */
  latenciesMs?: ArrayLike<number>;
  /** Where the periods came from, for error messages. */
  source?: string;
}

/** Builds a trace from period durations and rates, validating them. */
export function traceFromPeriods(p: TracePeriods): Trace {
  const n = p.durationsMs.length;
  const where = p.source ?? p.name;
  if (n === 0) throw new InputError('trace has no periods', { file: where });
  if (p.ratesKbps.length !== n) throw new InputError('trace durations and rates differ in length', { file: where });
  const startMs = new Float64Array(n);
  const rateKbps = new Float64Array(n);
  const cumBits = new Float64Array(n + 1);
  let t = 0;
  for (let i = 0; i < n; i++) {
    const d = p.durationsMs[i] as number;
    const r = p.ratesKbps[i] as number;
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new InputError(`period ${i + 1} has duration ${d} ms; durations must be positive`, { file: where });
    }
    if (!(r >= 0) || !Number.isFinite(r)) {
      throw new InputError(`period ${i + 1} has rate ${r} kbps; rates must be finite and >= 0`, { file: where });
    }
    startMs[i] = t;
    rateKbps[i] = r;
    cumBits[i + 1] = (cumBits[i] as number) + r * d;
    t += d;
  }
  if (!((cumBits[n] as number) > 0)) {
    throw new InputError('trace capacity is zero everywhere: no download could ever finish', { file: where });
  }
  const trace: Trace = { name: p.name, startMs, rateKbps, durationMs: t, cumBits };
  if (p.latenciesMs !== undefined) {
    if (p.latenciesMs.length !== n) throw new InputError('trace latencies and rates differ in length', { file: where });
    return { ...trace, latencyMs: Float64Array.from(p.latenciesMs) };
  }
  return trace;
}

/** Builds a trace from sample times (ms, first is the origin) and the rate that holds from each time on. */
export function traceFromSamples(p: {
  name: string;
  timesMs: ArrayLike<number>;
  ratesKbps: ArrayLike<number>;
  /** Duration of the last sample; defaults to the mean spacing of the others (or 1 s for a single sample). */
  lastDurationMs?: number;
  source?: string;
}): Trace {
  const n = p.timesMs.length;
  const where = p.source ?? p.name;
  if (n === 0) throw new InputError('trace has no samples', { file: where });
  const durations = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) {
    const d = (p.timesMs[i + 1] as number) - (p.timesMs[i] as number);
    if (!(d > 0)) {
      throw new InputError(`sample ${i + 2} is not later than sample ${i + 1} (times must increase)`, {
        file: where,
        line: i + 2,
      });
    }
    durations[i] = d;
  }
  const span = (p.timesMs[n - 1] as number) - (p.timesMs[0] as number);
  durations[n - 1] = p.lastDurationMs ?? (n > 1 ? span / (n - 1) : 1000);
  return traceFromPeriods({ name: p.name, durationsMs: durations, ratesKbps: p.ratesKbps, source: where });
}

/** A constant-rate trace (one period; loops forever). */
export function constantTrace(rateKbps: number, name = `constant-${rateKbps}kbps`): Trace {
  return traceFromPeriods({ name, durationsMs: [1000], ratesKbps: [rateKbps] });
}

/** Index of the period holding `tInLoopMs` (0 <= t < durationMs). */
export function periodIndexAt(trace: Trace, tInLoopMs: number): number {
  const s = trace.startMs;
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((s[mid] as number) <= tInLoopMs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Capacity rate at time `tMs`, kbps. */
export function rateAt(trace: Trace, tMs: number): number {
  return trace.rateKbps[periodIndexAt(trace, loopTime(trace, tMs))] as number;
}

/** Request latency at `tMs` from the trace's own latency column, or undefined if it has none. */
export function latencyAt(trace: Trace, tMs: number): number | undefined {
  if (trace.latencyMs === undefined) return undefined;
  return trace.latencyMs[periodIndexAt(trace, loopTime(trace, tMs))];
}

function loopTime(trace: Trace, tMs: number): number {
  const t = tMs % trace.durationMs;
  return t < 0 ? t + trace.durationMs : t;
}

/** Cumulative capacity from time 0 to `tMs` (>= 0), bits, counting whole loops. */
export function cumulativeBits(trace: Trace, tMs: number): number {
  const loopBits = trace.cumBits[trace.cumBits.length - 1] as number;
  const loops = Math.floor(tMs / trace.durationMs);
  const t = tMs - loops * trace.durationMs;
  const i = periodIndexAt(trace, t);
  return loops * loopBits + (trace.cumBits[i] as number) + (trace.rateKbps[i] as number) * (t - (trace.startMs[i] as number));
}

/** Capacity between `fromMs` and `toMs`, bits. */
export function bitsBetween(trace: Trace, fromMs: number, toMs: number): number {
  return cumulativeBits(trace, toMs) - cumulativeBits(trace, fromMs);
}

/**
 * Earliest time at which `bits` more bits have been delivered after `fromMs`, ms. Exact for the
 * piecewise-constant model: whole loops are skipped arithmetically, then one binary search.
 */
export function timeToDeliver(trace: Trace, fromMs: number, bits: number): number {
  if (bits <= 0) return fromMs;
  const target = cumulativeBits(trace, fromMs) + bits;
  const loopBits = trace.cumBits[trace.cumBits.length - 1] as number;
  let loops = Math.floor(target / loopBits);
  let rem = target - loops * loopBits;
  // A target exactly at a loop boundary is reached at the end of the previous loop's last non-zero period.
  if (rem === 0 && loops > 0) {
    loops -= 1;
    rem = loopBits;
  }
  // First period whose end capacity reaches rem with a positive rate.
  const c = trace.cumBits;
  let lo = 0;
  let hi = trace.rateKbps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((c[mid + 1] as number) >= rem) hi = mid;
    else lo = mid + 1;
  }
  const rate = trace.rateKbps[lo] as number;
  const within = rate > 0 ? (rem - (c[lo] as number)) / rate : 0;
  const t = loops * trace.durationMs + (trace.startMs[lo] as number) + within;
  // Rounding can put t a hair before fromMs when bits is tiny; time never runs backwards.
  return t < fromMs ? fromMs : t;
}

/** Mean capacity over one loop, kbps. */
export function meanRateKbps(trace: Trace): number {
  return (trace.cumBits[trace.cumBits.length - 1] as number) / trace.durationMs;
}
