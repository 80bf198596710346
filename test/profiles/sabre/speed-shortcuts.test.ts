/**
 * The speed shortcuts of the Sabre profile change no result (issue 3, item 6): each is checked against the plain
 * computation it replaces, to the last bit.
 */
import { describe, expect, it } from 'vitest';
import { SabreEwmaEstimator } from '../../../src/abr/estimators/sabre-ewma.js';
import type { AbrPolicy } from '../../../src/abr/types.js';
import { createSabrePolicy, parseSabreMovie, parseSabreNetwork, parseSabreOptions, runSabreSession } from '../../../src/profiles/sabre/index.js';
import { createRng } from '../../../src/core/rng.js';
import { type AbandonPoller, SabreNetworkModel } from '../../../src/profiles/sabre/network-model.js';

/** The policy with every method but `abandonQuiet`: the profile then asks it at every poll. */
function withoutPromises(inner: AbrPolicy): AbrPolicy {
  return {
    name: inner.name,
    chooseRepresentation: (ctx) => inner.chooseRepresentation(ctx),
    shouldAbandon: (ctx, progress) => inner.shouldAbandon?.(ctx, progress),
    onDownload: (record, ctx) => inner.onDownload?.(record, ctx),
    onBufferFullWait: (waitMs, ctx) => inner.onBufferFullWait?.(waitMs, ctx),
    onEvent: (event, ctx) => inner.onEvent?.(event, ctx),
  };
}

// 60 segments of 3 s over a bbb-like ladder, sizes varying ±40 % per segment; a network that swings between
// 150 kbps and 6 Mbps every 0.4–3 s with 20–300 ms latency, so that downloads are abandoned.
const seeded = createRng(7);
const rng = (): number => seeded.next();
const ladder = [230, 477, 991, 2056, 5027];
const movie = parseSabreMovie({
  segment_duration_ms: 3000,
  bitrates_kbps: ladder,
  segment_sizes_bits: Array.from({ length: 60 }, () => {
    const f = 0.6 + 0.8 * rng();
    return ladder.map((b) => Math.round(b * 3000 * f));
  }),
});
const network = parseSabreNetwork(
  Array.from({ length: 200 }, () => ({
    duration_ms: Math.round(400 + 2600 * rng()),
    bandwidth_kbps: Math.round(150 + 5850 * rng() * rng()),
    latency_ms: Math.round(20 + 280 * rng()),
  })),
);

describe('Sabre profile: abandonment promises change nothing', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['bolae', {}],
    ['bola', {}],
    ['throughput', {}],
    ['dynamic', {}],
    ['dynamicdash', {}],
    ['bolae', { fixAbandonTarget: true }],
    ['bola', { fixAbandonTarget: true, maxBufferS: 10 }],
    ['bolae', { noIbr: true, abrOsc: true }],
  ];
  it.each(cases)('%s %o: same session with and without the polls the promises skip', (name, opts) => {
    const options = parseSabreOptions(opts);
    const fast = runSabreSession({ movie, network, policy: createSabrePolicy(name, options), options: opts });
    const plain = runSabreSession({ movie, network, policy: withoutPromises(createSabrePolicy(name, options)), options: opts });
    expect(fast.segments).toEqual(plain.segments);
    expect(fast.summary).toEqual(plain.summary);
    expect((fast.compat as { metrics: unknown }).metrics).toEqual((plain.compat as { metrics: unknown }).metrics);
    if (name !== 'bolae' || opts['noIbr'] !== true) expect(fast.segments.some((s) => s.abandoned)).toBe(true);
  });
});

/** Sabre's `Ewma` (src/sabre.py), computed plainly: every power of one half evaluated at every sample. */
class PlainEwma {
  private readonly tput: number[];
  private readonly lat: number[];
  private wTput = 0;
  private wLat = 0;
  estimateKbps = 0;
  latencyMs = 0;
  constructor(
    private readonly halfLivesMs: number[],
    private readonly segMs: number,
  ) {
    this.tput = halfLivesMs.map(() => 0);
    this.lat = halfLivesMs.map(() => 0);
  }
  push(timeMs: number, tputKbps: number, latMs: number): void {
    this.halfLivesMs.forEach((h, i) => {
      let a = Math.pow(0.5, timeMs / h);
      this.tput[i] = a * (this.tput[i] as number) + (1 - a) * tputKbps;
      a = Math.pow(0.5, 1 / (h / this.segMs));
      this.lat[i] = a * (this.lat[i] as number) + (1 - a) * latMs;
    });
    this.wTput += timeMs;
    this.wLat += 1;
    let t = Infinity;
    let l = -Infinity;
    this.halfLivesMs.forEach((h, i) => {
      t = Math.min(t, (this.tput[i] as number) / (1 - Math.pow(0.5, this.wTput / h)));
      l = Math.max(l, (this.lat[i] as number) / (1 - Math.pow(0.5, this.wLat / (h / this.segMs))));
    });
    this.estimateKbps = t;
    this.latencyMs = l;
  }
}

