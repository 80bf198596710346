/**
 * shaka-player's bandwidth estimator (`lib/abr/ewma_bandwidth_estimator.js`, with the cache filter of
 * `lib/abr/simple_abr_manager.js` `segmentDownloaded`); behaviour and constants from
 * shared/reference/player-abr-rules.md ("shaka-player"), shaka main 5.2.x:
 *
 * - Two half-life EWMAs, fast 2 s and slow 5 s of download time (`AbrConfiguration.fastHalfLife` /
 *   `slowHalfLife`), over samples weighted by their duration; estimate = min(fast, slow).
 * - A sample under 16 kB is ignored (`minBytes_` 16e3): time to first byte dominates short transfers and would
 *   read the link as slower than it is (shaka's reason for the constant, chosen by experiment).
 * - A sample under 5 ms is ignored: it came from a cache, not the network (reference doc).
 * - Until 128 kB have been sampled (`minTotalBytes_` 128e3) the estimate is the default, 1 Mbps
 *   (`defaultBandwidthEstimate` 1e6 bps): a few small samples are not a good estimate.
 *
 * Units: kbps (shaka works in bits/s; the EWMA is linear), weights in ms of download time.
 */
import { z } from 'zod';
import type { ThroughputEstimator, ThroughputSample } from '../types.js';
import { parsePolicyParams } from '../throughput.js';
import { HalfLifeEwma } from './half-life-ewma.js';

export const shakaEwmaParamsSchema = z
  .object({
    fastHalfLifeMs: z.number().positive().default(2000).describe('Fast EWMA half-life, ms of download time (shaka fastHalfLife 2 s)'),
    slowHalfLifeMs: z.number().positive().default(5000).describe('Slow EWMA half-life, ms of download time (shaka slowHalfLife 5 s)'),
    defaultBandwidthEstimateKbps: z
      .number()
      .positive()
      .default(1000)
      .describe('Estimate until minTotalBytes have been sampled, kbps (shaka defaultBandwidthEstimate 1e6 bps)'),
    minSampleBytes: z
      .number()
      .nonnegative()
      .default(16_000)
      .describe('Smaller samples are ignored, bytes: TTFB skews short transfers (shaka minBytes_ 16e3)'),
    minTotalBytes: z
      .number()
      .nonnegative()
      .default(128_000)
      .describe('Bytes sampled before the estimate replaces the default (shaka minTotalBytes_ 128e3)'),
    cacheLoadThresholdMs: z
      .number()
      .nonnegative()
      .default(5)
      .describe('Samples shorter than this, ms, came from a cache and are ignored (reference doc: < 5 ms)'),
  })
  .strict();

export type ShakaEwmaParams = z.output<typeof shakaEwmaParamsSchema>;
export type ShakaEwmaParamsInput = z.input<typeof shakaEwmaParamsSchema>;

export class ShakaEwmaEstimator implements ThroughputEstimator {
  readonly params: ShakaEwmaParams;
  private readonly fast: HalfLifeEwma;
  private readonly slow: HalfLifeEwma;
  /** Bytes of the samples accepted since the last reset. */
  private bytesSampled = 0;

  constructor(params: ShakaEwmaParamsInput | Readonly<Record<string, unknown>> = {}) {
    this.params = parsePolicyParams(shakaEwmaParamsSchema, params, 'shaka estimator');
    this.fast = new HalfLifeEwma(this.params.fastHalfLifeMs);
    this.slow = new HalfLifeEwma(this.params.slowHalfLifeMs);
  }

  /**
   * One progress sample: `bytes` arrived in `durationMs`. Returns false when it was dropped as a cache hit
   * (the ABR manager then does not reconsider its choice), true otherwise, even when it was too small to count.
   */
  sample(durationMs: number, bytes: number): boolean {
    if (!(durationMs >= this.params.cacheLoadThresholdMs) || !Number.isFinite(durationMs)) return false;
    if (!(bytes >= this.params.minSampleBytes) || !Number.isFinite(bytes)) return true;
    const kbps = (bytes * 8) / durationMs;
    this.bytesSampled += bytes;
    this.fast.sample(durationMs, kbps);
    this.slow.sample(durationMs, kbps);
    return true;
  }

  /** shaka `hasGoodEstimate`: at least minTotalBytes sampled. */
  hasGoodEstimate(): boolean {
    return this.bytesSampled >= this.params.minTotalBytes;
  }

  /** min(fast, slow) once the estimate is good, else the default. */
  estimateKbps(): number {
    if (!this.hasGoodEstimate()) return this.params.defaultBandwidthEstimateKbps;
    return Math.min(this.fast.getEstimate(), this.slow.getEstimate());
  }

  /** Bytes accepted since the last reset. */
  get sampledBytes(): number {
    return this.bytesSampled;
  }

  /** ThroughputEstimator adapter: one sample over the whole request (shaka's timer starts at the request). */
  addSample(s: ThroughputSample): void {
    this.sample(s.latencyMs + s.transferMs, s.bytes);
  }

  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.bytesSampled = 0;
  }
}
