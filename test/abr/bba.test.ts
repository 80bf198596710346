import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bba0Index, bbIndexMap, createBba, createPensieveBb } from '../../src/abr/bba.js';
import { createBuiltinPolicy } from '../../src/abr/registry.js';
import type { AbrContext } from '../../src/abr/types.js';
import type { Catalog } from '../../src/origin/catalog.js';
import { InputError } from '../../src/core/errors.js';

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

function ctx(bufferMs: number, lastIndex = 1, maxIndex = 5): AbrContext {
  return {
    nowMs: 0,
    catalog,
    segmentIndex: 1,
    bufferMs,
    maxBufferMs: 60_000,
    lastIndex,
    lastSwitchMs: Number.NEGATIVE_INFINITY,
    throughputKbps: undefined,
    latencyMs: undefined,
    maxIndex,
    history: [],
    phase: 'playing',
    playheadMs: 0,
  };
}

const PENSIEVE = { reservoirMs: 5000, cushionMs: 10_000, levels: 6 };

describe('bb: Pensieve test/bb.py map (reservoir 5 s, cushion 10 s, floor of a map to the index)', () => {
  it('maps the buffer by hand: q = int(5·(B − 5)/10) between 5 s and 15 s', () => {
    // B < 5 → 0; 5 → int(0) = 0; 7 → int(5·2/10 = 1) = 1; 9 → int(2) = 2; 12.9 → int(3.95) = 3;
    // 14.999 → int(4.9995) = 4; B ≥ 15 → 5.
    const cases: [number, number][] = [
      [0, 0],
      [4999, 0],
      [5000, 0],
      [6999, 0],
      [7000, 1],
      [9000, 2],
      [12_900, 3],
      [14_999, 4],
      [15_000, 5],
      [60_000, 5],
    ];
    for (const [bufferMs, q] of cases) expect(bbIndexMap({ ...PENSIEVE, bufferMs }), `buffer ${bufferMs} ms`).toBe(q);
  });

  it('is the `bb` registration, stateless, and capped by the device', () => {
    const bb = createBuiltinPolicy('bb');
    expect(bb.name).toBe('bb');
    expect(bb.chooseRepresentation(ctx(9000, 5)).index).toBe(2);
    expect(bb.chooseRepresentation(ctx(9000, 0)).index).toBe(2);
    expect(bb.chooseRepresentation(ctx(20_000, 0, 3))).toEqual({ index: 3, reason: 'cap:device' });
    expect(bb.chooseRepresentation(ctx(1000)).reason).toBe('bb:reservoir');
  });

  it('is monotone in the buffer and stays on the ladder (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100_000, noNaN: true }), fc.double({ min: 0, max: 100_000, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const qLo = bbIndexMap({ ...PENSIEVE, bufferMs: lo });
        const qHi = bbIndexMap({ ...PENSIEVE, bufferMs: hi });
        return qLo <= qHi && qLo >= 0 && qHi <= 5;
      }),
    );
  });

  it('validates params and lets them override bb.py\'s constants', () => {
    expect(() => createPensieveBb({ cushionMs: 0 })).toThrow(InputError);
    expect(() => createPensieveBb({ bogus: 1 })).toThrow(/policy\.bb/);
    // Reservoir 0, cushion 5 s: B = 3 s → int(5·3/5) = 3.
    expect(createPensieveBb({ reservoirMs: 0, cushionMs: 5000 }).chooseRepresentation(ctx(3000)).index).toBe(3);
  });
});

describe('bba: BBA-0 (Huang et al., SIGCOMM 2014, Algorithm 1)', () => {
  // f(B) = 300 + (4300 − 300)·(B − 5 s)/10 s. At B = 10 s, f = 2300 kbps.
  const at = (bufferMs: number, prevIndex: number): number =>
    bba0Index({ reps: catalog.representations, top: 5, prevIndex, bufferMs, reservoirMs: 5000, cushionMs: 10_000 }).index;

  it('steps up to the highest rung below f(B) once f(B) reaches the next rung up', () => {
    // prev 750: Rate+ = 1200 ≤ 2300 → max{R < 2300} = 1850 (index 3).
    expect(at(10_000, 1)).toBe(3);
  });

  it('holds between the neighbouring rungs (hysteresis)', () => {
    // prev 1850: Rate+ = 2850 > 2300 > Rate− = 1200 → stay.
    expect(at(10_000, 3)).toBe(3);
  });

  it('steps down to the lowest rung above f(B) once f(B) falls to the next rung down', () => {
    // prev 4300: Rate− = 2850 ≥ 2300 → min{R > 2300} = 2850 (index 4).
    expect(at(10_000, 5)).toBe(4);
  });

  it('plays the extremes in the reservoirs', () => {
    expect(at(5000, 3)).toBe(0);
    expect(at(15_000, 0)).toBe(5);
    expect(createBba().chooseRepresentation(ctx(15_000, 0, 2)).index).toBe(2);
  });

  it('never leaves [0, maxIndex] (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100_000, noNaN: true }), fc.integer({ min: -1, max: 5 }), fc.integer({ min: 0, max: 5 }), (b, prev, max) => {
        const q = createBba().chooseRepresentation(ctx(b, prev, max)).index;
        return q >= 0 && q <= max;
      }),
    );
  });
});
