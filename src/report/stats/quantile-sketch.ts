/**
 * Quantiles of a stream with bounded memory. Up to `exactCap` values are kept and quantiles are exact (type 7,
 * like summary.json and numpy); past that the values move into a DDSketch (Masson, Rim & Lee, "DDSketch: A Fast
 * and Fully-Mergeable Quantile Sketch with Relative-Error Guarantees", PVLDB 12(12), 2019) whose quantiles are
 * within `relativeAccuracy` of a true order statistic, whatever the distribution. Memory is then one counter
 * per logarithmic bucket: at 0.5 % accuracy, values from 1e-9 to 1e12 need at most ~4,800 buckets per sign.
 */

export interface QuantileSketchOptions {
  /** Values kept exactly before switching to the sketch. 10,000 doubles = 80 kB. */
  exactCap?: number;
  /** DDSketch relative accuracy α. 0.005: a QoE of 70 is reported within ±0.35. */
  relativeAccuracy?: number;
}

/** |x| below this counts as zero in the sketch (a rebuffer ratio of exactly 0 is common and must stay 0). */
const MIN_INDEXABLE = 1e-9;

export class QuantileSketch {
  private readonly exactCap: number;
  private readonly gamma: number;
  private readonly logGamma: number;
  private exact: Float64Array | undefined = new Float64Array(64);
  private sorted: Float64Array | undefined;
  private positive = new Map<number, number>();
  private negative = new Map<number, number>();
  private zeros = 0;
  /** Number of finite values added. */
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(options: QuantileSketchOptions = {}) {
    this.exactCap = options.exactCap ?? 10_000;
    const alpha = options.relativeAccuracy ?? 0.005;
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`relativeAccuracy must be in (0, 1), got ${alpha}`);
    if (!(this.exactCap >= 0)) throw new RangeError(`exactCap must be >= 0, got ${this.exactCap}`);
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(this.gamma);
  }

  /** True while every value is kept (quantiles exact). */
  get isExact(): boolean {
    return this.exact !== undefined;
  }

  /** Adds a value; NaN and ±Infinity are ignored (the caller counts them if it cares). */
  add(x: number): void {
    if (!Number.isFinite(x)) return;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.count++;
    this.sorted = undefined;
    if (this.exact !== undefined) {
      if (this.count <= this.exactCap) {
        if (this.count > this.exact.length) {
          const grown = new Float64Array(Math.min(this.exactCap, this.exact.length * 2));
          grown.set(this.exact);
          this.exact = grown;
        }
        this.exact[this.count - 1] = x;
        return;
      }
      const kept = this.exact.subarray(0, this.count - 1);
      this.exact = undefined;
      for (const v of kept) this.addToSketch(v);
    }
    this.addToSketch(x);
  }

  private addToSketch(x: number): void {
    if (Math.abs(x) < MIN_INDEXABLE) {
      this.zeros++;
      return;
    }
    const store = x > 0 ? this.positive : this.negative;
    const key = Math.ceil(Math.log(Math.abs(x)) / this.logGamma);
    store.set(key, (store.get(key) ?? 0) + 1);
  }

  private sortedExact(): Float64Array {
    if (this.sorted === undefined) this.sorted = (this.exact ?? new Float64Array(0)).slice(0, this.count).sort();
    return this.sorted;
  }

  /**
   * The value of 0-based rank `rank` (the (rank+1)-th smallest). Exact, or in sketch mode the representative
   * 2γ^i/(γ + 1) of the bucket holding that rank (within α of the true value), clamped to [min, max].
   */
  valueAtRank(rank: number): number {
    if (this.count === 0) return Number.NaN;
    const r = Math.min(this.count - 1, Math.max(0, Math.floor(rank)));
    if (this.exact !== undefined) return this.sortedExact()[r] ?? Number.NaN;
    let seen = 0;
    // Most negative first: larger bucket index on the negative side means a larger magnitude.
    for (const key of [...this.negative.keys()].sort((a, b) => b - a)) {
      seen += this.negative.get(key) ?? 0;
      if (seen > r) return this.clamp(-this.bucketValue(key));
    }
    seen += this.zeros;
    if (seen > r) return 0;
    for (const key of [...this.positive.keys()].sort((a, b) => a - b)) {
      seen += this.positive.get(key) ?? 0;
      if (seen > r) return this.clamp(this.bucketValue(key));
    }
    return this.max;
  }

  private bucketValue(key: number): number {
    return (2 * Math.pow(this.gamma, key)) / (this.gamma + 1);
  }

  private clamp(x: number): number {
    return Math.min(this.max, Math.max(this.min, x));
  }

  /**
   * Quantile p in [0, 1]. Exact mode: linear interpolation between order statistics at h = (n − 1)·p
   * (Hyndman & Fan type 7, the default of R and numpy, as summary.json uses). Sketch mode: the value at rank
   * round((n − 1)·p).
   */
  quantile(p: number): number {
    if (this.count === 0 || !(p >= 0 && p <= 1)) return Number.NaN;
    const h = (this.count - 1) * p;
    if (this.exact === undefined) return this.valueAtRank(Math.round(h));
    const sorted = this.sortedExact();
    const lo = Math.floor(h);
    const a = sorted[lo] ?? Number.NaN;
    const b = sorted[Math.ceil(h)] ?? Number.NaN;
    return a + (h - lo) * (b - a);
  }

  /**
   * Points of the empirical CDF, ascending: {value, fraction of values ≤ value}. Exact and at most `maxPoints`
   * distinct values: every distinct value (a true step function). Otherwise the quantiles at `maxPoints` evenly
   * spaced probabilities 0 … 1, which traces the same curve to within the chart's resolution.
   */
  cdfPoints(maxPoints: number): { value: number; fraction: number }[] {
    if (this.count === 0) return [];
    if (this.exact !== undefined) {
      const sorted = this.sortedExact();
      const out: { value: number; fraction: number }[] = [];
      for (let i = 0; i < sorted.length; i++) {
        const v = sorted[i] ?? Number.NaN;
        if (i + 1 < sorted.length && sorted[i + 1] === v) continue;
        out.push({ value: v, fraction: (i + 1) / sorted.length });
      }
      if (out.length <= maxPoints) return out;
    }
    const m = Math.max(2, maxPoints);
    const out: { value: number; fraction: number }[] = [];
    for (let i = 0; i < m; i++) {
      const p = i / (m - 1);
      out.push({ value: this.quantile(p), fraction: p });
    }
    return out;
  }
}
