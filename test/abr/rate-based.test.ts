import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateBased, harmonicMeanKbps } from '../../src/abr/rate-based.js';
import { createBuiltinPolicy } from '../../src/abr/registry.js';
import type { AbrContext, DownloadRecord } from '../../src/abr/types.js';
import type { Catalog } from '../../src/origin/catalog.js';

const LADDER = [300, 750, 1200, 1850, 2850, 4300];
const catalog: Catalog = {
  name: 'c',
  segmentDurationMs: 4000,
  segmentCount: 10,
  durationMs: 40_000,
  representations: LADDER.map((bitrateKbps, i) => ({ id: `r${i}`, bitrateKbps, width: 0, height: 0, codecs: 'x' })),
  sizesBytes: LADDER.map((k) => new Float64Array(10).fill((k * 4000) / 8)),
  segmentDurationAt: () => 4000,
};

/** A download at `kbps` lasting 1000 ms: kbps · 1000 / 8 bytes. */
function rec(i: number, kbps: number): DownloadRecord {
  return { segmentIndex: i, repIndex: 0, bytes: (kbps * 1000) / 8, requestMs: i * 5000, firstByteMs: i * 5000 + 50, doneMs: i * 5000 + 1000, abandoned: false };
}

function ctx(history: DownloadRecord[], maxIndex = 5): AbrContext {
  return {
    nowMs: 0,
    catalog,
    segmentIndex: history.length,
    bufferMs: 8000,
    maxBufferMs: 60_000,
    lastIndex: 0,
    lastSwitchMs: Number.NEGATIVE_INFINITY,
    throughputKbps: undefined,
    latencyMs: undefined,
    maxIndex,
    history,
    phase: 'playing',
    playheadMs: 0,
  };
}

describe('rate-based (Pensieve RB: harmonic mean of the last 5 downloads)', () => {
  it('computes the harmonic mean by hand: 1000, 2000, 4000 kbps → 3 / (7/4000) = 12000/7 ≈ 1714.29 kbps', () => {
    expect(harmonicMeanKbps([rec(0, 1000), rec(1, 2000), rec(2, 4000)], 5)).toBeCloseTo(12000 / 7, 9);
  });

  it('uses only the last `window` downloads and measures request to last byte (latency included)', () => {
    const h = [rec(0, 100), rec(1, 100), ...[2, 3, 4, 5, 6].map((i) => rec(i, 1000))];
    expect(harmonicMeanKbps(h, 5)).toBeCloseTo(1000, 9);
    // 125,000 B in 1000 ms of which 50 ms is latency: 125000·8/1000 = 1000 kbps (not 125000·8/950 ≈ 1052.6).
    expect(harmonicMeanKbps([rec(0, 1000)], 5)).toBeCloseTo(1000, 9);
    expect(harmonicMeanKbps([{ ...rec(0, 1000), elapsedMs: 500 }], 5)).toBeCloseTo(2000, 9);
  });

  it('plays the highest rung at or below estimate × safety factor', () => {
    const h = [rec(0, 1000), rec(1, 2000), rec(2, 4000)];
    // 1714.29 → 1200 (index 2); × 0.5 = 857.14 → 750 (index 1); cap 1 → 1; nothing fits 100 kbps → lowest.
    expect(createBuiltinPolicy('rate-based').chooseRepresentation(ctx(h)).index).toBe(2);
    expect(createRateBased({ safetyFactor: 0.5 }).chooseRepresentation(ctx(h)).index).toBe(1);
    expect(createRateBased().chooseRepresentation(ctx(h, 1)).index).toBe(1);
    expect(createRateBased().chooseRepresentation(ctx([rec(0, 100)])).index).toBe(0);
    expect(createRateBased({ startIndex: 3 }).chooseRepresentation(ctx([])).index).toBe(3);
  });

  it('never plays more than the estimate and is monotone in throughput (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: 1, max: 1e6, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const qLo = createRateBased().chooseRepresentation(ctx([rec(0, lo)])).index;
        const qHi = createRateBased().chooseRepresentation(ctx([rec(0, hi)])).index;
        const fits = qLo === 0 || (LADDER[qLo] as number) <= lo * (1 + 1e-12);
        return qLo <= qHi && fits;
      }),
    );
  });
});
