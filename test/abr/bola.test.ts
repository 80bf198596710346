import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AbandonQuietRange, LowerRungSizes, bolaAbandonRuledOut, bolaAbandonTarget, nondecreasing } from '../../src/abr/abandon-shortcuts.js';
import { BolaPolicy, bolaArgmax, bolaRampBufferMs, bolaScore, bolaScoreLevels, bolaUtilities, bolaVp } from '../../src/abr/bola.js';
import type { AbrContext, DownloadProgress } from '../../src/abr/types.js';
import type { Catalog } from '../../src/origin/catalog.js';

/** A 3-rung ladder, 100/200/400 kbps, 3 s segments, 20 segments. */
function catalog(ladder = [100, 200, 400], segmentCount = 20): Catalog {
  return {
    name: 't',
    segmentDurationMs: 3000,
    segmentCount,
    durationMs: segmentCount * 3000,
    representations: ladder.map((b, i) => ({ id: `q${i}`, bitrateKbps: b, width: 0, height: 0, codecs: '' })),
    sizesBytes: ladder.map((b) => new Float64Array(segmentCount).fill((b * 3000) / 8)),
    segmentDurationAt: () => 3000,
  };
}

function ctx(over: Partial<AbrContext> = {}): AbrContext {
  const c = over.catalog ?? catalog();
  return {
    nowMs: 0,
    catalog: c,
    segmentIndex: 10,
    bufferMs: 0,
    maxBufferMs: 15_000,
    lastIndex: -1,
    lastSwitchMs: -Infinity,
    throughputKbps: 10_000,
    latencyMs: 0,
    maxIndex: c.representations.length - 1,
    history: [],
    phase: 'playing',
    playheadMs: 0,
    ...over,
  };
}

// Hand computation for the ladder 100/200/400 kbps, seg = 3000 ms, B = 15000 ms, γp = 5:
//   u = [ln 1, ln 2, ln 4] = [0, 0.693147, 1.386294]
//   Vp = (15000 − 3000)/(1.386294 + 5) = 12000/6.386294 = 1879.0239 ms
//   q0 → q1 where (5Vp − L)/100 = ((5 + ln2)Vp − L)/200  ⇒  L = (5 − ln 2)·Vp = 4.306853 × 1879.0239 = 8092.68 ms
//   q1 → q2 where ((5 + ln2)Vp − L)/200 = ((5 + ln4)Vp − L)/400  ⇒  L = 5·Vp = 9395.12 ms (since 2 ln2 = ln4)
//   Vp·(u2 + γp) = 12000 ms: the top rung's score is 0 exactly at L = B − seg.
describe('BOLA maths on a hand-computed 3-rung example', () => {
  const ladder = [100, 200, 400];
  const u = bolaUtilities(ladder, 0);
  const vp = bolaVp(15_000, 3000, u[2] as number, 5);

  it('utilities are ln(b/b0), with u0 = 0', () => {
    expect(u[0]).toBe(0);
    expect(u[1]).toBeCloseTo(0.693147, 6);
    expect(u[2]).toBeCloseTo(1.386294, 6);
  });

  it('utilities for BOLA-E are offset so that u0 = 1', () => {
    const ue = bolaUtilities(ladder, 1);
    expect(ue[0]).toBe(1);
    expect(ue[2]).toBeCloseTo(2.386294, 6);
  });

  it('Vp = (B − seg)/(u_max + γp)', () => {
    expect(vp).toBeCloseTo(1879.0239, 3);
    expect(vp * ((u[2] as number) + 5)).toBeCloseTo(12_000, 9);
  });

  it('scores at level 0: 5Vp/100, (5 + ln2)Vp/200, (5 + ln4)Vp/400', () => {
    // 5 × 1879.0239/100 = 93.9512; 5.693147 × 1879.0239/200 = 53.4878; 12000/400 = 30
    expect(bolaScore(vp, u[0] as number, 5, 0, 100)).toBeCloseTo(93.9512, 3);
    expect(bolaScore(vp, u[1] as number, 5, 0, 200)).toBeCloseTo(53.4878, 3);
    expect(bolaScore(vp, u[2] as number, 5, 0, 400)).toBeCloseTo(30, 9);
  });

  it('argmax switches up at 8092.68 ms and 9395.12 ms', () => {
    const pick = (levelMs: number): number => bolaArgmax(vp, u, 5, levelMs, ladder, 2);
    expect(pick(0)).toBe(0);
    expect(pick(8092)).toBe(0);
    expect(pick(8093)).toBe(1);
    expect(pick(9395)).toBe(1);
    expect(pick(9396)).toBe(2);
    expect(pick(30_000)).toBe(2);
  });

  it('ties go to the lowest rung', () => {
    // Vp = 0 and level 0: every score is 0.
    expect(bolaArgmax(0, u, 5, 0, ladder, 2)).toBe(0);
  });

  it('the argmax never goes down as the buffer grows (single crossing for an ascending ladder)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 40_000, noNaN: true }), fc.double({ min: 0, max: 40_000, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return bolaArgmax(vp, u, 5, lo, ladder, 2) <= bolaArgmax(vp, u, 5, hi, ladder, 2);
      }),
    );
  });

  it('ramp target: max(min(i − seek, N − i)/2, 3) segments', () => {
    expect(bolaRampBufferMs(1, 0, 199, 3000)).toBe(9000); // min(1, 198)/2 = 0.5 → 3 segments
    expect(bolaRampBufferMs(20, 0, 199, 3000)).toBe(30_000); // 20/2 = 10 segments
    expect(bolaRampBufferMs(190, 0, 199, 3000)).toBe(13_500); // N − i = 9 → 4.5 segments
  });
});

