import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimatePolyline, decimateSteps, type TimeSeries } from '../../src/report/decimate.js';

/**
 * The long series used by the hand-worked cases: 100,001 points 10 ms apart (t = 0 … 1,000,000 ms) alternating
 * 2000 kbps (even i) and 3000 kbps (odd i), except a spike to 9000 kbps at i = 12,345 and a dip to 100 kbps at
 * i = 54,321. Every point is a step, so nothing is dropped before M4.
 * With maxPoints = 2000 there are 2000 / 4 = 500 bins of 1,000,000 / 500 = 2000 ms = 200 points each; bin k holds
 * i = 200k … 200k + 199, and the last bin also the final point i = 100,000 (its left-closed bins end at the span).
 */
function longSeries(): { tMs: Float64Array; values: Float64Array } {
  const n = 100_001;
  const tMs = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    tMs[i] = i * 10;
    values[i] = i % 2 === 0 ? 2000 : 3000;
  }
  values[12_345] = 9000;
  values[54_321] = 100;
  return { tMs, values };
}

const pointsOf = (s: TimeSeries): [number, number][] => s.tMs.map((t, i) => [t, s.values[i] ?? Number.NaN]);

describe('decimateSteps on a 100k-point series (M4, 500 bins)', () => {
  const out = decimateSteps(longSeries(), 2000);
  const points = pointsOf(out);

  it('keeps first, min, max and last of each bin: 3 points per ordinary bin, 4 in the dip bin', () => {
    // An ordinary bin k: first = i 200k (2000, also the earliest minimum), earliest maximum = i 200k+1 (3000),
    // last = i 200k+199 (3000): 3 points. Bin 61 (i 12,200…12,399) holds the spike: first 12,200 (min), max
    // 12,345, last 12,399: still 3. Bin 271 (i 54,200…54,399) holds the dip: first 54,200, max 54,201, min
    // 54,321, last 54,399: 4. The last bin's last point is i = 100,000. Total 500 × 3 + 1 = 1501.
    expect(points.length).toBe(1501);
    expect(points.slice(0, 4)).toEqual([
      [0, 2000],
      [10, 3000],
      [1990, 3000],
      [2000, 2000],
    ]);
    expect(points.filter(([t]) => t >= 122_000 && t < 124_000)).toEqual([
      [122_000, 2000],
      [123_450, 9000],
      [123_990, 3000],
    ]);
    expect(points.filter(([t]) => t >= 542_000 && t < 544_000)).toEqual([
      [542_000, 2000],
      [542_010, 3000],
      [543_210, 100],
      [543_990, 3000],
    ]);
    // The last bin (499, i 99,800…100,000) keeps 99,800 (min), 99,801 (max) and 100,000 (last); bin 498 ends
    // with i 99,799.
    expect(points.slice(-4)).toEqual([
      [997_990, 3000],
      [998_000, 2000],
      [998_010, 3000],
      [1_000_000, 2000],
    ]);
  });

  it('keeps the exact first and last points and stays within the budget', () => {
    expect(points[0]).toEqual([0, 2000]);
    expect(points[points.length - 1]).toEqual([1_000_000, 2000]);
    expect(out.tMs.length).toBeLessThanOrEqual(2000);
  });
});

describe('decimateSteps on short series', () => {
  it('returns a minimal step function: drops repeated values and zero-width steps, always keeps the last point', () => {
    const out = decimateSteps(
      // 1000 at 0, repeated at 5; a zero-width 7000 at 10 replaced by 2000 at 10; 2000 repeated at 20 (the end).
      { tMs: [0, 5, 10, 10, 15, 20], values: [1000, 1000, 7000, 2000, 2000, 2000] },
      4,
    );
    expect(pointsOf(out)).toEqual([
      [0, 1000],
      [10, 2000],
      [20, 2000],
    ]);
  });

  it('keeps a series that already fits unchanged, and handles one point and none', () => {
    const s = { tMs: [0, 100, 250], values: [300, 750, 300] };
    expect(decimateSteps(s, 4)).toEqual(s);
    expect(decimateSteps({ tMs: [5], values: [42] }, 4)).toEqual({ tMs: [5], values: [42] });
    expect(decimateSteps({ tMs: [], values: [] }, 4)).toEqual({ tMs: [], values: [] });
  });

  it('rejects a budget under 4, mismatched lengths and decreasing times', () => {
    expect(() => decimateSteps({ tMs: [0], values: [1] }, 3)).toThrow(/maxPoints/);
    expect(() => decimateSteps({ tMs: [0, 1], values: [1] }, 8)).toThrow(/2 times but 1 values/);
    expect(() => decimatePolyline({ tMs: [0, 10, 5], values: [1, 2, 3] }, 8)).toThrow(/tMs\[2\]/);
  });
});

