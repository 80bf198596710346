import { InputError } from '../../core/errors.js';
import type { Trace } from '../trace.js';

/**
 * Builds a Trace that takes ownership of arrays an importer has already filled, instead of copying them as
 * `traceFromPeriods` does. For a 100 MB CSV (2.4 M rows) that copy is 2 × 19 MB of Float64Array held at the
 * same time as the originals, the difference between staying under and going over the 200 MB RSS budget of
 * issue 4. Shortcut taken for speed and memory (STYLE.md): the caller must not touch the arrays afterwards.
 *
 * Validation is the same as `traceFromPeriods` (positive durations, finite rates >= 0, some capacity), with
 * errors naming `source`.
 */
export interface OwnedPeriods {
  name: string;
  /**
   * On entry: each period's duration in ms (`kind: 'durations'`) or its start time in ms from any origin
   * (`kind: 'starts'`, strictly increasing; the last period then lasts `lastDurationMs`). Overwritten in place
   * with the period starts re-based to 0.
   */
  times: Float64Array;
  kind: 'durations' | 'starts';
  /** Duration of the last period when `kind` is 'starts', ms. */
  lastDurationMs?: number;
  /** Rate of each period, kbps; kept as the trace's `rateKbps`. */
  ratesKbps: Float64Array;
  latenciesMs?: Float64Array;
  source: string;
}

export function adoptTrace(p: OwnedPeriods): Trace {
  const n = p.ratesKbps.length;
  const where = { file: p.source };
  if (n === 0) throw new InputError('trace has no periods', where);
  if (p.times.length !== n) throw new InputError('trace times and rates differ in length', where);
  if (p.latenciesMs !== undefined && p.latenciesMs.length !== n) {
    throw new InputError('trace latencies and rates differ in length', where);
  }
  const t = p.times;
  const rates = p.ratesKbps;
  let durationMs: number;
  if (p.kind === 'durations') {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const d = t[i] as number;
      if (!(d > 0) || !Number.isFinite(d)) {
        throw new InputError(`period ${i + 1} has duration ${d} ms; durations must be positive`, where);
      }
      t[i] = acc;
      acc += d;
    }
    durationMs = acc;
  } else {
    const origin = t[0] as number;
    const last = p.lastDurationMs ?? 0;
    if (!(last > 0) || !Number.isFinite(last)) {
      throw new InputError(`the last period lasts ${last} ms; durations must be positive`, where);
    }
    for (let i = 0; i < n; i++) {
      const s = (t[i] as number) - origin;
      if (!Number.isFinite(s) || (i > 0 && !(s > (t[i - 1] as number)))) {
        throw new InputError(`period ${i + 1} does not start after period ${i}; times must increase`, where);
      }
      t[i] = s;
    }
    durationMs = (t[n - 1] as number) + last;
  }
  const cumBits = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const r = rates[i] as number;
    if (!(r >= 0) || !Number.isFinite(r)) {
      throw new InputError(`period ${i + 1} has rate ${r} kbps; rates must be finite and >= 0`, where);
    }
    const end = i + 1 < n ? (t[i + 1] as number) : durationMs;
    cumBits[i + 1] = (cumBits[i] as number) + r * (end - (t[i] as number));
  }
  if (!((cumBits[n] as number) > 0)) {
    throw new InputError('trace capacity is zero everywhere: no download could ever finish', where);
  }
  const trace: Trace = { name: p.name, startMs: t, rateKbps: rates, durationMs, cumBits };
  return p.latenciesMs !== undefined ? { ...trace, latencyMs: p.latenciesMs } : trace;
}
