/**
 * `hlsjs`: hls.js's ABR controller (video-dev/hls.js `src/controller/abr-controller.ts`, main after v1.7.1), as
 * described with its constants in shared/reference/player-abr-rules.md ("hls.js"). The policy owns an hls.js
 * estimator (`estimators/hlsjs-ewma.ts`: fast/slow EWMA, TTFB EWMA) and ignores the player's estimate.
 *
 * Level selection (`findBestLevel`), scanning from the top rung down, the first rung accepted wins:
 * - adjBw = est × 0.7 (`abrBandWidthUpFactor`) for a rung above the last loaded one, est × 0.95
 *   (`abrBandWidthFactor`) otherwise: going up needs more headroom than staying.
 * - bitrate = the rung's average bitrate on the first pass when the buffer holds ≥ 2 fragment durations, else
 *   its peak (HLS BANDWIDTH; here the largest per-segment rate of the catalog).
 * - fetch = TTFB estimate + bitrate·targetDuration/adjBw; accept when adjBw ≥ bitrate and (fetch ≤ TTFB or
 *   fetch < buffer + maxStarvationDelay).
 * - Pass 1 with maxStarvationDelay 0 (only when the buffer is not empty): no rebuffering at all; pass 2 with
 *   min(fragment duration, 4 s) (`maxStarvationDelay` 4; 4 s at start-up): tolerate a little. Nothing fits:
 *   the lowest rung (`minAutoLevel`), or at start-up the manifest's first variant (`firstAutoLevel`).
 * - Default estimate before samples: 500 kbps, raised at manifest load to min(first variant, 5 Mbps)
 *   (`abrEwmaDefaultEstimateMax`). `abrSwitchInterval` is 0 (no damping), so there is no switch timer.
 *
 * Emergency switch-down (`_abandonRulesCheck`, polled every 100 ms while a fragment loads):
 * - not before max(TTFB estimate, half the fragment duration) of loading ("to maintain stable adaptive playback");
 * - if the rest of the fragment (at its own load rate, else at the estimate) takes longer than the buffer lasts,
 *   take the highest lower rung that loads within min(buffer, duration + TTFB estimate) (the lowest if none);
 * - only if that is faster than finishing and under 10 fragment durations; feed the partial bytes to the
 *   estimator, reset the estimator to that rung's bitrate when est × 0.7 exceeds it, and abort now when
 *   finishing takes more than 2× the new load time, else once the new load time has passed.
 *
 * Model choices: our player asks once per request rather than on hls.js's 100 ms idle tick (with a switch
 * interval of 0 the answer is the same at request time); the catalog keeps no manifest order, so the "first
 * variant" is `firstVariantIndex` (default the lowest rung). The reference doc's emergency rule scans down to the
 * lowest rung inclusive (hls.js's loop used to stop above it, so an emergency from rung 1 never fired: hls.js
 * #6079); we follow the doc.
 */
import { z } from 'zod';
import type { Catalog } from '../origin/catalog.js';
import { HlsjsEwmaEstimator, hlsjsEwmaParamsSchema } from './estimators/hlsjs-ewma.js';
import { parsePolicyParams, progressElapsedMs, progressTtfbMs } from './throughput.js';
import type { AbandonDecision, AbrContext, AbrDecision, AbrPolicy, DownloadProgress, DownloadRecord } from './types.js';

