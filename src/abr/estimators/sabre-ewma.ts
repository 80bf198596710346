/**
 * Sabre's EWMA throughput and latency estimator (Spiteri et al., MMSys 2018, the `Ewma` class of
 * UMass-LIDS/sabre src/sabre.py; the same scheme as dash.js's ThroughputHistory and shaka-player's
 * ewma_bandwidth_estimator).
 *
 * - Throughput: one EWMA per half-life, weighted by transfer time (a = 0.5^(transferMs / halfLifeMs)), started at
 *   0 and divided by 1 - 0.5^(Σ transferMs / halfLifeMs) to remove the zero-start bias. The estimate is the
 *   minimum over half-lives (the conservative one).
 * - Latency: the same per sample, with the half-life counted in segments (halfLifeMs / segmentMs), and the
 *   maximum over half-lives.
 *
 * The arithmetic follows the Python operation by operation (e.g. `1 / (h / seg)`, not `seg / h`) so the
 * `sabre` profile reproduces Sabre's numbers bit for bit.
 */
import { z } from 'zod';
import { bytesToBits } from '../../core/units.js';
import type { ThroughputEstimator, ThroughputSample } from '../types.js';

export const sabreEwmaParamsSchema = z
  .object({
    halfLivesMs: z
      .array(z.number().positive())
      .min(1)
      .default([3000, 8000])
      .describe('EWMA half-lives, ms of transfer time (Sabre `-hl 3 8`, in seconds there)'),
    segmentMs: z.number().positive().describe('Segment duration, ms: the latency half-life is counted in segments'),
  })
  .strict();

export type SabreEwmaParams = z.input<typeof sabreEwmaParamsSchema>;

/** Weight of the old value after a sample: 0.5^(weight / halfLife), the EWMA decay. */
export function ewmaDecay(weight: number, halfLife: number): number {
  return Math.pow(0.5, weight / halfLife);
}

/** Zero-start bias correction divisor after a total weight `totalWeight`: 1 - 0.5^(total / halfLife). */
export function ewmaZeroFactor(totalWeight: number, halfLife: number): number {
  return 1 - Math.pow(0.5, totalWeight / halfLife);
}

/**
 * 0.5^x below which 1 − 0.5^x is exactly 1 with a wide margin: 1 − y rounds to 1 for y ≤ 2^-54, and 2^-60 leaves a
 * factor 64 for `Math.pow`'s error (under one ulp). The total weight only grows, so once 0.5^x is below this it
 * stays below and the zero factor stays exactly 1 (the bias correction has vanished in double precision).
 */
const ZERO_FACTOR_SETTLED = 2 ** -60;

export class SabreEwmaEstimator implements ThroughputEstimator {
  /** Half-lives of the throughput averages, ms of transfer time. */
  private readonly halfLivesMs: Float64Array;
  /** Half-lives of the latency averages, in segments (halfLifeMs / segmentMs, kept as Sabre keeps it). */
  private readonly latencyHalfLivesSeg: Float64Array;
  /** Biased (zero-started) throughput averages, kbps, one per half-life. */
  private readonly tputKbps: Float64Array;
  /** Biased latency averages, ms, one per half-life. */
  private readonly latMs: Float64Array;
  /** Σ transfer time of all samples, ms. */
  private weightTputMs = 0;
  /** Number of latency samples. */
  private weightLatSamples = 0;
  private estimateTputKbps: number | undefined;
  private estimateLatMs: number | undefined;
  /**
   * Speed shortcuts (same floats; `Math.pow` was a quarter of a Sabre session without abandonment): the latency
   * decay 0.5^(1 / h) is a constant per half-life; a zero factor that has settled to exactly 1 (see
   * `ZERO_FACTOR_SETTLED`) is not recomputed.
   */
  private readonly latencyDecay: Float64Array;
  private readonly tputSettled: Uint8Array;
  private readonly latSettled: Uint8Array;

  constructor(params: SabreEwmaParams) {
    const p = sabreEwmaParamsSchema.parse(params);
    this.halfLivesMs = Float64Array.from(p.halfLivesMs);
    this.latencyHalfLivesSeg = Float64Array.from(p.halfLivesMs, (h) => h / p.segmentMs);
    this.tputKbps = new Float64Array(p.halfLivesMs.length);
    this.latMs = new Float64Array(p.halfLivesMs.length);
    this.latencyDecay = this.latencyHalfLivesSeg.map((h) => ewmaDecay(1, h));
    this.tputSettled = new Uint8Array(p.halfLivesMs.length);
    this.latSettled = new Uint8Array(p.halfLivesMs.length);
  }

  addSample(sample: ThroughputSample): void {
    const tput = bytesToBits(sample.bytes) / sample.transferMs;
    // Shaka's habit: a NaN sample would poison every later estimate, so drop it.
    if (!Number.isFinite(tput) || !Number.isFinite(sample.latencyMs)) return;
    this.push(sample.transferMs, tput, sample.latencyMs);
  }

  /** Sabre's `push(time, tput, lat)`: transfer ms, measured kbps, time to first bit ms. */
  push(transferMs: number, tputKbps: number, latencyMs: number): void {
    const n = this.halfLivesMs.length;
    for (let i = 0; i < n; i++) {
      let alpha = ewmaDecay(transferMs, this.halfLivesMs[i] as number);
      this.tputKbps[i] = alpha * (this.tputKbps[i] as number) + (1 - alpha) * tputKbps;
      alpha = this.latencyDecay[i] as number;
      this.latMs[i] = alpha * (this.latMs[i] as number) + (1 - alpha) * latencyMs;
    }
    // The settled flags assume the total weight only grows; a negative transfer time (a caller's mistake) undoes that.
    if (!(transferMs >= 0)) this.tputSettled.fill(0);
    this.weightTputMs += transferMs;
    this.weightLatSamples += 1;
    let tput = Infinity;
    let lat = -Infinity;
    for (let i = 0; i < n; i++) {
      const t = (this.tputKbps[i] as number) / this.zeroFactor(this.tputSettled, i, this.weightTputMs, this.halfLivesMs[i] as number);
      if (t < tput) tput = t;
      const l = (this.latMs[i] as number) / this.zeroFactor(this.latSettled, i, this.weightLatSamples, this.latencyHalfLivesSeg[i] as number);
      if (l > lat) lat = l;
    }
    this.estimateTputKbps = tput;
    this.estimateLatMs = lat;
  }

  /** `ewmaZeroFactor(weight, halfLife)`, or exactly 1 without `Math.pow` once it has settled (flag `settled[i]`). */
  private zeroFactor(settled: Uint8Array, i: number, weight: number, halfLife: number): number {
    if (settled[i] === 1) return 1;
    const y = Math.pow(0.5, weight / halfLife);
    if (y < ZERO_FACTOR_SETTLED) settled[i] = 1;
    return 1 - y;
  }

  estimateKbps(): number | undefined {
    return this.estimateTputKbps;
  }

  latencyEstimateMs(): number | undefined {
    return this.estimateLatMs;
  }

  reset(): void {
    this.tputKbps.fill(0);
    this.latMs.fill(0);
    this.weightTputMs = 0;
    this.weightLatSamples = 0;
    this.tputSettled.fill(0);
    this.latSettled.fill(0);
    this.estimateTputKbps = undefined;
    this.estimateLatMs = undefined;
  }
}
