/**
 * The reference design's bandwidth estimator (reference/streaming-architecture.md §2.2, `BandwidthEstimator`):
 * one throughput sample per completed download, `bytes * 8 / download_time_ms` kbps; the last 10 samples are
 * kept; the estimate is an exponentially weighted moving average with weight 0.7 on the newest sample and 0.3 on
 * the previous average, and the first sample initialises it.
 *
 * Where we deliberately differ from the sketch, and why:
 * - The sketch uses `ewma == 0` as "no estimate yet". We keep an explicit flag instead, and drop samples that
 *   carry no rate information (zero or non-finite bytes or time, NaN) rather than letting them corrupt the
 *   average — the shaka-player habit (`lib/abr/ewma_bandwidth_estimator.js` ignores bad samples). A zero-byte
 *   sample would otherwise re-arm the sketch's sentinel and make the next sample a fresh start.
 * - The sketch's `download_time_ms` is the whole download. Our samples split it into latency (request to first
 *   byte) and transfer (first to last byte); `includeLatency` (default true, as the reference) chooses whether the
 *   latency counts. With it on, short segments on a high-latency link read slower than the link is.
 * - As in the sketch, the 10-sample window does NOT bound the EWMA (the average is recursive over every sample);
 *   the window is exposed for estimators that need the raw samples (harmonic mean, percentiles).
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { rateKbps } from '../../core/units.js';
import type { ThroughputEstimator, ThroughputSample } from '../types.js';

export const referenceEwmaParamsSchema = z
  .object({
    newSampleWeight: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.7)
      .describe('EWMA weight of the newest sample (reference §2.2: 0.7 recent, 0.3 historical)'),
    windowSize: z
      .number()
      .int()
      .positive()
      .default(10)
      .describe('Number of most recent samples kept for inspection (reference §2.2: last 10 downloads)'),
    includeLatency: z
      .boolean()
      .default(true)
      .describe('Divide by latency + transfer time (the whole download, as the reference) instead of transfer time only'),
  })
  .strict();

export type ReferenceEwmaParams = z.output<typeof referenceEwmaParamsSchema>;
export type ReferenceEwmaParamsInput = z.input<typeof referenceEwmaParamsSchema>;

/** Validates estimator params; errors name the field (`estimator.reference-ewma.<field>`). */
export function parseReferenceEwmaParams(input: unknown = {}): ReferenceEwmaParams {
  const parsed = referenceEwmaParamsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError(issue?.message ?? 'invalid estimator params', {
      field: `estimator.reference-ewma${path ? `.${path}` : ''}`,
    });
  }
  return parsed.data;
}

/** One EWMA step: `weight * sampleKbps + (1 - weight) * previousKbps`. Pure, for tests and other estimators. */
export function ewmaStep(input: { previousKbps: number; sampleKbps: number; newSampleWeight: number }): number {
  return input.newSampleWeight * input.sampleKbps + (1 - input.newSampleWeight) * input.previousKbps;
}

export class ReferenceEwmaEstimator implements ThroughputEstimator {
  readonly params: ReferenceEwmaParams;
  /** Ring buffer of the last `windowSize` samples, kbps; allocated once (the per-sample path allocates nothing). */
  private readonly windowKbpsRing: Float64Array;
  /** Index the next sample is written to. */
  private head = 0;
  /** Samples currently in the window (≤ windowSize). */
  private filled = 0;
  /** Current average, kbps; meaningful only when `initialised`. */
  private ewmaKbps = 0;
  private initialised = false;
  /** Samples accepted since the last reset. */
  private accepted = 0;
  /** Samples dropped (NaN, zero time, zero bytes) since the last reset. */
  private dropped = 0;

  constructor(params: ReferenceEwmaParamsInput | Readonly<Record<string, unknown>> = {}) {
    this.params = parseReferenceEwmaParams(params);
    this.windowKbpsRing = new Float64Array(this.params.windowSize);
  }

  /** Rate of one sample, kbps, or undefined if it carries no usable rate. */
  sampleKbps(sample: ThroughputSample): number | undefined {
    const ms = this.params.includeLatency ? sample.latencyMs + sample.transferMs : sample.transferMs;
    if (!(ms > 0) || !Number.isFinite(ms) || !(sample.bytes > 0) || !Number.isFinite(sample.bytes)) return undefined;
    return rateKbps(sample.bytes, ms);
  }

  addSample(sample: ThroughputSample): void {
    const kbps = this.sampleKbps(sample);
    if (kbps === undefined) {
      this.dropped++;
      return;
    }
    this.windowKbpsRing[this.head] = kbps;
    this.head = (this.head + 1) % this.params.windowSize;
    if (this.filled < this.params.windowSize) this.filled++;
    this.accepted++;
    if (!this.initialised) {
      // The first sample initialises the average (reference §2.2), so there is no start-up bias toward 0.
      this.ewmaKbps = kbps;
      this.initialised = true;
    } else {
      this.ewmaKbps = ewmaStep({ previousKbps: this.ewmaKbps, sampleKbps: kbps, newSampleWeight: this.params.newSampleWeight });
    }
  }

  estimateKbps(): number | undefined {
    return this.initialised ? this.ewmaKbps : undefined;
  }

  /** The last `windowSize` accepted samples, kbps, oldest first (a fresh array: not for the per-segment path). */
  windowKbps(): number[] {
    const out: number[] = [];
    const start = (this.head - this.filled + this.params.windowSize) % this.params.windowSize;
    for (let i = 0; i < this.filled; i++) out.push(this.windowKbpsRing[(start + i) % this.params.windowSize] as number);
    return out;
  }

  /** Samples accepted since the last reset. */
  get acceptedCount(): number {
    return this.accepted;
  }

  /** Samples dropped as unusable since the last reset. */
  get droppedCount(): number {
    return this.dropped;
  }

  reset(): void {
    this.head = 0;
    this.filled = 0;
    this.ewmaKbps = 0;
    this.initialised = false;
    this.accepted = 0;
    this.dropped = 0;
  }
}

export function createReferenceEwmaEstimator(
  params: ReferenceEwmaParamsInput | Readonly<Record<string, unknown>> = {},
): ReferenceEwmaEstimator {
  return new ReferenceEwmaEstimator(params);
}