describe('Sabre EWMA: settled zero factors and the constant latency decay', () => {
  it.each([[[3000, 8000]], [[2000, 5000]], [[500]]])('half-lives %o: every estimate equals the plain computation', (halfLives) => {
    const seeded11 = createRng(11);
    const r = (): number => seeded11.next();
    const e = new SabreEwmaEstimator({ halfLivesMs: halfLives, segmentMs: 3000 });
    const plain = new PlainEwma(halfLives, 3000);
    // 600 samples of up to 4 s: well past the point where 0.5^(weight/h) vanishes for every half-life.
    for (let i = 0; i < 600; i++) {
      const timeMs = 4000 * r() * r();
      const tput = 100 + 8000 * r();
      const lat = 300 * r();
      e.push(timeMs, tput, lat);
      plain.push(timeMs, tput, lat);
      expect(e.estimateKbps()).toBe(plain.estimateKbps);
      expect(e.latencyEstimateMs()).toBe(plain.latencyMs);
    }
  });
});

/**
 * Sabre's `NetworkModel.download` with abandonment polling, written plainly (src/sabre.py): one latency, then every
 * step through `do_minimal_download` (at least 12,000 bits and 50 ms since the last poll, the first 50 ms counted
 * from the request), the poller asked after each unfinished step. No cached steps, no inline fast path.
 */
class PlainSabreNetwork {
  private index = -1;
  private timeToNext = 0;
  constructor(private readonly periods: [number, number, number][]) {
    this.next();
  }
  private next(): void {
    this.index = (this.index + 1) % this.periods.length;
    this.timeToNext = (this.periods[this.index] as [number, number, number])[0];
  }
  private bw(): number {
    return (this.periods[this.index] as [number, number, number])[1];
  }
  private latencyDelay(units: number): number {
    let total = 0;
    while (units > 0) {
      const lat = (this.periods[this.index] as [number, number, number])[2];
      const t = units * lat;
      if (t <= this.timeToNext) {
        total += t;
        this.timeToNext -= t;
        units = 0;
      } else {
        total += this.timeToNext;
        units -= this.timeToNext / lat;
        this.next();
      }
    }
    return total;
  }
  private minimal(size: number, minBits: number, minMs: number): [number, number] {
    let totalBits = 0;
    let totalMs = 0;
    while (size > 0 && (minBits > 0 || minMs > 0)) {
      const bw = this.bw();
      let bits: number;
      let t: number;
      if (bw > 0) {
        const step = Math.max(minBits, minMs * bw);
        const toNext = this.timeToNext * bw;
        if (size <= step && size <= toNext) {
          bits = size;
          t = bits / bw;
          this.timeToNext -= t;
        } else if (step <= toNext) {
          bits = step;
          t = bits / bw;
          minBits = 0;
          minMs = 0;
          this.timeToNext -= t;
        } else {
          bits = toNext;
          t = this.timeToNext;
          this.next();
        }
      } else {
        bits = 0;
        if (minBits > 0 || minMs > this.timeToNext) {
          t = this.timeToNext;
          this.next();
        } else {
          t = minMs;
          this.timeToNext -= t;
        }
      }
      totalBits += bits;
      totalMs += t;
      size -= bits;
      minBits -= bits;
      minMs -= t;
    }
    return [totalBits, totalMs];
  }
  delay(ms: number): void {
    while (ms > this.timeToNext) {
      ms -= this.timeToNext;
      this.next();
    }
    this.timeToNext -= ms;
  }
  download(size: number, bufferMs: number, polls: number[][]): number {
    const latency = this.latencyDelay(1);
    let totalMs = latency;
    let totalBits = 0;
    let minMs = 50 - totalMs;
    let minBits = 12_000;
    while (totalBits < size) {
      const [bits, t] = this.minimal(size - totalBits, minBits, minMs);
      totalMs += t;
      totalBits += bits;
      minMs = 50;
      minBits = 12_000;
      if (totalBits < size) polls.push([totalBits, totalMs, latency, Math.max(0, bufferMs - totalMs)]);
    }
    return totalMs;
  }
}

describe('Sabre network model: the inline steps equal do_minimal_download', () => {
  it('every poll and every download time, over random looping traces with 0 kbps periods', () => {
    const seeded = createRng(23);
    const r = (): number => seeded.next();
    for (let trace = 0; trace < 40; trace++) {
      const periods: [number, number, number][] = Array.from({ length: 1 + Math.floor(r() * 30) }, () => [
        1 + Math.floor(r() * 3000),
        r() < 0.1 ? 0 : Math.round(50 + 8000 * r() * r()),
        Math.floor(r() * 250),
      ]);
      if (periods.every((q) => q[1] === 0)) periods.push([1000, 1000, 10]);
      const fast = new SabreNetworkModel({
        network: { durationsMs: Float64Array.from(periods, (q) => q[0]), bandwidthsKbps: Float64Array.from(periods, (q) => q[1]), latenciesMs: Float64Array.from(periods, (q) => q[2]) },
        multiplier: 1,
        bitratesKbps: Float64Array.of(100, 1000),
        segmentMs: 3000,
        listener: { onSustainableQualityChange: () => undefined },
      });
      const plain = new PlainSabreNetwork(periods);
      for (let d = 0; d < 30; d++) {
        const size = Math.round(1000 + 3_000_000 * r() * r());
        const bufferMs = 20_000 * r();
        const got: number[][] = [];
        const poller: AbandonPoller = { poll: (bits, elapsedMs, ttfbMs, buf) => void got.push([bits, elapsedMs, ttfbMs, buf]) };
        const want: number[][] = [];
        const timeMs = plain.download(size, bufferMs, want);
        expect(fast.download(size, bufferMs, poller).timeMs).toBe(timeMs);
        expect(got).toEqual(want);
        // A pause between downloads (a buffer-full wait), on both clocks.
        const pause = 3000 * r();
        fast.delay(pause);
        plain.delay(pause);
      }
    }
  });
});