export const hlsjsParamsSchema = hlsjsEwmaParamsSchema
  .extend({
    bandwidthFactorUp: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.7)
      .describe('Fraction of the estimate a rung above the last loaded one may use (hls.js abrBandWidthUpFactor 0.7)'),
    bandwidthFactor: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.95)
      .describe('Fraction of the estimate the last loaded rung or below may use (hls.js abrBandWidthFactor 0.95)'),
    maxStarvationDelayMs: z
      .number()
      .nonnegative()
      .default(4000)
      .describe('Rebuffering the second selection pass tolerates, ms, capped at one fragment (hls.js maxStarvationDelay 4 s)'),
    defaultEstimateMaxKbps: z
      .number()
      .positive()
      .default(5000)
      .describe('Ceiling of the default estimate raised from the first variant, kbps (hls.js abrEwmaDefaultEstimateMax 5e6 bps)'),
    firstVariantIndex: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('Ladder index of the manifest\'s first variant (the catalog keeps no manifest order; 0 = lowest)'),
    emergencySwitchDown: z.boolean().default(true).describe('Abandon a fragment that will not arrive before the buffer runs out'),
    abandonAfterFraction: z
      .number()
      .nonnegative()
      .default(0.5)
      .describe('Emergency checks start after this fraction of the fragment duration of loading (hls.js: half)'),
    abortNowFactor: z
      .number()
      .positive()
      .default(2)
      .describe('Abort at once when finishing takes more than this × the new load time, else after it (hls.js 2)'),
    maxNewLoadFragments: z
      .number()
      .positive()
      .default(10)
      .describe('Ignore an emergency whose new load would take more than this many fragment durations (hls.js 10)'),
  })
  .strict();

export type HlsjsParams = z.output<typeof hlsjsParamsSchema>;
export type HlsjsParamsInput = z.input<typeof hlsjsParamsSchema>;

/** Peak (largest per-segment) bitrate of each rung, kbps: the HLS BANDWIDTH attribute of a VOD ladder. */
export function peakBitratesKbps(catalog: Catalog): Float64Array {
  const out = new Float64Array(catalog.representations.length);
  for (let r = 0; r < out.length; r++) {
    const sizes = catalog.sizesBytes[r] as Float64Array;
    let peak = (catalog.representations[r] as { bitrateKbps: number }).bitrateKbps;
    for (let i = 0; i < sizes.length; i++) {
      const kbps = ((sizes[i] as number) * 8) / catalog.segmentDurationAt(i);
      if (kbps > peak) peak = kbps;
    }
    out[r] = peak;
  }
  return out;
}

/** Inputs of one `findBestLevel` pass (a parameter object reused across calls: no allocation per decision). */
export interface FindBestLevelInput {
  /** Bandwidth estimate, kbps. */
  estimateKbps: number;
  ttfbMs: number;
  bufferMs: number;
  /** Playlist target duration, ms (our nominal segment duration). */
  targetDurationMs: number;
  /** Duration of the fragment about to be loaded, ms. */
  fragmentMs: number;
  maxStarvationDelayMs: number;
  /** Use average bitrates when the buffer holds ≥ 2 fragments (first pass only). */
  firstPass: boolean;
  lastLoadedIndex: number;
  topIndex: number;
  avgKbps: ArrayLike<number>;
  peakKbps: ArrayLike<number>;
  bandwidthFactor: number;
  bandwidthFactorUp: number;
}

/** One pass of hls.js `findBestLevel`: the highest acceptable rung, or -1 when none is. Pure. */
export function findBestLevel(p: FindBestLevelInput): number {
  const useAverage = p.firstPass && p.bufferMs >= 2 * p.fragmentMs;
  for (let i = p.topIndex; i >= 0; i--) {
    const bitrate = (useAverage ? p.avgKbps[i] : p.peakKbps[i]) as number;
    const adjBw = p.estimateKbps * (i > p.lastLoadedIndex ? p.bandwidthFactorUp : p.bandwidthFactor);
    const fetchMs = p.ttfbMs + (bitrate * p.targetDurationMs) / adjBw;
    if (adjBw >= bitrate && (fetchMs <= p.ttfbMs || fetchMs < p.bufferMs + p.maxStarvationDelayMs)) return i;
  }
  return -1;
}

/** An emergency abort decided but deferred until `atMs` (hls.js's abort timer). */
interface PendingAbort {
  segmentIndex: number;
  repIndex: number;
  index: number;
  atMs: number;
  reason: string;
}

export class HlsjsPolicy implements AbrPolicy {
  readonly name = 'hlsjs';
  readonly params: HlsjsParams;
  readonly estimator: HlsjsEwmaEstimator;
  private catalog: Catalog | undefined;
  private avgKbps: Float64Array = new Float64Array(0);
  private peakKbps: Float64Array = new Float64Array(0);
  /** Rung of the last fragment fully loaded, -1 before any (hls.js `lastLoadedFragLevel`). */
  private lastLoadedIndex = -1;
  private pending: PendingAbort | undefined;
  private readonly pass: FindBestLevelInput;

