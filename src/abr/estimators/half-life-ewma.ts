/**
 * The half-life EWMA that shaka-player (`lib/abr/ewma.js`) and hls.js (`src/utils/ewma.ts`, "heavily inspired
 * from shaka-player") share, so the `shaka` and `hlsjs` policies build their estimators on one implementation.
 *
 * - α = exp(ln 0.5 / halfLife): after `halfLife` units of weight an old value counts half.
 * - sample(weight, value): a = α^weight; estimate = value·(1 − a) + a·estimate; totalWeight += weight.
 * - getEstimate(): estimate / (1 − α^totalWeight). The average starts at 0, so without this divisor the first
 *   samples would read low (the start-up bias correction both players apply).
 *
 * The weight unit is the caller's: ms of download time for bandwidth (both players use seconds; 0.5^(w/h) is the
 * same for any unit as long as w and h share it), "TTFB weight" for hls.js's latency average. Values are
 * whatever is averaged (kbps, ms). A NaN or infinite step is dropped, as shaka's `Ewma.sample` does, rather than
 * poisoning every later estimate.
 */
import { InputError } from '../../core/errors.js';

export class HalfLifeEwma {
  /** Decay per unit of weight, exp(ln 0.5 / halfLife). */
  private readonly alpha: number;
  /** Zero-started (biased) average, in the caller's value unit. */
  private estimate = 0;
  /** Sum of the weights of the accepted samples, in the caller's weight unit. */
  private totalWeight = 0;

  constructor(readonly halfLife: number) {
    // shaka asserts `halfLife > 0`: a zero half-life makes α = 0 and the estimate 0/0.
    if (!(halfLife > 0) || !Number.isFinite(halfLife)) {
      throw new InputError(`EWMA half-life must be a positive number, got ${halfLife}`, { field: 'halfLife' });
    }
    this.alpha = Math.exp(Math.log(0.5) / halfLife);
  }

  sample(weight: number, value: number): void {
    const adjAlpha = Math.pow(this.alpha, weight);
    const next = value * (1 - adjAlpha) + adjAlpha * this.estimate;
    if (!Number.isFinite(next) || !Number.isFinite(weight)) return;
    this.estimate = next;
    this.totalWeight += weight;
  }

  /** Bias-corrected average; 0 before any sample. */
  getEstimate(): number {
    if (this.totalWeight > 0) {
      const zeroFactor = 1 - Math.pow(this.alpha, this.totalWeight);
      if (zeroFactor > 0) return this.estimate / zeroFactor;
    }
    return this.estimate;
  }

  getTotalWeight(): number {
    return this.totalWeight;
  }

  reset(): void {
    this.estimate = 0;
    this.totalWeight = 0;
  }
}
