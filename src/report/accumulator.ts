/**
 * `ReportAccumulator`: the streaming aggregator behind the report. A runner feeds it one session at a time
 * (`add`), in its deterministic output order, and calls `finish()` once; memory stays flat in the number of
 * sessions (per group: moments and a bounded quantile sketch per metric, a fixed-size scatter reservoir, a
 * switch-count histogram, a handful of picked sessions; per trace: one name, and one running mean when pairing).
 * The renderer only ever sees the finished `ReportData`, so a 100,000-session report costs what a 10-session one
 * does to draw.
 */
import { createRng, type Rng } from '../core/rng.js';
import { METRICS, type MetricId } from './metrics.js';
import { PairedAccumulator, type PairingOptions } from './paired.js';
import { PickTracker, pickedOf } from './picks.js';
import type { StartupSummary, CostSummary, GroupData, MetricSummary, ReportData, ScatterPoint } from './report-data.js';
import { meanInterval, quantileIntervalRanks } from './stats/intervals.js';
import { RunningMoments } from './stats/moments.js';
import { QuantileSketch } from './stats/quantile-sketch.js';
import { Reservoir } from './stats/reservoir.js';
import { defaultGroupOf, sessionKey, type ReportSession } from './types.js';

export interface ReportAccumulatorOptions {
  /** Seed of the scatter sample (use the scenario seed: same run, same report). Default 1. */
  seed?: number | string;
  /** Group of a session (default: policy, or "policy · variant"). */
  groupOf?: (r: ReportSession) => string;
  /** Compute paired differences between these two groups. */
  pairing?: PairingOptions;
  /** Sessions kept per group for the scatter plot. Default 1,000. */
  scatterSampleSize?: number;
  /** Values per metric and group kept exactly before switching to the sketch. Default 10,000. */
  exactQuantileCap?: number;
  /** Relative accuracy of the sketch. Default 0.005. */
  sketchRelativeAccuracy?: number;
  /** CDF points per group. Default 400: finer than a 600 px chart needs. */
  cdfPoints?: number;
}

/**
 * How often the running median used to keep median candidates is refreshed: at every power of two (so early
 * estimates adapt fast) and then every 512 sessions (a sort of at most 10,000 values, or a pass over the sketch).
 */
const MEDIAN_REFRESH_EVERY = 512;

class GroupAccumulator {
  readonly moments = METRICS.map(() => new RunningMoments());
  readonly sketches: QuantileSketch[];
  readonly switches = new Map<number, number>();
  readonly scatter: Reservoir<ScatterPoint>;
  readonly picks = new PickTracker();
  readonly timelinePicks = new PickTracker();
  sessions = 0;
  medianEstimate = Number.NaN;
  cost: { sessions: number; usd: number; playMs: number; tiers: Map<string, { bytes: number; usd: number }> } | undefined;
  /** Sums over sessions that ran the startup flow: step durations, time to first frame, licence attempts. */
  startup: { sessions: number; ttffMs: number; licenceAttempts: number; stepMs: Map<string, number> } | undefined;

  constructor(
    readonly label: string,
    readonly policy: string,
    readonly variant: string | undefined,
    rng: Rng,
    options: Required<Pick<ReportAccumulatorOptions, 'scatterSampleSize' | 'exactQuantileCap' | 'sketchRelativeAccuracy'>>,
  ) {
    this.sketches = METRICS.map(() => new QuantileSketch({ exactCap: options.exactQuantileCap, relativeAccuracy: options.sketchRelativeAccuracy }));
    this.scatter = new Reservoir(options.scatterSampleSize, rng);
  }
}

const QOE_INDEX = METRICS.findIndex((m) => m.id === 'qoe');

export class ReportAccumulator {
  private readonly groups = new Map<string, GroupAccumulator>();
  private readonly traces = new Set<string>();
  private readonly paired: PairedAccumulator | undefined;
  private readonly rng: Rng;
  private readonly groupOf: (r: ReportSession) => string;
  private readonly opts: Required<Omit<ReportAccumulatorOptions, 'pairing' | 'groupOf' | 'seed'>>;
  private sessions = 0;
  private finished = false;

  constructor(options: ReportAccumulatorOptions = {}) {
    this.rng = createRng(options.seed ?? 1).derive('report');
    this.groupOf = options.groupOf ?? defaultGroupOf;
    this.paired = options.pairing !== undefined ? new PairedAccumulator(options.pairing) : undefined;
    this.opts = {
      scatterSampleSize: options.scatterSampleSize ?? 1000,
      exactQuantileCap: options.exactQuantileCap ?? 10_000,
      sketchRelativeAccuracy: options.sketchRelativeAccuracy ?? 0.005,
      cdfPoints: options.cdfPoints ?? 400,
    };
  }

