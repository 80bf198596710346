/**
 * `shaka`: shaka-player's SimpleAbrManager (shaka-project/shaka-player `lib/abr/simple_abr_manager.js`, with the
 * abort rule of `lib/media/streaming_engine.js`), as described with its constants in
 * shared/reference/player-abr-rules.md ("shaka-player", main 5.2.x). The policy owns a shaka estimator
 * (`estimators/shaka-ewma.ts`) and ignores the player's estimate.
 *
 * - Choice (`chooseVariant`): over the variants that meet the restrictions, ascending, variant i qualifies when
 *   est ≥ bw_i·rate/0.95 (`bandwidthDowngradeTarget`) and est ≤ bw_next·rate/0.85 (`bandwidthUpgradeTarget`);
 *   the last qualifying one wins, else the lowest. The upper bound never binds (a next variant that breaks it
 *   qualifies itself), so this is the highest variant with bw ≤ 0.95·est. Playback rate is 1.
 * - When (`suggestStreams_`): the variant is chosen at load (default estimate), again as soon as the estimate
 *   is good (128 kB sampled: start-up complete), and after that on a bandwidth sample only when 8 s
 *   (`switchInterval`) have passed since the last choice. No memory of the current variant: the interval is the
 *   only damping. Between choices every request uses the chosen variant.
 * - Samples: one per network progress event, reported when more than 100 ms and at least 16 kB have passed since
 *   the last one (HttpFetchPlugin), and one for the rest at the end. We see progress on the player's abandonment
 *   poll (every 100 ms), so samples land on poll ticks; the first one includes the time to first byte, as in
 *   shaka (its timer starts at the request).
 * - Abort on switch: when a choice moves below an in-flight request, abort it if the new segment downloads
 *   within buffer − rebufferingGoal (0 s) at the estimate, or if more bytes remain than the new segment holds.
 *   Our player only abandons downward; shaka also aborts on an up-switch.
 * - Restrictions: `minBandwidthKbps`, `maxBandwidthKbps`, `minHeightPx`, `maxHeightPx` and the device cap
 *   (`ctx.maxIndex`). When no variant meets them, the lowest variant of the ladder plays (shaka logs "No
 *   variants met the ABR restrictions. Choosing a variant by lowest bandwidth."): reason `shaka:restrictions-unmet`.
 */
import { z } from 'zod';
import type { Catalog } from '../origin/catalog.js';
import { ShakaEwmaEstimator, shakaEwmaParamsSchema } from './estimators/shaka-ewma.js';
import { parsePolicyParams } from './throughput.js';
import type { AbandonDecision, AbrContext, AbrDecision, AbrPolicy, DownloadProgress, DownloadRecord } from './types.js';

export const shakaParamsSchema = shakaEwmaParamsSchema
  .extend({
    bandwidthUpgradeTarget: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.85)
      .describe('A variant is left upward once est > next bandwidth / this (shaka bandwidthUpgradeTarget 0.85)'),
    bandwidthDowngradeTarget: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.95)
      .describe('A variant qualifies while est ≥ its bandwidth / this (shaka bandwidthDowngradeTarget 0.95)'),
    switchIntervalMs: z.number().nonnegative().default(8000).describe('Least time between two choices, ms (shaka switchInterval 8 s)'),
    progressIntervalMs: z
      .number()
      .nonnegative()
      .default(100)
      .describe('A progress sample needs more than this much time since the last, ms (shaka HttpFetchPlugin 100 ms)'),
    rebufferingGoalMs: z
      .number()
      .nonnegative()
      .default(0)
      .describe('Buffer kept in reserve when deciding to abort on a switch, ms (shaka streaming.rebufferingGoal 0)'),
    abortOnSwitch: z.boolean().default(true).describe('Abort an in-flight request when a down-switch makes that worthwhile (shaka StreamingEngine)'),
    minBandwidthKbps: z.number().nonnegative().default(0).describe('Restriction: lowest variant bandwidth allowed, kbps (shaka restrictions.minBandwidth)'),
    maxBandwidthKbps: z.number().positive().optional().describe('Restriction: highest variant bandwidth allowed, kbps (shaka restrictions.maxBandwidth)'),
    minHeightPx: z.number().int().nonnegative().default(0).describe('Restriction: lowest frame height allowed, px (shaka restrictions.minHeight)'),
    maxHeightPx: z.number().int().positive().optional().describe('Restriction: highest frame height allowed, px (shaka restrictions.maxHeight)'),
  })
  .strict()
  .refine((p) => p.maxBandwidthKbps === undefined || p.maxBandwidthKbps >= p.minBandwidthKbps, {
    message: 'maxBandwidthKbps must be at least minBandwidthKbps',
    path: ['maxBandwidthKbps'],
  })
  .refine((p) => p.maxHeightPx === undefined || p.maxHeightPx >= p.minHeightPx, {
    message: 'maxHeightPx must be at least minHeightPx',
    path: ['maxHeightPx'],
  });

