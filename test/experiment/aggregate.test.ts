import { describe, expect, it } from 'vitest';
import { METRIC_COUNT, StreamingAggregator, stats } from '../../src/experiment/aggregate.js';

describe('stats', () => {
  it('gives the mean and type-7 quantiles (R / numpy default), computed by hand', () => {
    // [1, 2, 3, 4]: h = 3p; median h = 1.5 → 2.5; p5 h = 0.15 → 1.15; p95 h = 2.85 → 3.85.
    const s = stats([4, 1, 3, 2]);
    expect(s.mean).toBe(2.5);
    expect(s.median).toBe(2.5);
    expect(s.p5).toBeCloseTo(1.15, 12);
    expect(s.p95).toBeCloseTo(3.85, 12);
    expect([s.min, s.max]).toEqual([1, 4]);
    expect(stats(new Float64Array([7])).median).toBe(7);
    expect(Number.isNaN(stats([]).mean)).toBe(true);
  });
});

describe('StreamingAggregator', () => {
  const vec = (qoe: number) => {
    const v = new Float64Array(METRIC_COUNT);
    v[0] = qoe; // qoeReference is the first metric
    return v;
  };

  it('groups by policy · variant in first-seen order and picks best / median / worst by plan index on ties', () => {
    const agg = new StreamingAggregator();
    // group "a · x": QoE 50, 80, 20, 80, 60 at plan indices 0, 2, 4, 6, 8 → best 80 (index 2, first of the tie),
    // median 60 (index 8), worst 20 (index 4).
    [50, 80, 20, 80, 60].forEach((q, k) => agg.add('a', 'x', 2 * k, vec(q), 0));
    [10, 30].forEach((q, k) => agg.add('b', undefined, 2 * k + 1, vec(q), 0));
    const aggregates = agg.aggregates();
    expect(aggregates.map((a) => [a.policy, a.variant, a.sessions])).toEqual([
      ['a · x', 'x', 5],
      ['b', undefined, 2],
    ]);
    expect(aggregates[0]!.metrics.qoeReference.mean).toBe(58);
    expect(agg.picks(10)).toEqual([
      { group: 'a · x', pick: 'best', index: 2 },
      { group: 'a · x', pick: 'median', index: 8 },
      { group: 'a · x', pick: 'worst', index: 4 },
      // b: median 20 is equally far from 10 and 30: the earlier (index 1) wins, which is also the worst → once.
      { group: 'b', pick: 'best', index: 3 },
      { group: 'b', pick: 'median', index: 1 },
    ]);
    expect(agg.picks(2)).toHaveLength(2);
  });
});
