/**
 * Running mean and variance in one pass with flat memory (Welford, "Note on a method for calculating corrected
 * sums of squares and products", Technometrics 4(3), 1962): numerically stable where the textbook
 * sum-of-squares formula cancels catastrophically on large, close values such as byte counts.
 */
export class RunningMoments {
  /** Number of finite values added. */
  count = 0;
  /** Values skipped because they were NaN or infinite. */
  skipped = 0;
  mean = 0;
  private m2 = 0;

  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.skipped++;
      return;
    }
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
  }

  /** Sample variance (divisor n − 1); NaN below two values. */
  variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : Number.NaN;
  }
}
