import seedrandom from 'seedrandom';

/** A seeded pseudo-random source. All randomness in abrlab comes from one of these. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal draw (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** Exponential draw with the given mean. */
  exponential(mean: number): number;
  /** A new independent stream derived from this one's seed and `key`. */
  derive(key: string | number): Rng;
}

class SeededRng implements Rng {
  private readonly prng: seedrandom.PRNG;

  constructor(private readonly seedText: string) {
    // Alea: fast and well distributed, and its state depends only on the seed text.
    this.prng = seedrandom.alea(seedText);
  }

  next(): number {
    return this.prng();
  }

  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng();
  }

  normal(mean = 0, sd = 1): number {
    // 1 - u keeps the log argument in (0, 1].
    const u = 1 - this.prng();
    const v = this.prng();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.prng());
  }

  derive(key: string | number): Rng {
    return new SeededRng(`${this.seedText}/${key}`);
  }
}

/**
 * Creates the RNG for `seed`. Streams for sessions, traces and so on are derived by key
 * (`createRng(seed).derive('session:trace-3/bola')`) so that a draw in one never shifts another, whatever the
 * order sessions run in or the worker that runs them.
 */
export function createRng(seed: number | string): Rng {
  return new SeededRng(String(seed));
}
