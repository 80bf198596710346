/**
 * Paired differences between two groups, computed while sessions stream in. Sessions pair when they share
 * trace, video and replicate (in that order of arrival within the key, so repeated seeds pair first with
 * first): the paired design of issue 5, where the per-trace difference has a fraction of either arm's spread.
 * Memory: the sessions still waiting for their partner (few, since runners emit a trace's arms together) and
 * one running mean per trace.
 */
import { METRICS } from './metrics.js';
import type { PairedData, PerTraceDiff } from './report-data.js';
import { meanInterval } from './stats/intervals.js';
import { RunningMoments } from './stats/moments.js';
import type { ReportSession } from './types.js';

export interface PairingOptions {
  /**
   * Group label of the control arm. Absent: the first group offered becomes the control and the next distinct
   * one the treatment (a run of exactly two groups; the caller checks, after the fact, that there were two).
   */
  control?: string;
  /** Group label of the treatment arm (absent: the second group offered, see `control`). */
  treatment?: string;
}

const QOE_INDEX = METRICS.findIndex((m) => m.id === 'qoe');

export class PairedAccumulator {
  private readonly waiting = new Map<string, { control: Float64Array[]; treatment: Float64Array[] }>();
  private readonly diffs = METRICS.map(() => new RunningMoments());
  private readonly controls = METRICS.map(() => new RunningMoments());
  private readonly perTrace = new Map<string, RunningMoments>();
  private pairs = 0;
  private control: string | undefined;
  private treatment: string | undefined;

  constructor(options: PairingOptions) {
    if (options.control !== undefined && options.control === options.treatment) throw new RangeError(`control and treatment are both "${options.control}"`);
    this.control = options.control;
    this.treatment = options.treatment;
  }

  offer(group: string, r: ReportSession): void {
    if (this.control === undefined) this.control = group;
    else if (this.treatment === undefined && group !== this.control) this.treatment = group;
    const arm = group === this.control ? 'control' : group === this.treatment ? 'treatment' : undefined;
    if (arm === undefined) return;
    const key = JSON.stringify([r.trace, r.video, r.replicate ?? null]);
    const values = Float64Array.from(METRICS, (m) => m.read(r));
    let slot = this.waiting.get(key);
    if (slot === undefined) {
      slot = { control: [], treatment: [] };
      this.waiting.set(key, slot);
    }
    const other = arm === 'control' ? slot.treatment : slot.control;
    const partner = other.shift();
    if (partner === undefined) {
      slot[arm].push(values);
      return;
    }
    if (slot.control.length === 0 && slot.treatment.length === 0) this.waiting.delete(key);
    const control = arm === 'control' ? values : partner;
    const treatment = arm === 'control' ? partner : values;
    this.pairs++;
    for (let i = 0; i < METRICS.length; i++) {
      this.diffs[i]?.add((treatment[i] ?? NaN) - (control[i] ?? NaN));
      this.controls[i]?.add(control[i] ?? NaN);
    }
    let trace = this.perTrace.get(r.trace);
    if (trace === undefined) {
      trace = new RunningMoments();
      this.perTrace.set(r.trace, trace);
    }
    trace.add((treatment[QOE_INDEX] ?? NaN) - (control[QOE_INDEX] ?? NaN));
  }

  finish(): PairedData {
    let unmatched = 0;
    for (const slot of this.waiting.values()) unmatched += slot.control.length + slot.treatment.length;
    const metrics = METRICS.map((m, i) => {
      const d = this.diffs[i] ?? new RunningMoments();
      const c = this.controls[i] ?? new RunningMoments();
      const ci = meanInterval({ mean: d.mean, variance: d.variance(), count: d.count });
      const meanDiff = d.count > 0 ? d.mean : Number.NaN;
      const controlMean = c.count > 0 ? c.mean : Number.NaN;
      return {
        metric: m.id,
        meanDiff,
        low: ci.low,
        high: ci.high,
        controlMean,
        relativePct: controlMean !== 0 ? (meanDiff / Math.abs(controlMean)) * 100 : Number.NaN,
      };
    });
    const perTrace: PerTraceDiff[] = [...this.perTrace].map(([trace, m]) => {
      const ci = meanInterval({ mean: m.mean, variance: m.variance(), count: m.count });
      return { trace, pairs: m.count, meanDiff: m.count > 0 ? m.mean : Number.NaN, low: ci.low, high: ci.high };
    });
    perTrace.sort((a, b) => a.meanDiff - b.meanDiff || (a.trace < b.trace ? -1 : a.trace > b.trace ? 1 : 0));
    return { control: this.control ?? '', treatment: this.treatment ?? '', pairs: this.pairs, unmatched, metrics, perTrace };
  }
}
