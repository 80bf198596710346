import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import {
  bitsBetween,
  constantTrace,
  cumulativeBits,
  latencyAt,
  meanRateKbps,
  periodIndexAt,
  rateAt,
  timeToDeliver,
  traceFromPeriods,
  traceFromSamples,
} from '../../src/net/trace.js';

/*
 * Trace T: three 100 ms periods at 1000, 0 and 2000 kbps; one loop is 300 ms.
 * Capacity per period (kbps × ms = bits): 100,000; 0; 200,000. Cumulative at period starts: 0, 100,000, 100,000,
 * and 300,000 for a whole loop.
 */
const T = traceFromPeriods({ name: 'T', durationsMs: [100, 100, 100], ratesKbps: [1000, 0, 2000] });

describe('traceFromPeriods', () => {
  it('lays out period starts, the loop length and cumulative bits', () => {
    expect(Array.from(T.startMs)).toEqual([0, 100, 200]);
    expect(T.durationMs).toBe(300);
    expect(Array.from(T.cumBits)).toEqual([0, 100_000, 100_000, 300_000]);
    // 300,000 bits / 300 ms = 1000 kbps.
    expect(meanRateKbps(T)).toBe(1000);
  });

  it('keeps a latency column when given', () => {
    const tl = traceFromPeriods({ name: 'L', durationsMs: [100, 100], ratesKbps: [1, 1], latenciesMs: [20, 80] });
    expect(latencyAt(tl, 50)).toBe(20);
    expect(latencyAt(tl, 150)).toBe(80);
    // 250 ms loops to 50 ms (loop of 200 ms).
    expect(latencyAt(tl, 250)).toBe(20);
    expect(latencyAt(T, 50)).toBeUndefined();
  });

  it.each([
    ['no periods', { durationsMs: [], ratesKbps: [] }, /no periods/],
    ['a negative rate', { durationsMs: [100], ratesKbps: [-1] }, /rate -1 kbps/],
    ['a NaN rate', { durationsMs: [100], ratesKbps: [Number.NaN] }, /rate NaN/],
    ['an infinite rate', { durationsMs: [100], ratesKbps: [Infinity] }, /rate Infinity/],
    ['a NaN duration', { durationsMs: [Number.NaN], ratesKbps: [100] }, /duration NaN/],
    ['a zero duration', { durationsMs: [100, 0], ratesKbps: [100, 100] }, /period 2 has duration 0/],
    ['a negative duration', { durationsMs: [-5], ratesKbps: [100] }, /duration -5/],
    ['zero capacity everywhere', { durationsMs: [100, 200], ratesKbps: [0, 0] }, /zero everywhere/],
    ['mismatched lengths', { durationsMs: [100, 100], ratesKbps: [1] }, /differ in length/],
    ['mismatched latencies', { durationsMs: [100], ratesKbps: [1], latenciesMs: [1, 2] }, /latencies/],
  ])('rejects %s with an InputError naming the source', (_label, periods, message) => {
    const build = (): unknown => traceFromPeriods({ name: 'x', source: 'traces/bad.json', ...periods });
    expect(build).toThrow(InputError);
    expect(build).toThrow(message);
    expect(build).toThrow(/^traces\/bad\.json: /);
  });
});

