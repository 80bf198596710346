import { describe, it, expect } from 'vitest';
import { generateTrace, PRESET_NAMES } from '../../../src/net/generators/index.js';
import { traceStats } from '../../../src/net/stats.js';
import { meanRateKbps, type Trace } from '../../../src/net/trace.js';

/**
 * Statistical checks of the seeded generators against the figures their models predict (derived by hand
 * below), on runs long enough that the tolerance is several standard errors wide. Fixed seeds make them
 * deterministic, so a pass is not luck that could turn into a flaky failure.
 */
const durs = (t: Trace): number[] =>
  Array.from(t.startMs, (s, i) => (i + 1 < t.startMs.length ? (t.startMs[i + 1] as number) : t.durationMs) - s);

describe('generator statistics match their models', () => {
  it('Gilbert–Elliott: bad-time share pGB / (pGB + pBG) and mean outage stepMs / pBG', () => {
    // pGB = 0.1, pBG = 0.3: stationary P(bad) = 0.1 / 0.4 = 0.25; outage lengths are geometric with mean
    // 1 / 0.3 steps = 333.3 ms at 100 ms steps. 30,000 steps.
    const t = generateTrace({ generator: 'gilbert-elliott', goodKbps: 1000, badKbps: 0, stepMs: 100, pGoodToBad: 0.1, pBadToGood: 0.3, seed: 4, durationMs: 3_000_000 });
    const s = traceStats(t);
    expect(s.outageShare).toBeGreaterThan(0.23);
    expect(s.outageShare).toBeLessThan(0.27);
    const meanOutageMs = (s.outageShare * s.durationMs) / s.outageCount;
    expect(meanOutageMs).toBeGreaterThan(310);
    expect(meanOutageMs).toBeLessThan(360);
  });

  it('Genet: bandwidth log-uniform in [min, max] (median √(min·max)), change every ~interval, RTT as latency', () => {
    // log-uniform on [100, 10000]: median e^((ln 100 + ln 10000)/2) = 1000 kbps; P(rate < 316.2) = 0.25.
    const t = generateTrace({ generator: 'genet', minKbps: 100, maxKbps: 10_000, changeIntervalMs: 1000, rttMs: 35, seed: 8, durationMs: 8_000_000 });
    const rates = Array.from(t.rateKbps).sort((a, b) => a - b);
    const median = rates[rates.length >> 1] as number;
    expect(median).toBeGreaterThan(900);
    expect(median).toBeLessThan(1110);
    const belowQuarter = rates.filter((r) => r < Math.sqrt(100 * 1000)).length / rates.length;
    expect(belowQuarter).toBeGreaterThan(0.23);
    expect(belowQuarter).toBeLessThan(0.27);
    // Intervals uniform in [0.5, 1.5] × 1000 ms: mean 1000, so ~8000 periods; none shorter than 500 except the clipped last.
    expect(rates.length).toBeGreaterThan(7800);
    expect(rates.length).toBeLessThan(8200);
    expect(Math.min(...durs(t).slice(0, -1))).toBeGreaterThanOrEqual(500);
    expect(new Set(t.latencyMs)).toEqual(new Set([35]));
  });

  it('Markov: leaves its state with probability 1 - stay per step, preferring neighbouring levels 2:1', () => {
    // No noise, so every rate change is a state change. stay = 0.7 over 20,000 steps → ~6,000 changes.
    const levels = [100, 200, 400, 800, 1600];
    const t = generateTrace({ generator: 'markov', levelsKbps: levels, stayProbability: 0.7, noiseSd: 0, stepMs: 1000, sampleMs: 1000, seed: 3, durationMs: 20_000_000 });
    const d = durs(t);
    const changes = t.rateKbps.length - 1;
    expect(changes).toBeGreaterThan(5700);
    expect(changes).toBeLessThan(6300);
    // Runs are whole steps.
    expect(d.every((x) => x % 1000 === 0)).toBe(true);
    // From a middle level, distance-1 moves have weight 1 and distance-2 moves 1/2.
    let near = 0;
    let far = 0;
    for (let i = 1; i < t.rateKbps.length; i++) {
      const from = levels.indexOf(t.rateKbps[i - 1] as number);
      const to = levels.indexOf(t.rateKbps[i] as number);
      if (from !== 2) continue;
      if (Math.abs(to - from) === 1) near++;
      else far++;
    }
    expect(near / far).toBeGreaterThan(1.7);
    expect(near / far).toBeLessThan(2.3);
  });

  it('random walk: log-rate steps have the configured SD when the bounds do not bite', () => {
    const t = generateTrace({ generator: 'random-walk', startKbps: 10_000, logSd: 0.1, minKbps: 1, maxKbps: 1e9, stepMs: 100, seed: 6, durationMs: 1_000_000 });
    const steps: number[] = [];
    for (let i = 1; i < t.rateKbps.length; i++) steps.push(Math.log((t.rateKbps[i] as number) / (t.rateKbps[i - 1] as number)));
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    const sd = Math.sqrt(steps.reduce((a, b) => a + (b - mean) ** 2, 0) / (steps.length - 1));
    // 10,000 steps: the SD's standard error is 0.1 / √20000 ≈ 0.0007.
    expect(sd).toBeGreaterThan(0.097);
    expect(sd).toBeLessThan(0.103);
    expect(t.rateKbps[0]).toBe(10_000);
  });
});

describe('presets look like their networks', () => {
  const stats = (preset: string) => traceStats(generateTrace({ generator: 'preset', preset, seed: 21, durationMs: 1_800_000 }));

  it('3g and 4g means sit inside their level ranges, 4g well above 3g', () => {
    const g3 = stats('3g');
    const g4 = stats('4g');
    expect(g3.meanKbps).toBeGreaterThan(250);
    expect(g3.meanKbps).toBeLessThan(3500);
    expect(g4.meanKbps).toBeGreaterThan(3000);
    expect(g4.meanKbps).toBeLessThan(45_000);
    expect(g4.meanKbps).toBeGreaterThan(4 * g3.meanKbps);
  });

  it('5g-mmwave reaches hundreds of Mbit/s and has blockage outages', () => {
    const s = stats('5g-mmwave');
    expect(s.p95Kbps).toBeGreaterThan(300_000);
    expect(s.outageCount).toBeGreaterThan(0);
  });

  it('wifi stays inside its bounds; fluctuating carries its RTT; outage has outages', () => {
    const w = stats('wifi');
    expect(w.minKbps).toBeGreaterThanOrEqual(5000);
    expect(w.maxKbps).toBeLessThanOrEqual(60_000);
    expect(stats('fluctuating').meanLatencyMs).toBe(80);
    const o = stats('outage');
    expect(o.outageCount).toBeGreaterThan(5);
    expect(o.maxKbps).toBe(3000);
  });

  it('every preset is exactly its duration and has capacity', () => {
    for (const preset of PRESET_NAMES) {
      const t = generateTrace({ generator: 'preset', preset, seed: 1, durationMs: 123_456 });
      expect(t.durationMs).toBe(123_456);
      expect(meanRateKbps(t)).toBeGreaterThan(0);
    }
  });
});