describe('decimatePolyline', () => {
  it('keeps every point of a short polyline, zero-width jumps included (a buffer refill)', () => {
    const s = { tMs: [0, 4000, 4000, 8000], values: [4000, 0, 4000, 0] };
    expect(decimatePolyline(s, 8)).toEqual(s);
  });

  it('keeps first, min, max and last per bin: 9 points of a zigzag into 2 bins', () => {
    // t = 0…8, values 0,5,1,6,2,7,3,8,4; span 8 over 2 bins → bin 0 holds t 0…3, bin 1 holds t 4…8.
    // bin 0: first t0 (0, also min), max t3 (6), last t3 → [0, 3]; bin 1: first t4 (2, min), max t7 (8), last t8.
    const s = { tMs: [0, 1, 2, 3, 4, 5, 6, 7, 8], values: [0, 5, 1, 6, 2, 7, 3, 8, 4] };
    expect(pointsOf(decimatePolyline(s, 8))).toEqual([
      [0, 0],
      [3, 6],
      [4, 2],
      [7, 8],
      [8, 4],
    ]);
  });
});

/** Independent restatement of the guarantees in decimate.ts, checked on random series. */
describe('decimation invariants (fast-check)', () => {
  const seriesArb = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 400 })
    .map((steps) => {
      let t = 0;
      const tMs: number[] = [];
      const values: number[] = [];
      for (const [dt, v] of steps) {
        t += dt;
        tMs.push(t);
        values.push(v);
      }
      return { tMs, values };
    });

  /** Value of a step function at t (last point at or before t), undefined before the first point. */
  const stepValueAt = (s: TimeSeries, t: number): number | undefined => {
    let v: number | undefined;
    for (let i = 0; i < s.tMs.length && (s.tMs[i] ?? Infinity) <= t; i++) v = s.values[i];
    return v;
  };

  it('decimateSteps: within budget, keeps first and last, same step value at every input time when nothing is binned', () => {
    fc.assert(
      fc.property(seriesArb, fc.integer({ min: 4, max: 64 }), (s, maxPoints) => {
        const out = decimateSteps(s, maxPoints);
        expect(out.tMs.length).toBeLessThanOrEqual(maxPoints);
        expect(out.tMs[0]).toBe(s.tMs[0]);
        expect(out.tMs[out.tMs.length - 1]).toBe(s.tMs[s.tMs.length - 1]);
        expect(out.values[out.values.length - 1]).toBe(s.values[s.values.length - 1]);
        const big = decimateSteps(s, 4 * 400);
        for (const t of s.tMs) expect(stepValueAt(big, t)).toBe(stepValueAt(s, t));
      }),
    );
  });

  it('both: output points are input points in order, and each bin keeps its min and max', () => {
    fc.assert(
      fc.property(seriesArb, fc.integer({ min: 4, max: 64 }), (s, maxPoints) => {
        for (const out of [decimateSteps(s, maxPoints), decimatePolyline(s, maxPoints)]) {
          const inputPoints = pointsOf(s).map(([t, v]) => `${t}:${v}`);
          let from = 0;
          for (const [t, v] of pointsOf(out)) {
            const at = inputPoints.indexOf(`${t}:${v}`, from);
            expect(at).toBeGreaterThanOrEqual(from);
            from = at + 1;
          }
        }
        // Envelope per bin for the polyline (every input point is a candidate there).
        const out = decimatePolyline(s, maxPoints);
        if (s.tMs.length <= maxPoints) return;
        const bins = Math.floor(maxPoints / 4);
        const t0 = s.tMs[0] ?? 0;
        const span = (s.tMs[s.tMs.length - 1] ?? 0) - t0;
        const binOf = (t: number): number => (span > 0 ? Math.min(bins - 1, Math.floor(((t - t0) * bins) / span)) : 0);
        for (let b = 0; b < bins; b++) {
          const inBin = s.values.filter((_, i) => binOf(s.tMs[i] ?? 0) === b);
          const outBin = out.values.filter((_, i) => binOf(out.tMs[i] ?? 0) === b);
          if (inBin.length === 0) continue;
          expect(Math.min(...outBin)).toBe(Math.min(...inBin));
          expect(Math.max(...outBin)).toBe(Math.max(...inBin));
        }
      }),
    );
  });
});