describe('traceFromSamples', () => {
  it('turns sample times into periods, the last lasting the mean spacing', () => {
    // Spacings 1000 and 2000 ms; the last sample lasts their mean, (3000 - 0) / 2 = 1500 ms.
    const t = traceFromSamples({ name: 's', timesMs: [0, 1000, 3000], ratesKbps: [100, 200, 300] });
    expect(Array.from(t.startMs)).toEqual([0, 1000, 3000]);
    expect(t.durationMs).toBe(4500);
    // 100×1000 + 200×2000 + 300×1500 = 100,000 + 400,000 + 450,000 = 950,000 bits.
    expect(t.cumBits[3]).toBe(950_000);
  });

  it('honours an explicit last duration and a single sample', () => {
    expect(traceFromSamples({ name: 's', timesMs: [0, 10], ratesKbps: [1, 1], lastDurationMs: 5 }).durationMs).toBe(15);
    expect(traceFromSamples({ name: 's', timesMs: [7], ratesKbps: [1] }).durationMs).toBe(1000);
  });

  it('rejects times that do not increase, naming the line', () => {
    const build = (): unknown => traceFromSamples({ name: 's', source: 'a.log', timesMs: [0, 10, 10], ratesKbps: [1, 1, 1] });
    expect(build).toThrow(InputError);
    expect(build).toThrow(/^a\.log:3: sample 3 is not later than sample 2/);
    expect(() => traceFromSamples({ name: 's', timesMs: [], ratesKbps: [] })).toThrow(InputError);
  });
});

describe('period lookup', () => {
  it('finds the period holding a time, boundaries belonging to the later period', () => {
    expect(periodIndexAt(T, 0)).toBe(0);
    expect(periodIndexAt(T, 99.999)).toBe(0);
    expect(periodIndexAt(T, 100)).toBe(1);
    expect(periodIndexAt(T, 299)).toBe(2);
    // 350 loops to 50 (period 0); 420 loops to 120 (period 1).
    expect(rateAt(T, 350)).toBe(1000);
    expect(rateAt(T, 420)).toBe(0);
    expect(rateAt(T, 200)).toBe(2000);
  });
});

describe('cumulativeBits and bitsBetween', () => {
  it.each([
    [0, 0],
    [50, 50_000], // 50 ms × 1000 kbps
    [100, 100_000], // end of period 0
    [150, 100_000], // inside the zero-rate period: nothing added
    [250, 200_000], // 100,000 + 50 ms × 2000 kbps
    [300, 300_000], // one whole loop
    [450, 400_000], // one loop + 100,000 (t = 150 in the loop)
    [1000, 1_000_000], // 3 loops (900 ms, 900,000) + 100 ms at 1000 kbps
  ])('cumulativeBits(T, %d) = %d', (t, bits) => {
    expect(cumulativeBits(T, t)).toBe(bits);
  });

  it('counts the capacity between two times across a loop', () => {
    // 250–300 at 2000 kbps: 100,000; 300–400 at 1000: 100,000; 400–450 at 0: 0. Total 200,000.
    expect(bitsBetween(T, 250, 450)).toBe(200_000);
    expect(bitsBetween(T, 120, 180)).toBe(0);
    expect(bitsBetween(T, 40, 40)).toBe(0);
  });
});