  /** Adds one session (with or without `segments`, `timeline`, `cost`). */
  add(r: ReportSession): void {
    if (this.finished) throw new Error('ReportAccumulator.add after finish()');
    const label = this.groupOf(r);
    let g = this.groups.get(label);
    if (g === undefined) {
      g = new GroupAccumulator(label, r.policy, r.variant, this.rng.derive(`scatter/${label}`), this.opts);
      this.groups.set(label, g);
    }
    this.sessions++;
    g.sessions++;
    this.traces.add(r.trace);
    const s = r.summary;
    for (let i = 0; i < METRICS.length; i++) {
      const v = METRICS[i]?.read(r) ?? Number.NaN;
      g.moments[i]?.add(v);
      g.sketches[i]?.add(v);
    }
    const switches = Math.round(s.switchCount);
    if (Number.isFinite(switches)) g.switches.set(switches, (g.switches.get(switches) ?? 0) + 1);
    g.scatter.offer(() => ({ trace: r.trace, avgBitrateKbps: s.avgBitrateKbps, rebufferRatioPct: s.rebufferRatio * 100, qoe: s.qoe.reference }));

    const qoeSketch = g.sketches[QOE_INDEX];
    if (qoeSketch !== undefined && (isPowerOfTwo(g.sessions) || g.sessions % MEDIAN_REFRESH_EVERY === 0)) {
      g.medianEstimate = qoeSketch.quantile(0.5);
    }
    const make = () => pickedOf(r, sessionKey(r));
    g.picks.offer(s.qoe.reference, g.medianEstimate, make);
    if (r.timeline !== undefined) g.timelinePicks.offer(s.qoe.reference, g.medianEstimate, make);

    if (r.cost !== undefined && Number.isFinite(r.cost.usd)) {
      g.cost ??= { sessions: 0, usd: 0, playMs: 0, tiers: new Map() };
      g.cost.sessions++;
      g.cost.usd += r.cost.usd;
      g.cost.playMs += s.playMs;
      for (const [tier, t] of Object.entries(r.cost.tiers ?? {})) {
        const sum = g.cost.tiers.get(tier) ?? { bytes: 0, usd: 0 };
        sum.bytes += t.bytes;
        sum.usd += t.usd;
        g.cost.tiers.set(tier, sum);
      }
    }
    if (r.startupSteps !== undefined) {
      g.startup ??= { sessions: 0, ttffMs: 0, licenceAttempts: 0, stepMs: new Map() };
      g.startup.sessions++;
      g.startup.ttffMs += s.startupMs;
      g.startup.licenceAttempts += r.startupSteps.licenceAttempts;
      for (const [step, span] of Object.entries(r.startupSteps.steps)) g.startup.stepMs.set(step, (g.startup.stepMs.get(step) ?? 0) + (span.endMs - span.startMs));
    }
    this.paired?.offer(label, r);
  }

  /** Reduces everything to the renderer's input. Call once. */
  finish(): ReportData {
    this.finished = true;
    const groups: GroupData[] = [...this.groups.values()].map((g) => {
      const metrics = Object.fromEntries(
        METRICS.map((m, i) => [m.id, metricSummary(g.moments[i] ?? new RunningMoments(), g.sketches[i] ?? new QuantileSketch())]),
      ) as Record<MetricId, MetricSummary>;
      const qoeSketch = g.sketches[QOE_INDEX] ?? new QuantileSketch();
      const median = metrics.qoe.median;
      return {
        label: g.label,
        policy: g.policy,
        ...(g.variant !== undefined ? { variant: g.variant } : {}),
        sessions: g.sessions,
        metrics,
        qoeCdf: qoeSketch.cdfPoints(this.opts.cdfPoints),
        scatter: g.scatter.items,
        switchHistogram: [...g.switches].sort((a, b) => a[0] - b[0]).map(([switches, sessions]) => ({ switches, sessions })),
        ...(g.cost !== undefined ? { cost: costSummary(g.cost) } : {}),
        ...(g.startup !== undefined ? { startup: startupSummary(g.startup) } : {}),
        picks: g.picks.finish(median),
        timelinePicks: g.timelinePicks.finish(median),
      };
    });
    return {
      sessions: this.sessions,
      traces: this.traces.size,
      groups,
      ...(this.paired !== undefined ? { paired: this.paired.finish() } : {}),
      sketchRelativeAccuracy: this.opts.sketchRelativeAccuracy,
    };
  }
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function metricSummary(m: RunningMoments, q: QuantileSketch): MetricSummary {
  const mean = m.count > 0 ? m.mean : Number.NaN;
  const variance = m.variance();
  const ci = meanInterval({ mean, variance, count: m.count });
  const ranks = quantileIntervalRanks({ p: 0.5, count: q.count });
  const hasValues = q.count > 0;
  return {
    n: m.count,
    skipped: m.skipped,
    mean,
    meanLow: ci.low,
    meanHigh: ci.high,
    sd: Math.sqrt(variance),
    median: q.quantile(0.5),
    medianLow: hasValues ? q.valueAtRank(ranks.lowRank) : Number.NaN,
    medianHigh: hasValues ? q.valueAtRank(ranks.highRank) : Number.NaN,
    p5: q.quantile(0.05),
    p95: q.quantile(0.95),
    min: hasValues ? q.min : Number.NaN,
    max: hasValues ? q.max : Number.NaN,
    exact: q.isExact,
  };
}

const MS_PER_HOUR = 3_600_000;
const BYTES_PER_GB = 1e9;

function costSummary(c: { sessions: number; usd: number; playMs: number; tiers: Map<string, { bytes: number; usd: number }> }): CostSummary {
  const hours = c.playMs / MS_PER_HOUR;
  const perHour = (x: number): number => (hours > 0 ? x / hours : Number.NaN);
  return {
    sessions: c.sessions,
    usd: c.usd,
    streamingHours: hours,
    usdPerStreamingHour: perHour(c.usd),
    tiers: [...c.tiers].map(([tier, t]) => ({
      tier,
      bytes: t.bytes,
      usd: t.usd,
      gbPerStreamingHour: perHour(t.bytes / BYTES_PER_GB),
      usdPerStreamingHour: perHour(t.usd),
    })),
  };
}

function startupSummary(s: { sessions: number; ttffMs: number; licenceAttempts: number; stepMs: Map<string, number> }): StartupSummary {
  const n = s.sessions;
  return {
    sessions: n,
    meanTtffMs: s.ttffMs / n,
    meanLicenceAttempts: s.licenceAttempts / n,
    meanStepMs: Object.fromEntries([...s.stepMs].map(([step, ms]) => [step, ms / n])),
  };
}
