import { describe, it, expect } from 'vitest';
import { traceFromPeriods } from '../../src/net/trace.js';
import { averageOverWindows, formatStatsTable, traceStats } from '../../src/net/stats.js';

describe('trace statistics (time-weighted)', () => {
  // 1 s at 0, 2 s at 1000, 1 s at 3000 kbps: 4 s in all.
  const t = traceFromPeriods({ name: 'hand', durationsMs: [1000, 2000, 1000], ratesKbps: [0, 1000, 3000] });
  const s = traceStats(t, { belowKbps: 1000 });

  it('mean = capacity / duration', () => {
    // (0 × 1000 + 1000 × 2000 + 3000 × 1000) / 4000 = 5e6 / 4000 = 1250 kbps.
    expect(s.meanKbps).toBe(1250);
    expect(s.durationMs).toBe(4000);
  });

  it('quantiles weigh each rate by its time', () => {
    // Sorted by rate: 0 covers 0–25 % of the time, 1000 covers 25–75 %, 3000 covers 75–100 %.
    expect(s.p5Kbps).toBe(0);
    expect(s.medianKbps).toBe(1000);
    expect(s.p95Kbps).toBe(3000);
    // An unweighted median of the three values would also be 1000; make a case where weighting matters:
    // 9 s at 100 and 1 s at 5000 → the time-weighted median is 100.
    const skew = traceFromPeriods({ name: 's', durationsMs: [9000, 1000], ratesKbps: [100, 5000] });
    expect(traceStats(skew).medianKbps).toBe(100);
  });

  it('coefficient of variation uses the time-weighted SD', () => {
    // Σ d(r - 1250)² = 1000·1250² + 2000·250² + 1000·1750² = 1.5625e9 + 1.25e8 + 3.0625e9 = 4.75e9;
    // / 4000 = 1.1875e6; √ = 1089.7247; / 1250 = 0.871780.
    expect(s.coefficientOfVariation).toBeCloseTo(0.87178, 5);
  });

  it('share below is strict and outages are runs at or under the outage rate', () => {
    expect(s.shareBelow).toBe(0.25); // only the 0 kbps second is strictly below 1000
    expect(s.outageCount).toBe(1);
    expect(s.longestOutageMs).toBe(1000);
    expect(s.outageShare).toBe(0.25);
  });

  it('an outage that spans the loop end and start counts once (traces loop)', () => {
    const wrap = traceFromPeriods({ name: 'w', durationsMs: [1000, 2000, 500, 700, 300], ratesKbps: [0, 1000, 0, 800, 0] });
    const w = traceStats(wrap);
    // Runs: [0] 1000 ms, [2] 500 ms, [4] 300 ms joined to [0] → 1300 ms. Two outages, longest 1300.
    expect(w.outageCount).toBe(2);
    expect(w.longestOutageMs).toBe(1300);
  });

  it('averaging over windows keeps the capacity', () => {
    const a = averageOverWindows(t, 1500);
    // Windows [0,1.5) = 0·1000 + 1000·500 = 5e5 bits → 333.33 kbps; [1.5,3) = 1000·1500 → 1000;
    // [3,4) = 3000·1000 → 3000 kbps over 1000 ms.
    expect(Array.from(a.rateKbps)).toEqual([5e5 / 1500, 1000, 3000]);
    expect(a.cumBits[a.cumBits.length - 1]).toBe(t.cumBits[t.cumBits.length - 1]);
  });

  it('the table says the statistics are time-weighted', () => {
    expect(formatStatsTable([s])).toMatch(/time-weighted/);
  });

  it('reports the mean latency when the trace has one', () => {
    const l = traceFromPeriods({ name: 'l', durationsMs: [1000, 3000], ratesKbps: [1, 1], latenciesMs: [20, 40] });
    // (20·1000 + 40·3000) / 4000 = 35 ms.
    expect(traceStats(l).meanLatencyMs).toBe(35);
  });
});
