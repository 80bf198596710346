/**
 * Priority queue of timed events: a binary min-heap ordered by (time, insertion counter), so events at equal
 * times run first-in first-out and a run repeats exactly (the SimPy ordering).
 *
 * Speed: entries live in parallel arrays (no per-event object beyond the payload) and cancelled entries are
 * dropped lazily when they reach the top, so cancel is O(1). Whether a handle is still pending is one byte per
 * handle ever issued (a growable Uint8Array indexed by handle): cheaper than a Set on the per-segment path, at
 * the cost of 1 B per event for the queue's lifetime (a queue lives for one session).
 */
export class EventQueue<T> {
  private times: number[] = [];
  private seqs: number[] = [];
  private items: (T | undefined)[] = [];
  private pending = new Uint8Array(1024);
  private pendingCount = 0;
  private nextSeq = 0;

  /** Number of pending (not cancelled) events. */
  get size(): number {
    return this.pendingCount;
  }

  /** Adds `item` at `timeMs`; returns a handle for `cancel`. */
  push(timeMs: number, item: T): number {
    if (!Number.isFinite(timeMs)) throw new RangeError(`event time must be finite, got ${timeMs}`);
    const seq = this.nextSeq++;
    this.times.push(timeMs);
    this.seqs.push(seq);
    this.items.push(item);
    if (seq >= this.pending.length) {
      const grown = new Uint8Array(this.pending.length * 2);
      grown.set(this.pending);
      this.pending = grown;
    }
    this.pending[seq] = 1;
    this.pendingCount++;
    this.siftUp(this.times.length - 1);
    return seq;
  }

  /** Cancels a pending event; cancelling twice or after it ran is a no-op and returns false. */
  cancel(handle: number): boolean {
    if (this.pending[handle] !== 1) return false;
    this.pending[handle] = 0;
    this.pendingCount--;
    return true;
  }

  /** Time of the earliest pending event, or Infinity when empty. */
  peekTimeMs(): number {
    this.dropCancelled();
    return this.times.length > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Removes and returns the earliest pending event, or undefined when empty. */
  pop(): { timeMs: number; item: T } | undefined {
    this.dropCancelled();
    if (this.times.length === 0) return undefined;
    const timeMs = this.times[0] as number;
    const item = this.items[0] as T;
    this.pending[this.seqs[0] as number] = 0;
    this.pendingCount--;
    this.removeTop();
    return { timeMs, item };
  }

  private dropCancelled(): void {
    while (this.times.length > 0 && this.pending[this.seqs[0] as number] !== 1) this.removeTop();
  }

  private removeTop(): void {
    const last = this.times.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.seqs.pop();
    this.items.pop();
    if (this.times.length > 0) this.siftDown(0);
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a] as number;
    const tb = this.times[b] as number;
    return ta < tb || (ta === tb && (this.seqs[a] as number) < (this.seqs[b] as number));
  }

  private swap(a: number, b: number): void {
    const t = this.times[a] as number;
    this.times[a] = this.times[b] as number;
    this.times[b] = t;
    const s = this.seqs[a] as number;
    this.seqs[a] = this.seqs[b] as number;
    this.seqs[b] = s;
    const i = this.items[a];
    this.items[a] = this.items[b];
    this.items[b] = i;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.times.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