describe('timeToDeliver', () => {
  it('inside one period', () => {
    // 50,000 bits at 1000 kbps = 50 ms.
    expect(timeToDeliver(T, 0, 50_000)).toBe(50);
    expect(timeToDeliver(T, 10, 0)).toBe(10);
  });

  it('lands on the earliest time when the target falls exactly on a period boundary before a zero-rate period', () => {
    // 100,000 bits are reached at 100 ms; the zero period 100–200 adds nothing, 100 is the earliest time.
    expect(timeToDeliver(T, 0, 100_000)).toBe(100);
  });

  it('waits through a zero-rate period', () => {
    // From 50: 50,000 bits by 100, nothing until 200, then 50,000 at 2000 kbps = 25 ms → 225.
    expect(timeToDeliver(T, 50, 100_000)).toBe(225);
    // Starting inside the gap: nothing until 200, then 1000 bits / 2000 kbps = 0.5 ms.
    expect(timeToDeliver(T, 150, 1000)).toBe(200.5);
  });

  it('loops past the end of the trace', () => {
    // From 250: 100,000 by 300 (2000 kbps), 100,000 by 400 (1000 kbps): a boundary before the zero period.
    expect(timeToDeliver(T, 250, 200_000)).toBe(400);
    // 50,000 more: zero 400–500, then 50,000 / 2000 = 25 ms → 525.
    expect(timeToDeliver(T, 250, 250_000)).toBe(525);
    // Three loops (900,000 bits, 900 ms), then 50,000 at 1000 kbps = 50 ms → 950.
    expect(timeToDeliver(T, 0, 950_000)).toBe(950);
  });

  it('reaches exactly one loop at the end of the last non-zero period', () => {
    // A whole loop of T (300,000 bits) is done at 300, the end of its last (non-zero) period.
    expect(timeToDeliver(T, 0, 300_000)).toBe(300);
    // Trace Z: 100 ms at 1000 kbps then 100 ms at 0. One loop is 100,000 bits, reached at 100 (not at 200).
    const z = traceFromPeriods({ name: 'Z', durationsMs: [100, 100], ratesKbps: [1000, 0] });
    expect(timeToDeliver(z, 0, 100_000)).toBe(100);
    // Two loops: second loop starts at 200, its 100,000 bits are done at 300.
    expect(timeToDeliver(z, 0, 200_000)).toBe(300);
    // From inside the trailing gap: wait to 200, then 1000 bits / 1000 kbps = 1 ms.
    expect(timeToDeliver(z, 150, 1000)).toBe(201);
  });

  it('inverts cumulativeBits on a constant trace', () => {
    const c = constantTrace(8000);
    // 8,000,000 bits at 8000 kbps = 1000 ms, from 123 → 1123.
    expect(timeToDeliver(c, 123, 8_000_000)).toBe(1123);
    expect(cumulativeBits(c, 2500)).toBe(20_000_000);
  });
});

describe('trace properties', () => {
  // Rates are 0 or at least 1000 kbps, so 0.01 ms before a delivery time at least 10 bits are missing, well above
  // the float tolerance (1e-9 of the cumulative count, about 1 bit here).
  const periodsArb = fc
    .array(
      fc.record({ d: fc.integer({ min: 1, max: 1000 }), r: fc.oneof(fc.constant(0), fc.integer({ min: 1000, max: 50_000 })) }),
      { minLength: 1, maxLength: 8 },
    )
    .filter((ps) => ps.some((p) => p.r > 0));
  const build = (ps: { d: number; r: number }[]) =>
    traceFromPeriods({ name: 'p', durationsMs: ps.map((p) => p.d), ratesKbps: ps.map((p) => p.r) });

  it('timeToDeliver is the earliest time at which cumulativeBits has grown by the requested bits', () => {
    fc.assert(
      fc.property(periodsArb, fc.double({ min: 0, max: 20_000, noNaN: true }), fc.double({ min: 1, max: 1e8, noNaN: true }), (ps, from, bits) => {
        const t = build(ps);
        const at = timeToDeliver(t, from, bits);
        // Relative float error of the counts, plus the time resolution: an ulp of `at` (~1e-16 relative) at up to
        // 50,000 kbps.
        const tol = 1e-9 * (cumulativeBits(t, from) + bits) + 50_000 * at * 1e-15;
        expect(at).toBeGreaterThanOrEqual(from);
        // Enough capacity by `at`...
        expect(bitsBetween(t, from, at)).toBeGreaterThanOrEqual(bits - tol);
        // ...and not by any earlier time (in particular `at` never ends a zero-rate stretch).
        if (at - 0.01 > from) expect(bitsBetween(t, from, at - 0.01)).toBeLessThan(bits - tol);
      }),
      { numRuns: 1000 },
    );
  });

  it('cumulativeBits never decreases', () => {
    fc.assert(
      fc.property(periodsArb, fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true }), (ps, a, d) => {
        const t = build(ps);
        expect(cumulativeBits(t, a + d)).toBeGreaterThanOrEqual(cumulativeBits(t, a) - 1e-9 * cumulativeBits(t, a));
      }),
      { numRuns: 500 },
    );
  });
});