  constructor(params: HlsjsParamsInput | Readonly<Record<string, unknown>> = {}) {
    this.params = parsePolicyParams(hlsjsParamsSchema, params, 'hlsjs');
    const { fastHalfLifeMs, slowHalfLifeMs, defaultEstimateKbps, minWeightMs, minDelayMs, floorBytesPerMs, ttfbHalfLife, defaultTtfbMs } =
      this.params;
    this.estimator = new HlsjsEwmaEstimator({
      fastHalfLifeMs,
      slowHalfLifeMs,
      defaultEstimateKbps,
      minWeightMs,
      minDelayMs,
      floorBytesPerMs,
      ttfbHalfLife,
      defaultTtfbMs,
    });
    this.pass = {
      estimateKbps: 0,
      ttfbMs: 0,
      bufferMs: 0,
      targetDurationMs: 0,
      fragmentMs: 0,
      maxStarvationDelayMs: 0,
      firstPass: true,
      lastLoadedIndex: -1,
      topIndex: 0,
      avgKbps: this.avgKbps,
      peakKbps: this.peakKbps,
      bandwidthFactor: this.params.bandwidthFactor,
      bandwidthFactorUp: this.params.bandwidthFactorUp,
    };
  }

  /** Ladder figures, rebuilt when the catalog changes; a new catalog is hls.js's MANIFEST_LOADED. */
  private ladder(catalog: Catalog): void {
    if (catalog === this.catalog) return;
    this.catalog = catalog;
    this.avgKbps = Float64Array.from(catalog.representations, (r) => r.bitrateKbps);
    this.peakKbps = peakBitratesKbps(catalog);
    this.pass.avgKbps = this.avgKbps;
    this.pass.peakKbps = this.peakKbps;
    if (!this.estimator.sampled) {
      // Raise the default estimate to the first variant's bitrate, at most 5 Mbps (never lower it).
      const first = this.peakKbps[Math.min(this.params.firstVariantIndex, this.peakKbps.length - 1)] as number;
      const raised = Math.min(first, this.params.defaultEstimateMaxKbps);
      if (raised > this.estimator.defaultEstimateKbps) this.estimator.setDefaultEstimate(raised);
    }
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    this.ladder(ctx.catalog);
    const p = this.pass;
    const n = this.avgKbps.length;
    p.topIndex = Math.max(0, Math.min(ctx.maxIndex, n - 1));
    p.estimateKbps = this.estimator.estimateKbps();
    p.ttfbMs = this.estimator.ttfbEstimateMs();
    p.bufferMs = Math.max(0, ctx.bufferMs);
    p.targetDurationMs = ctx.catalog.segmentDurationMs;
    p.fragmentMs = ctx.catalog.segmentDurationAt(ctx.segmentIndex);
    p.lastLoadedIndex = this.lastLoadedIndex;
    if (p.bufferMs > 0) {
      p.firstPass = true;
      p.maxStarvationDelayMs = 0;
      const i = findBestLevel(p);
      if (i >= 0) return { index: i, reason: 'hlsjs:no-starvation' };
    }
    p.firstPass = false;
    p.maxStarvationDelayMs = p.bufferMs > 0 ? Math.min(p.fragmentMs, this.params.maxStarvationDelayMs) : this.params.maxStarvationDelayMs;
    const i = findBestLevel(p);
    if (i >= 0) return { index: i, reason: 'hlsjs:max-starvation' };
    if (this.lastLoadedIndex < 0) {
      return { index: Math.min(this.params.firstVariantIndex, p.topIndex), reason: 'hlsjs:none-fits:first-variant' };
    }
    return { index: 0, reason: 'hlsjs:none-fits:lowest' };
  }

