import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors.js';
import { generateTrace, PRESET_NAMES, generatorSpecSchema } from '../../../src/net/generators/index.js';

const durs = (t: { startMs: Float64Array; durationMs: number }): number[] =>
  Array.from(t.startMs, (s, i) => (i + 1 < t.startMs.length ? (t.startMs[i + 1] as number) : t.durationMs) - s);

describe('trace generators', () => {
  it('constant: one period at the rate for the whole duration', () => {
    const t = generateTrace({ generator: 'constant', rateKbps: 3000, durationMs: 5000 });
    expect(Array.from(t.rateKbps)).toEqual([3000]);
    expect(t.durationMs).toBe(5000);
  });

  it('steps: rates in order, repeated, last step clipped to the duration', () => {
    const t = generateTrace({ generator: 'steps', ratesKbps: [1000, 500], stepMs: 2000, durationMs: 5000 });
    // 0–2 s 1000, 2–4 s 500, 4–5 s 1000 (clipped).
    expect(Array.from(t.rateKbps)).toEqual([1000, 500, 1000]);
    expect(durs(t)).toEqual([2000, 2000, 1000]);
    const once = generateTrace({ generator: 'steps', ratesKbps: [1, 2, 3] });
    // Default: one pass, 10 s per step.
    expect(once.durationMs).toBe(30_000);
  });

  it('square: duty cycle splits each period', () => {
    const t = generateTrace({ generator: 'square', highKbps: 4000, lowKbps: 1000, periodMs: 10_000, dutyCycle: 0.3, durationMs: 20_000 });
    expect(durs(t)).toEqual([3000, 7000, 3000, 7000]);
    // Mean: (4000 × 3 + 1000 × 7) / 10 = 1900 kbps.
    expect((t.cumBits[t.cumBits.length - 1] as number) / t.durationMs).toBeCloseTo(1900, 9);
  });

  it('Gilbert–Elliott never leaves the good state when P(good→bad) = 0', () => {
    const t = generateTrace({ generator: 'gilbert-elliott', goodKbps: 2000, pGoodToBad: 0, durationMs: 60_000 });
    expect(Array.from(t.rateKbps)).toEqual([2000]);
  });

  it('Gilbert–Elliott alternates every step when both transition probabilities are 1', () => {
    const t = generateTrace({ generator: 'gilbert-elliott', goodKbps: 2000, badKbps: 0, stepMs: 500, pGoodToBad: 1, pBadToGood: 1, durationMs: 2000 });
    expect(Array.from(t.rateKbps)).toEqual([2000, 0, 2000, 0]);
  });

  it('markov without noise only takes the given levels', () => {
    const levels = [300, 1200, 4000];
    const t = generateTrace({ generator: 'markov', levelsKbps: levels, noiseSd: 0, seed: 5, durationMs: 300_000 });
    for (const r of t.rateKbps) expect(levels).toContain(r);
  });

  it('genet draws bandwidths inside [min, max] and stores the RTT as latency', () => {
    const t = generateTrace({ generator: 'genet', minKbps: 400, maxKbps: 900, rttMs: 60, seed: 9, durationMs: 120_000 });
    for (const r of t.rateKbps) {
      expect(r).toBeGreaterThanOrEqual(400);
      expect(r).toBeLessThanOrEqual(900);
    }
    expect(new Set(t.latencyMs)).toEqual(new Set([60]));
  });

  it('random walk stays inside its bounds', () => {
    const t = generateTrace({ generator: 'random-walk', startKbps: 1000, logSd: 0.5, minKbps: 500, maxKbps: 2000, seed: 2 });
    for (const r of t.rateKbps) {
      expect(r).toBeGreaterThanOrEqual(500);
      expect(r).toBeLessThanOrEqual(2000);
    }
  });

  it('is deterministic per seed and differs across seeds, for every preset', () => {
    for (const preset of PRESET_NAMES) {
      const a = generateTrace({ generator: 'preset', preset, seed: 11, durationMs: 60_000 });
      const b = generateTrace({ generator: 'preset', preset, seed: 11, durationMs: 60_000 });
      const c = generateTrace({ generator: 'preset', preset, seed: 12, durationMs: 60_000 });
      expect(a.durationMs).toBe(60_000);
      expect(Array.from(a.rateKbps)).toEqual(Array.from(b.rateKbps));
      expect(Array.from(a.rateKbps)).not.toEqual(Array.from(c.rateKbps));
    }
  });

  it('every generated trace covers exactly its duration (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('markov', 'genet', 'random-walk', 'gilbert-elliott'),
        fc.integer(),
        fc.integer({ min: 1, max: 200_000 }),
        (generator, seed, durationMs) => {
          const base = generator === 'random-walk' ? { startKbps: 1000 } : generator === 'gilbert-elliott' ? { goodKbps: 1000 } : {};
          const t = generateTrace({ generator, seed, durationMs, ...base });
          return Math.abs(t.durationMs - durationMs) < 1e-6;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects bad specs with InputError naming the field', () => {
    expect(() => generateTrace({ generator: 'constant', rateKbps: 0 })).toThrow(InputError);
    expect(() => generateTrace({ generator: 'genet', minKbps: 5000, maxKbps: 100 })).toThrow(/field "minKbps"/);
    expect(() => generateTrace({ generator: 'nope' })).toThrow(InputError);
    expect(() => generateTrace({ generator: 'preset', preset: '6g' })).toThrow(/field "preset"/);
  });

  it('the schema fills defaults so scenario files can stay short', () => {
    const s = generatorSpecSchema.parse({ generator: 'markov' });
    expect(s).toMatchObject({ generator: 'markov', seed: 1, durationMs: 600_000, stepMs: 1000 });
  });
});
