/**
 * hls.js's bandwidth and TTFB estimator (`src/utils/ewma-bandwidth-estimator.ts`; behaviour and constants from
 * shared/reference/player-abr-rules.md, "hls.js / EWMA estimator", hls.js main after v1.7.1):
 *
 * - Bandwidth: two half-life EWMAs (fast 3 s, slow 9 s of download time: `abrEwmaFastVoD` / `abrEwmaSlowVoD`,
 *   the same for live) over samples weighted by their duration; estimate = min(fast, slow), so it drops fast and
 *   rises slowly.
 * - A sample's duration is floored at min(50 ms, bytes / 100000) (`minDelayMs_` 50): a tiny transfer timed at
 *   ~0 ms would otherwise read as an absurd rate. We read the `bytes / 100000` term in ms, i.e. a sample never
 *   reads above 800 Mbps, while a sample of 5 MB or more is floored at 50 ms as in older hls.js.
 * - Before the fast EWMA holds 0.001 s of weight (`minWeight_`) the estimate is the default, 500 kbps
 *   (`abrEwmaDefaultEstimate` 5e5 bps); the policy raises it at manifest load (see `hlsjs.ts`).
 * - TTFB: its own EWMA (half-life 9 weight units) with weight √2·e^(−s²/2) for a TTFB of s seconds (long TTFBs
 *   count less) and value max(TTFB, 5 ms); 100 ms before any sample (`defaultTTFB`).
 *
 * Units: kbps (hls.js works in bits/s; the EWMA is linear so kbps averages the same), weights in ms of download.
 */
import { z } from 'zod';
import { msToS } from '../../core/units.js';
import type { ThroughputEstimator, ThroughputSample } from '../types.js';
import { parsePolicyParams } from '../throughput.js';
import { HalfLifeEwma } from './half-life-ewma.js';

export const hlsjsEwmaParamsSchema = z
  .object({
    fastHalfLifeMs: z.number().positive().default(3000).describe('Fast EWMA half-life, ms of download time (hls.js abrEwmaFastVoD 3 s)'),
    slowHalfLifeMs: z.number().positive().default(9000).describe('Slow EWMA half-life, ms of download time (hls.js abrEwmaSlowVoD 9 s)'),
    defaultEstimateKbps: z
      .number()
      .positive()
      .default(500)
      .describe('Estimate before enough samples, kbps (hls.js abrEwmaDefaultEstimate 5e5 bps)'),
    minWeightMs: z
      .number()
      .nonnegative()
      .default(1)
      .describe('Download time the fast EWMA needs before it is trusted, ms (hls.js minWeight_ 0.001 s)'),
    minDelayMs: z.number().nonnegative().default(50).describe('Floor of a sample duration, ms (hls.js minDelayMs_ 50)'),
    floorBytesPerMs: z
      .number()
      .positive()
      .default(100_000)
      .describe('Small samples are floored at bytes / this ms instead, if shorter (reference doc: min(50 ms, bytes/100000))'),
    ttfbHalfLife: z.number().positive().default(9).describe('TTFB EWMA half-life, in TTFB weight units (hls.js: slow half-life 9)'),
    defaultTtfbMs: z.number().nonnegative().default(100).describe('TTFB estimate before any sample, ms (hls.js defaultTTFB 100)'),
  })
  .strict();

export type HlsjsEwmaParams = z.output<typeof hlsjsEwmaParamsSchema>;
export type HlsjsEwmaParamsInput = z.input<typeof hlsjsEwmaParamsSchema>;

/** Smallest TTFB value averaged, ms (hls.js `sampleTTFB`: `Math.max(ttfb, 5)`). */
const MIN_TTFB_VALUE_MS = 5;

/** TTFB weight needed before the TTFB average is trusted (hls.js `minWeight_` 0.001, shared with bandwidth). */
const MIN_TTFB_WEIGHT = 0.001;

/** hls.js's TTFB weight: √2·e^(−s²/2) for a TTFB of s seconds (a bell curve: sub-second TTFBs weigh most). */
export function hlsjsTtfbWeight(ttfbMs: number): number {
  const s = msToS(ttfbMs);
  return Math.SQRT2 * Math.exp(-(s * s) / 2);
}