export type ShakaParams = z.output<typeof shakaParamsSchema>;
export type ShakaParamsInput = z.input<typeof shakaParamsSchema>;

/** Whether rung `i` meets the restrictions (and the device cap). */
export function meetsRestrictions(catalog: Catalog, i: number, maxIndex: number, p: ShakaParams): boolean {
  const r = catalog.representations[i];
  if (r === undefined || i > maxIndex) return false;
  if (r.bitrateKbps < p.minBandwidthKbps || (p.maxBandwidthKbps !== undefined && r.bitrateKbps > p.maxBandwidthKbps)) return false;
  return r.height >= p.minHeightPx && (p.maxHeightPx === undefined || r.height <= p.maxHeightPx);
}

/**
 * shaka `chooseVariant` over the permitted rungs (ascending bitrate). Pure; returns -1 when no rung is permitted
 * (the caller falls back to the lowest).
 */
export function shakaChooseVariant(p: {
  catalog: Catalog;
  estimateKbps: number;
  maxIndex: number;
  params: ShakaParams;
}): number {
  const reps = p.catalog.representations;
  let chosen = -1;
  for (let i = 0; i < reps.length; i++) {
    if (!meetsRestrictions(p.catalog, i, p.maxIndex, p.params)) continue;
    if (chosen < 0) chosen = i; // "start by assuming that we will use the first variant"
    const bw = (reps[i] as { bitrateKbps: number }).bitrateKbps;
    let nextBw = Infinity;
    for (let j = i + 1; j < reps.length; j++) {
      const b = (reps[j] as { bitrateKbps: number }).bitrateKbps;
      if (b !== bw && meetsRestrictions(p.catalog, j, p.maxIndex, p.params)) {
        nextBw = b;
        break;
      }
    }
    const minKbps = bw / p.params.bandwidthDowngradeTarget;
    const maxKbps = nextBw / p.params.bandwidthUpgradeTarget;
    if (p.estimateKbps >= minKbps && p.estimateKbps <= maxKbps) chosen = i;
  }
  return chosen;
}

/** Progress already reported for one in-flight request. */
interface ProgressState {
  lastMs: number;
  lastBytes: number;
  /** Choice counter when this request last considered aborting (once per switch). */
  seenChoice: number;
}

export class ShakaPolicy implements AbrPolicy {
  readonly name = 'shaka';
  readonly params: ShakaParams;
  readonly estimator: ShakaEwmaEstimator;
  /** The chosen variant, -1 before the first choice. */
  private current = -1;
  private reason = 'shaka:initial';
  /** Clock time of the last choice, ms (shaka `lastTimeChosenMs_`). */
  private lastChosenMs = -Infinity;
  private startupComplete = false;
  /** Incremented whenever a choice changes the variant. */
  private choiceCount = 0;
  /** Progress bookkeeping per in-flight segment (one small object per request). */
  private readonly progress = new Map<number, ProgressState>();

  constructor(params: ShakaParamsInput | Readonly<Record<string, unknown>> = {}) {
    this.params = parsePolicyParams(shakaParamsSchema, params, 'shaka');
    const { fastHalfLifeMs, slowHalfLifeMs, defaultBandwidthEstimateKbps, minSampleBytes, minTotalBytes, cacheLoadThresholdMs } = this.params;
    this.estimator = new ShakaEwmaEstimator({
      fastHalfLifeMs,
      slowHalfLifeMs,
      defaultBandwidthEstimateKbps,
      minSampleBytes,
      minTotalBytes,
      cacheLoadThresholdMs,
    });
  }

