/**
 * A Float64Array that grows by doubling: importers of long files append millions of periods without
 * per-element allocation (STYLE.md habit 8). `view()` shares the storage; copy it if you keep appending.
 */
export class GrowableFloat64 {
  private buf: Float64Array;
  private n = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Float64Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.n;
  }

  get capacity(): number {
    return this.buf.length;
  }

  push(v: number): void {
    // Doubling while small; past 1 M entries grow by half, so the slack of a large import stays <= 50 %.
    if (this.n === this.buf.length) this.reserve(this.n < 1 << 20 ? this.n * 2 : Math.ceil(this.n * 1.5));
    this.buf[this.n++] = v;
  }

  /** Makes room for `capacity` entries in total (never shrinks). */
  reserve(capacity: number): void {
    if (capacity <= this.buf.length) return;
    const next = new Float64Array(capacity);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  get(i: number): number {
    return this.buf[i] as number;
  }

  set(i: number, v: number): void {
    this.buf[i] = v;
  }

  last(): number | undefined {
    return this.n > 0 ? this.buf[this.n - 1] : undefined;
  }

  view(): Float64Array {
    return this.buf.subarray(0, this.n);
  }
}
