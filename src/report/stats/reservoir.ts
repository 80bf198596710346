/**
 * A uniform random sample of fixed size from a stream of unknown length (Vitter, "Random sampling with a
 * reservoir", ACM TOMS 11(1), 1985, Algorithm R). Seeded, so the same stream gives the same sample.
 */
import type { Rng } from '../../core/rng.js';

export class Reservoir<T> {
  readonly items: T[] = [];
  /** Items offered so far. */
  seen = 0;

  constructor(
    private readonly capacity: number,
    private readonly rng: Rng,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`reservoir capacity must be >= 1, got ${capacity}`);
  }

  /** Offers an item; `make` builds it only when it is kept, so rejected items cost no allocation. */
  offer(make: () => T): void {
    this.seen++;
    if (this.items.length < this.capacity) {
      this.items.push(make());
      return;
    }
    const j = this.rng.int(this.seen);
    if (j < this.capacity) this.items[j] = make();
  }
}
