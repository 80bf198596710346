/** What the heap needs of an entry: its key, a tie-breaking sequence number, and a slot for its position. */
export interface HeapEntry {
  heapKey: number;
  heapIndex: number;
  readonly seq: number;
}

/**
 * Binary min-heap of transfers by (heapKey, seq) with removal: each transfer keeps its index, so an abort is
 * O(log n) without a search. A transfer is in at most one heap at a time, so one index field suffices.
 */
export class TransferHeap<T extends HeapEntry> {
  private readonly a: T[] = [];

  get size(): number {
    return this.a.length;
  }

  peek(): T | undefined {
    return this.a[0];
  }

  push(t: T): void {
    this.a.push(t);
    this.up(t, this.a.length - 1);
  }

  pop(): void {
    const top = this.a[0];
    if (top !== undefined) this.remove(top);
  }

  remove(t: T): void {
    const i = t.heapIndex;
    if (i < 0) return;
    const last = this.a.pop() as T;
    t.heapIndex = -1;
    if (last === t) return;
    this.up(last, i);
    this.down(last, last.heapIndex);
  }

  /** Moves `x` up from slot `i` to its place. */
  private up(x: T, i: number): void {
    const a = this.a;
    while (i > 0) {
      const p = a[(i - 1) >> 1] as T;
      if (!before(x, p)) break;
      a[i] = p;
      p.heapIndex = i;
      i = (i - 1) >> 1;
    }
    a[i] = x;
    x.heapIndex = i;
  }

  /** Moves `x` down from slot `i` to its place. */
  private down(x: T, i: number): void {
    const a = this.a;
    for (let c = 2 * i + 1; c < a.length; c = 2 * i + 1) {
      if (c + 1 < a.length && before(a[c + 1] as T, a[c] as T)) c++;
      const cx = a[c] as T;
      if (!before(cx, x)) break;
      a[i] = cx;
      cx.heapIndex = i;
      i = c;
    }
    a[i] = x;
    x.heapIndex = i;
  }
}

function before(x: HeapEntry, y: HeapEntry): boolean {
  return x.heapKey < y.heapKey || (x.heapKey === y.heapKey && x.seq < y.seq);
}