  /** The chosen variant (-1 before the first choice), for tests and telemetry. */
  get chosenIndex(): number {
    return this.current;
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    if (this.current < 0) this.choose(ctx, 'initial');
    else if (!meetsRestrictions(ctx.catalog, this.current, ctx.maxIndex, this.params) && this.current !== 0) {
      // Restrictions changed under the current variant (e.g. the device cap dropped): choose again at once.
      this.choose(ctx, 'restricted');
    }
    return { index: this.current, reason: this.reason };
  }

  /** shaka `chooseVariant` + switch: sets the current variant and the time of the choice. */
  private choose(ctx: AbrContext, why: string): void {
    const est = this.estimator.estimateKbps();
    let index = shakaChooseVariant({ catalog: ctx.catalog, estimateKbps: est, maxIndex: ctx.maxIndex, params: this.params });
    if (index < 0) {
      index = 0;
      this.reason = 'shaka:restrictions-unmet:lowest';
    } else {
      this.reason = `shaka:${why}:est=${Math.round(est)}kbps`;
    }
    if (index !== this.current) this.choiceCount++;
    this.current = index;
    this.lastChosenMs = ctx.nowMs;
  }

  /** shaka `segmentDownloaded` → `suggestStreams_`. */
  private segmentDownloaded(durationMs: number, bytes: number, ctx: AbrContext): void {
    if (!this.estimator.sample(durationMs, bytes)) return;
    if (!this.startupComplete) {
      if (!this.estimator.hasGoodEstimate()) return;
      this.startupComplete = true;
      this.choose(ctx, 'startup-complete');
      return;
    }
    if (ctx.nowMs - this.lastChosenMs < this.params.switchIntervalMs) return;
    this.choose(ctx, 'interval');
  }

  private stateOf(p: { segmentIndex: number; requestMs: number }): ProgressState {
    let st = this.progress.get(p.segmentIndex);
    if (st === undefined) {
      // seenChoice -1: the first poll weighs an abort if a choice already moved below this request.
      st = { lastMs: p.requestMs, lastBytes: 0, seenChoice: -1 };
      this.progress.set(p.segmentIndex, st);
    }
    return st;
  }

  shouldAbandon(ctx: AbrContext, p: DownloadProgress): AbandonDecision | undefined {
    const st = this.stateOf(p);
    if (ctx.nowMs - st.lastMs > this.params.progressIntervalMs && p.loadedBytes - st.lastBytes >= this.params.minSampleBytes) {
      const durationMs = ctx.nowMs - st.lastMs;
      const bytes = p.loadedBytes - st.lastBytes;
      st.lastMs = ctx.nowMs;
      st.lastBytes = p.loadedBytes;
      this.segmentDownloaded(durationMs, bytes, ctx);
    }
    if (!this.params.abortOnSwitch || st.seenChoice === this.choiceCount) return undefined;
    st.seenChoice = this.choiceCount; // StreamingEngine weighs the abort once, when the switch happens
    if (this.current < 0 || this.current >= p.repIndex) return undefined;
    const newBytes = ctx.catalog.sizesBytes[this.current]?.[p.segmentIndex] ?? 0;
    const fetchMs = (newBytes * 8) / this.estimator.estimateKbps();
    const remainingBytes = p.totalBytes - p.loadedBytes;
    if (fetchMs < ctx.bufferMs - this.params.rebufferingGoalMs) return { index: this.current, reason: 'shaka:abort-on-switch:fits-buffer' };
    if (remainingBytes > newBytes) return { index: this.current, reason: 'shaka:abort-on-switch:smaller' };
    return undefined;
  }

  onDownload(record: DownloadRecord, ctx: AbrContext): void {
    const st = this.progress.get(record.segmentIndex);
    this.progress.delete(record.segmentIndex);
    // An aborted request reports no final progress.
    if (record.abandoned) return;
    const lastMs = st?.lastMs ?? record.requestMs;
    const lastBytes = st?.lastBytes ?? 0;
    // The last progress event of a request is reported whatever its size (the estimator may still drop it).
    this.segmentDownloaded(record.doneMs - lastMs, record.bytes - lastBytes, ctx);
  }
}

export const createShakaPolicy = (params?: Record<string, unknown>): AbrPolicy => new ShakaPolicy(params ?? {});