  shouldAbandon(ctx: AbrContext, progress: DownloadProgress): AbandonDecision | undefined {
    if (!this.params.emergencySwitchDown || progress.repIndex <= 0) return undefined;
    const pending = this.pending;
    if (pending !== undefined && pending.segmentIndex === progress.segmentIndex && pending.repIndex === progress.repIndex) {
      // hls.js stops checking once an abort is scheduled; it fires when its timer does.
      return ctx.nowMs >= pending.atMs ? this.fire(pending) : undefined;
    }
    this.ladder(ctx.catalog);
    const est = this.estimator;
    const ttfbEstMs = est.ttfbEstimateMs();
    const durMs = ctx.catalog.segmentDurationAt(progress.segmentIndex);
    const loadingMs = progressElapsedMs(ctx, progress);
    if (loadingMs <= Math.max(ttfbEstMs, this.params.abandonAfterFraction * durMs)) return undefined;

    const bufferMs = Math.max(0, ctx.bufferMs);
    const loadedFirstByte = progress.firstByteMs !== undefined && progress.loadedBytes > 0;
    const ttfbMs = loadedFirstByte ? progressTtfbMs(ctx, progress) : -1;
    const bwKbps = est.estimateKbps();
    const expectedBytes =
      progress.totalBytes > 0
        ? progress.totalBytes
        : Math.max(progress.loadedBytes, Math.round((durMs * (this.avgKbps[progress.repIndex] as number)) / 8));
    const streamingMs = loadedFirstByte ? loadingMs - ttfbMs : loadingMs;
    // Load rate in bytes per ms; 0 before the first byte.
    const loadRate = loadedFirstByte && streamingMs > 0 ? progress.loadedBytes / streamingMs : 0;
    const finishMs = loadRate > 0 ? (expectedBytes - progress.loadedBytes) / loadRate : (expectedBytes * 8) / bwKbps + ttfbEstMs;
    if (finishMs <= bufferMs) return undefined;

    const bweKbps = loadRate > 0 ? loadRate * 8 : bwKbps;
    const limitMs = Math.min(bufferMs, durMs + ttfbEstMs);
    let next = progress.repIndex - 1;
    let nextLoadMs = Infinity;
    for (; next >= 0; next--) {
      nextLoadMs = ttfbEstMs + (durMs * (this.peakKbps[next] as number)) / bweKbps;
      if (nextLoadMs < limitMs || next === 0) break;
    }
    if (nextLoadMs >= finishMs || nextLoadMs > this.params.maxNewLoadFragments * durMs) return undefined;

    // Feed what arrived so far; with no byte yet, the wait itself is a TTFB sample.
    if (loadedFirstByte) est.sample(loadingMs - Math.min(ttfbEstMs, ttfbMs), progress.loadedBytes);
    else est.sampleTtfb(loadingMs);
    const nextPeak = this.peakKbps[next] as number;
    if (est.estimateKbps() * this.params.bandwidthFactorUp > nextPeak) est.reset(nextPeak);

    // The figures behind the emergency, with units (hls.js logs them too).
    const reason = `hlsjs:emergency:finish=${Math.round(finishMs)}ms>buffer=${Math.round(bufferMs)}ms,rung${next}=${Math.round(nextLoadMs)}ms`;
    const decision = { segmentIndex: progress.segmentIndex, repIndex: progress.repIndex, index: next, atMs: ctx.nowMs + nextLoadMs, reason };
    if (finishMs > this.params.abortNowFactor * nextLoadMs) return this.fire(decision);
    this.pending = decision;
    return undefined;
  }

  private fire(d: PendingAbort): AbandonDecision {
    this.pending = undefined;
    return { index: d.index, reason: d.reason };
  }

  onDownload(record: DownloadRecord): void {
    const pending = this.pending;
    if (pending !== undefined && pending.segmentIndex === record.segmentIndex && pending.repIndex === record.repIndex) {
      this.pending = undefined;
    }
    // An abandoned fragment was sampled by the emergency rule already (hls.js ignores aborted stats).
    if (record.abandoned) return;
    const ttfbMs = record.firstByteMs - record.requestMs;
    const elapsedMs = record.elapsedMs ?? record.doneMs - record.requestMs;
    this.estimator.sampleTtfb(ttfbMs);
    this.estimator.sample(elapsedMs - Math.min(ttfbMs, this.estimator.ttfbEstimateMs()), record.bytes);
    this.lastLoadedIndex = record.repIndex;
  }
}

export const createHlsjsPolicy = (params?: Record<string, unknown>): AbrPolicy => new HlsjsPolicy(params ?? {});
