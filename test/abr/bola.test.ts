import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BolaPolicy, bolaArgmax, bolaRampBufferMs, bolaScore, bolaUtilities, bolaVp } from '../../src/abr/bola.js';
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
