/**
 * planMpc (shared prefixes, reverse order, branch and bound) must pick exactly what the plain exhaustive search
 * picks — the same first rung and the same best reward, to the bit — including mpc.py's tie rule (the LAST best
 * sequence in lexicographic order wins). Random contexts come in two kinds: arbitrary doubles, and values drawn
 * from a few round numbers so that exact ties between sequences are common.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MpcScratch, planMpc, planMpcExhaustive, type MpcPlanInput } from '../../src/abr/mpc.js';

interface Case {
  input: MpcPlanInput;
  downloadS: number[];
  segmentS: number[];
}

const MAX_H = 5;
const MAX_R = 6;

function run(plan: typeof planMpc, c: Case): { index: number; reward: number } {
  const s = new MpcScratch(MAX_H, MAX_R);
  s.downloadS.set(c.downloadS);
  s.segmentS.set(c.segmentS);
  return plan(s, c.input);
}

/** A case from generators of download times, buffers, bitrates and penalties. */
function caseArb(p: {
  time: fc.Arbitrary<number>;
  buffer: fc.Arbitrary<number>;
  kbps: fc.Arbitrary<number>;
  penalty: fc.Arbitrary<number>;
}): fc.Arbitrary<Case> {
  return fc
    .record({ horizon: fc.integer({ min: 1, max: MAX_H }), rungs: fc.integer({ min: 1, max: MAX_R }) })
    .chain(({ horizon, rungs }) =>
      fc.record({
        input: fc.record({
          horizon: fc.constant(horizon),
          rungs: fc.constant(rungs),
          startBufferS: p.buffer,
          lastRung: fc.integer({ min: 0, max: rungs - 1 }),
          bitratesKbps: fc.array(p.kbps, { minLength: rungs, maxLength: rungs }).map((a) => Float64Array.from(a.sort((x, y) => x - y))),
          rebufferPenaltyPerS: p.penalty,
          switchPenalty: p.penalty,
        }),
        downloadS: fc.array(p.time, { minLength: horizon * rungs, maxLength: horizon * rungs }),
        segmentS: fc.array(fc.constantFrom(1, 2, 4), { minLength: horizon, maxLength: horizon }),
      }),
    );
}

const same = (c: Case): boolean => {
  const fast = run(planMpc, c);
  const plain = run(planMpcExhaustive, c);
  return fast.index === plain.index && Object.is(fast.reward, plain.reward);
};

describe('planMpc agrees with the exhaustive search (property)', () => {
  it('on arbitrary doubles', () => {
    const arb = caseArb({
      time: fc.double({ min: 0, max: 40, noNaN: true }),
      buffer: fc.double({ min: 0, max: 60, noNaN: true }),
      kbps: fc.double({ min: 100, max: 8000, noNaN: true }),
      penalty: fc.double({ min: 0, max: 10, noNaN: true }),
    });
    fc.assert(fc.property(arb, same), { numRuns: 2000 });
  });

  it('on round numbers, where sequences tie exactly', () => {
    const arb = caseArb({
      time: fc.constantFrom(0, 0.5, 1, 2, 4, 8),
      buffer: fc.constantFrom(0, 1, 2, 4, 10),
      kbps: fc.constantFrom(1000, 2000, 3000, 4000),
      penalty: fc.constantFrom(0, 1, 4.3),
    });
    fc.assert(fc.property(arb, same), { numRuns: 2000 });
  });

  it('with a reward floor nobody reaches: both answer -1', () => {
    // One rung whose download takes 1e8 s against an empty buffer: reward 1 − 4.3e8 < −1e8.
    const c: Case = {
      input: { horizon: 1, rungs: 1, startBufferS: 0, lastRung: 0, bitratesKbps: Float64Array.of(1000), rebufferPenaltyPerS: 4.3, switchPenalty: 1 },
      downloadS: [1e8],
      segmentS: [4],
    };
    expect(run(planMpc, c).index).toBe(-1);
    expect(run(planMpcExhaustive, c).index).toBe(-1);
  });

  it('breaks a tie toward the later sequence: (0) and (1) both score 1.0 → rung 1', () => {
    // Horizon 1, last rung 0, no stall: (0) = 1 − 0 = 1; (1) = 2 − |2000 − 1000|/1000 = 1.
    const c: Case = {
      input: { horizon: 1, rungs: 2, startBufferS: 10, lastRung: 0, bitratesKbps: Float64Array.of(1000, 2000), rebufferPenaltyPerS: 4.3, switchPenalty: 1 },
      downloadS: [1, 1],
      segmentS: [4],
    };
    expect(run(planMpc, c)).toEqual({ index: 1, reward: 1 });
  });
});