describe('BolaPolicy', () => {
  it('BOLA-basic picks the plain argmax with the fixed Vp', () => {
    const bola = new BolaPolicy({ basic: true, gammaP: 5 });
    expect(bola.chooseRepresentation(ctx({ bufferMs: 8000 })).index).toBe(0);
    expect(bola.chooseRepresentation(ctx({ bufferMs: 9000 })).index).toBe(1);
    expect(bola.chooseRepresentation(ctx({ bufferMs: 9500 })).index).toBe(2);
  });

  it('BOLA-U: an up-switch above the sustainable rung goes one rung above it', () => {
    const bola = new BolaPolicy({ basic: true, gammaP: 5 });
    // 150 kbps with no latency sustains rung 0 only (200 > 150), so the argmax 2 becomes 0 + 1.
    const d = bola.chooseRepresentation(ctx({ bufferMs: 10_000, throughputKbps: 150 }));
    expect(d.index).toBe(1);
  });

  it('BOLA-U: keeps the last rung when that is already above the sustainable one', () => {
    const bola = new BolaPolicy({ basic: true, gammaP: 5 });
    expect(bola.chooseRepresentation(ctx({ bufferMs: 9000, throughputKbps: 10_000 })).index).toBe(1);
    // argmax 2 > last 1 > sustainable 0: stay at 1.
    expect(bola.chooseRepresentation(ctx({ bufferMs: 10_000, throughputKbps: 150 })).index).toBe(1);
  });

  it('BOLA-O: up-switch to the sustainable rung plus a delay down to its max buffer', () => {
    const bola = new BolaPolicy({ basic: true, oscillation: true, gammaP: 5 });
    bola.chooseRepresentation(ctx({ bufferMs: 0 })); // last = 0
    // 250 kbps sustains rung 1. Delay = level − Vp·(γp + u1) = 11000 − 1879.0239 × 5.693147
    //   = 11000 − (9395.12 + 1302.44) = 11000 − 10697.56 = 302.44 ms.
    const d = bola.chooseRepresentation(ctx({ bufferMs: 11_000, throughputKbps: 250 }));
    expect(d.index).toBe(1);
    expect(d.delayMs).toBeCloseTo(302.44, 1);
  });

  it('BOLA-U shrinks the target buffer near the start: at segment 1 only 3 segments', () => {
    const bola = new BolaPolicy({ gammaP: 5 });
    // B' = min(15000, 9000) = 9000 → Vp = 6000/6.386294 = 939.51; top rung needs level > 5·Vp = 4697.6 ms.
    expect(bola.chooseRepresentation(ctx({ segmentIndex: 1, bufferMs: 4800 })).index).toBe(2);
  });

  it('abandons to a lower rung whose restart scores better, and remembers it', () => {
    const bola = new BolaPolicy({ basic: false, gammaP: 5 });
    const c = ctx({ segmentIndex: 10, bufferMs: 1000 });
    bola.chooseRepresentation(c); // sets Vp for segment 10 (min(10, 10)/2 = 5 segments = 15000: full B)
    const progress: DownloadProgress = {
      segmentIndex: 10,
      repIndex: 2,
      loadedBytes: 1000 / 8,
      totalBytes: (400 * 3000) / 8,
      requestMs: 0,
      firstByteMs: 0,
      elapsedMs: 100,
      timeToFirstByteMs: 0,
    };
    // remain = 1,200,000 − 1000 bits; keep score = (12000 − 1000)/1,199,000 = 0.00917
    // rung 0: size 300,000 bits, score (5Vp − 1000)/300,000 = (9395.12 − 1000)/300,000 = 0.02798 → better
    // rung 1: size 600,000, score (10697.56 − 1000)/600,000 = 0.01616 → better than keep, worse than rung 0
    expect(bola.shouldAbandon(c, progress)?.index).toBe(0);
  });

  it('never abandons when keeping the download scores negative (buffer above the target)', () => {
    const bola = new BolaPolicy({ gammaP: 5 });
    const c = ctx({ bufferMs: 13_000 });
    bola.chooseRepresentation(c);
    const progress: DownloadProgress = {
      segmentIndex: 10,
      repIndex: 2,
      loadedBytes: 100,
      totalBytes: 150_000,
      requestMs: 0,
      firstByteMs: 0,
    };
    expect(bola.shouldAbandon(c, progress)).toBeUndefined();
  });

  it('rejects bad params with an InputError naming the field', () => {
    expect(() => new BolaPolicy({ gammaP: -1 })).toThrow(/gammaP/);
  });
});

