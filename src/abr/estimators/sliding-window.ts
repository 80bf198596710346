/**
 * Sabre's sliding-window estimator (`SlidingWindow` in UMass-LIDS/sabre src/sabre.py, `-ma sliding`): the
 * arithmetic mean of the last `w` throughput and latency samples for each window size `w`, keeping at most 20
 * samples; the throughput estimate is the minimum over windows and the latency estimate the maximum. Note the
 * arithmetic (not harmonic) mean, as in Sabre; dash.js offers both.
 */
import { z } from 'zod';
import { bytesToBits } from '../../core/units.js';
import type { ThroughputEstimator, ThroughputSample } from '../types.js';

/** Samples kept (Sabre's `max_store`, also dash.js's cap of 20). */
const MAX_STORE = 20;

export const slidingWindowParamsSchema = z
  .object({
    windowSizes: z
      .array(z.number().int().positive())
      .min(1)
      .default([3])
      .describe('Window sizes in samples (Sabre `-ws 3`); the estimate is the minimum over windows'),
  })
  .strict();

export type SlidingWindowParams = z.input<typeof slidingWindowParamsSchema>;

/** Mean of the last `count` values of a ring `ring` whose newest value is at `newest`, summed oldest first. */
function meanOfLast(ring: Float64Array, newest: number, stored: number, count: number): number {
  const k = Math.min(count, stored);
  let sum = 0;
  for (let j = k - 1; j >= 0; j--) sum += ring[(newest - j + MAX_STORE) % MAX_STORE] as number;
  return sum / k;
}

export class SlidingWindowEstimator implements ThroughputEstimator {
  private readonly windowSizes: readonly number[];
  /** Last throughput samples, kbps, as a ring of MAX_STORE (no allocation per sample). */
  private readonly tputRing = new Float64Array(MAX_STORE);
  private readonly latRing = new Float64Array(MAX_STORE);
  private newest = -1;
  private stored = 0;
  private estimateTputKbps: number | undefined;
  private estimateLatMs: number | undefined;

  constructor(params: SlidingWindowParams = {}) {
    this.windowSizes = slidingWindowParamsSchema.parse(params).windowSizes;
  }

  addSample(sample: ThroughputSample): void {
    const tput = bytesToBits(sample.bytes) / sample.transferMs;
    if (!Number.isFinite(tput) || !Number.isFinite(sample.latencyMs)) return;
    this.push(tput, sample.latencyMs);
  }

  /** Sabre's `push(time, tput, lat)` (the transfer time is not used by this estimator). */
  push(tputKbps: number, latencyMs: number): void {
    this.newest = (this.newest + 1) % MAX_STORE;
    this.tputRing[this.newest] = tputKbps;
    this.latRing[this.newest] = latencyMs;
    if (this.stored < MAX_STORE) this.stored++;
    let tput = Infinity;
    let lat = -Infinity;
    for (const w of this.windowSizes) {
      const t = meanOfLast(this.tputRing, this.newest, this.stored, w);
      if (t < tput) tput = t;
      const l = meanOfLast(this.latRing, this.newest, this.stored, w);
      if (l > lat) lat = l;
    }
    this.estimateTputKbps = tput;
    this.estimateLatMs = lat;
  }

  estimateKbps(): number | undefined {
    return this.estimateTputKbps;
  }

  latencyEstimateMs(): number | undefined {
    return this.estimateLatMs;
  }

  reset(): void {
    this.newest = -1;
    this.stored = 0;
    this.estimateTputKbps = undefined;
    this.estimateLatMs = undefined;
  }
}