export class HlsjsEwmaEstimator implements ThroughputEstimator {
  readonly params: HlsjsEwmaParams;
  private readonly fast: HalfLifeEwma;
  private readonly slow: HalfLifeEwma;
  private ttfb: HalfLifeEwma;
  /** Estimate before the EWMAs are trusted, kbps; raised at manifest load, set on an emergency abandonment. */
  private defaultKbps: number;
  /** TTFB estimate before any TTFB sample, ms. */
  private defaultTtfbMs: number;

  constructor(params: HlsjsEwmaParamsInput | Readonly<Record<string, unknown>> = {}) {
    this.params = parsePolicyParams(hlsjsEwmaParamsSchema, params, 'hlsjs estimator');
    this.fast = new HalfLifeEwma(this.params.fastHalfLifeMs);
    this.slow = new HalfLifeEwma(this.params.slowHalfLifeMs);
    this.ttfb = new HalfLifeEwma(this.params.ttfbHalfLife);
    this.defaultKbps = this.params.defaultEstimateKbps;
    this.defaultTtfbMs = this.params.defaultTtfbMs;
  }

  /** hls.js `sample(durationMs, numBytes)`: one bandwidth sample over `durationMs` (TTFB already taken out). */
  sample(durationMs: number, bytes: number): void {
    if (!(bytes >= 0) || !Number.isFinite(durationMs)) return;
    const floorMs = Math.min(this.params.minDelayMs, bytes / this.params.floorBytesPerMs);
    const ms = Math.max(durationMs, floorMs);
    if (!(ms > 0)) return; // zero bytes in zero time: no rate information
    const kbps = (bytes * 8) / ms;
    this.fast.sample(ms, kbps);
    this.slow.sample(ms, kbps);
  }

  /** hls.js `sampleTTFB(ttfb)`. */
  sampleTtfb(ttfbMs: number): void {
    if (!Number.isFinite(ttfbMs) || ttfbMs < 0) return;
    this.ttfb.sample(hlsjsTtfbWeight(ttfbMs), Math.max(ttfbMs, MIN_TTFB_VALUE_MS));
  }

  canEstimate(): boolean {
    return this.fast.getTotalWeight() >= this.params.minWeightMs;
  }

  /** min(fast, slow) once trusted, else the default estimate (never undefined: hls.js always has a figure). */
  estimateKbps(): number {
    if (!this.canEstimate()) return this.defaultKbps;
    return Math.min(this.fast.getEstimate(), this.slow.getEstimate());
  }

  ttfbEstimateMs(): number {
    return this.ttfb.getTotalWeight() >= MIN_TTFB_WEIGHT ? this.ttfb.getEstimate() : this.defaultTtfbMs;
  }

  /** Whether any bandwidth sample was taken since the last reset. */
  get sampled(): boolean {
    return this.fast.getTotalWeight() > 0;
  }

  /** The default estimate in force until enough weight is sampled, kbps. */
  get defaultEstimateKbps(): number {
    return this.defaultKbps;
  }

  /** Sets the default estimate (hls.js raises it at manifest load) without touching the samples. */
  setDefaultEstimate(kbps: number): void {
    if (kbps > 0 && Number.isFinite(kbps)) this.defaultKbps = kbps;
  }

  /**
   * ThroughputEstimator adapter, so the player can use this estimator too: samples the TTFB first, then the
   * bandwidth over request-to-done minus min(TTFB, TTFB estimate), hls.js's FRAG_LOADED then FRAG_BUFFERED order.
   */
  addSample(s: ThroughputSample): void {
    this.sampleTtfb(s.latencyMs);
    this.sample(s.latencyMs + s.transferMs - Math.min(s.latencyMs, this.ttfbEstimateMs()), s.bytes);
  }

  latencyEstimateMs(): number {
    return this.ttfbEstimateMs();
  }

  /**
   * hls.js `resetEstimator(abrEwmaDefaultEstimate)`: a fresh bandwidth estimator whose default is `defaultKbps`
   * (when given). The TTFB average restarts too, keeping the current TTFB estimate as its default so the
   * emergency rule's timing does not jump back to 100 ms.
   */
  reset(defaultKbps?: number): void {
    this.defaultTtfbMs = this.ttfbEstimateMs();
    this.fast.reset();
    this.slow.reset();
    this.ttfb = new HalfLifeEwma(this.params.ttfbHalfLife);
    if (defaultKbps !== undefined) this.setDefaultEstimate(defaultKbps);
  }
}