/** A context the test moves along a download. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Sabre's abandonment loop written plainly (src/sabre.py `check_abandon` of Bola/BolaEnh): every lower rung, its
 * size b_q/b_rep of the segment, its score (Vp·(γp + u_q) − level)/size, kept when it fits and beats the best so far.
 */
function plainAbandonTarget(ladder: number[], levels: ArrayLike<number>, sizeBits: number, rep: number, level: number, limitBits: number): number {
  let score = ((levels[rep] as number) - level) / limitBits;
  let to = -1;
  for (let q = 0; q < rep; q++) {
    const other = (sizeBits * (ladder[q] as number)) / (ladder[rep] as number);
    const s = ((levels[q] as number) - level) / other;
    if (other < limitBits && s > score) {
      score = s;
      to = q;
    }
  }
  return to;
}

/** An ascending ladder of 2–10 rungs from 100 kbps, with its BOLA-E style score levels (utilities u0 = 1). */
const ladderAndLevels = fc
  .tuple(fc.array(fc.double({ min: 1.05, max: 3, noNaN: true }), { minLength: 1, maxLength: 9 }), fc.double({ min: 500, max: 20_000, noNaN: true }), fc.double({ min: 0.2, max: 10, noNaN: true }))
  .map(([steps, vp, gp]) => {
    const ladder = [100];
    for (const f of steps) ladder.push((ladder[ladder.length - 1] as number) * f);
    const levels = bolaScoreLevels(new Float64Array(ladder.length), vp, gp, bolaUtilities(ladder, 1));
    return { ladder, levels };
  });

describe('BOLA abandonment shortcuts (exact: same answers as the plain rule)', () => {
  it('LowerRungSizes: b_q/b_rep of the size, ascending, memoised per (ladder, size, rung)', () => {
    const sizes = new LowerRungSizes();
    const ladder = Float64Array.of(100, 200, 400);
    const bits = sizes.of(ladder, 1_200_000, 2);
    expect(Array.from(bits.subarray(0, 2))).toEqual([300_000, 600_000]);
    expect(sizes.ascending).toBe(true);
    expect(sizes.smallestBits).toBe(300_000);
    expect(sizes.of(ladder, 1_200_000, 2)).toBe(bits);
    sizes.of(ladder, 800_000, 1);
    expect(bits[0]).toBe(400_000);
    expect(sizes.of(ladder, 800_000, 0) && sizes.smallestBits).toBe(Infinity);
  });

  it('bolaAbandonTarget matches the plain loop, ties to the lower rung', () => {
    fc.assert(
      fc.property(ladderAndLevels, fc.double({ min: 0, max: 40_000, noNaN: true }), fc.double({ min: 1e3, max: 1e8, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), fc.nat(), ({ ladder, levels }, level, sizeBits, frac, r) => {
        const rep = r % ladder.length;
        const limit = sizeBits * frac;
        const sizes = new LowerRungSizes();
        sizes.of(Float64Array.from(ladder), sizeBits, rep);
        const score = ((levels[rep] as number) - level) / limit;
        expect(bolaAbandonTarget(levels, sizes, rep, level, limit, score)).toBe(plainAbandonTarget(ladder, levels, sizeBits, rep, level, limit));
      }),
      { numRuns: 3000 },
    );
  });

  it('bolaAbandonRuledOut: when it rules a poll out, the plain rule abandons at no higher level and no larger remainder', () => {
    let ruledOut = 0;
    fc.assert(
      fc.property(
        ladderAndLevels,
        fc.double({ min: 0, max: 40_000, noNaN: true }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 1e3, max: 1e8, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.nat(),
        ({ ladder, levels }, level, above, sizeBits, frac, shrink, r) => {
          const rep = r % ladder.length;
          const bound = sizeBits * frac;
          const sizes = new LowerRungSizes();
          sizes.of(Float64Array.from(ladder), sizeBits, rep);
          if (!bolaAbandonRuledOut(levels, sizes, rep, level, bound)) return;
          ruledOut++;
          for (const [l, limit] of [[level, bound], [level + above, bound], [level + above, bound * shrink], [level, bound * shrink]] as const) {
            expect(plainAbandonTarget(ladder, levels, sizeBits, rep, l, limit)).toBe(-1);
          }
        },
      ),
      { numRuns: 3000 },
    );
    expect(ruledOut).toBeGreaterThan(300);
  });

  it('bolaAbandonRuledOut near the boundary: rules out only below the level where restarting at rung 0 wins', () => {
    // Ladder 100/200, levels [1000, 2000] ms, 1,000,000-bit segment at rung 1, 800,000 bits left:
    //   rung 0 is 500,000 bits; it wins when (1000 − L)/500,000 > (2000 − L)/800,000, i.e. 8(1000 − L) > 5(2000 − L),
    //   3·L < −2000: never for L >= 0. With 400,000 bits left rung 0 does not fit at all.
    const levels = Float64Array.of(1000, 2000);
    const sizes = new LowerRungSizes();
    sizes.of(Float64Array.of(100, 200), 1_000_000, 1);
    expect(bolaAbandonRuledOut(levels, sizes, 1, 0, 800_000)).toBe(true);
    expect(bolaAbandonRuledOut(levels, sizes, 1, 0, 400_000)).toBe(true);
    // Levels [1900, 2000]: rung 0 wins when 8(1900 − L) > 5(2000 − L), L < 1733.3 ms.
    const close = Float64Array.of(1900, 2000);
    expect(plainAbandonTarget([100, 200], close, 1_000_000, 1, 1700, 800_000)).toBe(0);
    expect(bolaAbandonRuledOut(close, sizes, 1, 1700, 800_000)).toBe(false);
    expect(plainAbandonTarget([100, 200], close, 1_000_000, 1, 1760, 800_000)).toBe(-1);
    expect(bolaAbandonRuledOut(close, sizes, 1, 1760, 800_000)).toBe(true);
  });

  it('AbandonQuietRange covers lower remainders and higher buffers of the same key only', () => {
    const q = new AbandonQuietRange();
    const ladder = Float64Array.of(100, 200);
    expect(q.covers(ladder, 1e6, 1, 50, 0, 0, 1, 1e9)).toBe(false);
    q.set(ladder, 1e6, 1, 50, 10, 100, 800_000, 2000);
    expect(q.covers(ladder, 1e6, 1, 50, 10, 100, 700_000, 2500)).toBe(true);
    expect(q.covers(ladder, 1e6, 1, 50, 10, 100, 800_001, 2500)).toBe(false);
    expect(q.covers(ladder, 1e6, 1, 50, 10, 100, 700_000, 1999)).toBe(false);
    expect(q.covers(ladder, 1e6, 1, 50, 11, 100, 700_000, 2500)).toBe(false);
    expect(q.covers(ladder, 1e6, 0, 50, 10, 100, 700_000, 2500)).toBe(false);
    expect(q.covers(Float64Array.of(100, 200), 1e6, 1, 50, 10, 100, 700_000, 2500)).toBe(false);
    expect(q.promise()).toBe(q);
    q.live = false;
    expect(q.promise()).toBeUndefined();
  });

  it('nondecreasing', () => {
    expect(nondecreasing([1, 1, 2], 3)).toBe(true);
    expect(nondecreasing([1, 0.5], 2)).toBe(false);
    expect(nondecreasing([Number.NaN, 1], 2)).toBe(false);
  });

  it('BolaPolicy.shouldAbandon over whole downloads equals the plain rule, and keeps its quiet promises', () => {
    const ladder = [230, 331, 477, 688, 991, 1427, 2056, 2962, 5027, 6000];
    const cat = catalog(ladder, 40);
    let abandoned = 0;
    let promised = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 39 }),
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 25_000, noNaN: true }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        fc.array(fc.double({ min: 1000, max: 60_000, noNaN: true }), { minLength: 5, maxLength: 80 }),
        (segment, rep, startLevel, sizeFactor, steps) => {
          const bola = new BolaPolicy({ gammaP: 5, bufferMs: 25_000 });
          const c: Mutable<AbrContext> = ctx({ catalog: cat, segmentIndex: segment, bufferMs: startLevel, maxBufferMs: 25_000 });
          bola.chooseRepresentation(c);
          // Vp of this decision, from the policy's own ramp rule (its maths is tested above).
          const u = bolaUtilities(ladder, 0);
          const target = Math.min(25_000, bolaRampBufferMs(segment, 0, 40, 3000));
          const levels = bolaScoreLevels(new Float64Array(ladder.length), bolaVp(target, 3000, u[9] as number, 5), 5, u);
          const sizeBits = (ladder[rep] as number) * 3000 * sizeFactor;
          let got = 0;
          let promise: { remainBits: number; minBufferMs: number; untilElapsedMs: number } | undefined;
          for (let i = 0; i < steps.length && got + (steps[i] as number) < sizeBits; i++) {
            got += steps[i] as number;
            const level = Math.max(0, startLevel - 50 * (i + 1));
            const progress: DownloadProgress = { segmentIndex: segment, repIndex: rep, loadedBytes: got / 8, totalBytes: sizeBits / 8, requestMs: 0, firstByteMs: 0, elapsedMs: 50 * (i + 1), timeToFirstByteMs: 0 };
            c.bufferMs = level;
            const plain = plainAbandonTarget(ladder, levels, sizeBits, rep, level, sizeBits - got);
            const expected = ((levels[rep] as number) - level) / (sizeBits - got) < 0 ? -1 : plain;
            if (promise !== undefined && sizeBits - got <= promise.remainBits && level >= promise.minBufferMs) {
              promised++;
              expect(expected).toBe(-1);
            }
            const d = bola.shouldAbandon(c, progress);
            expect(d?.index ?? -1).toBe(expected);
            if (d !== undefined) {
              abandoned++;
              return;
            }
            promise = bola.abandonQuiet();
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(abandoned).toBeGreaterThan(20);
    expect(promised).toBeGreaterThan(200);
  });
});
