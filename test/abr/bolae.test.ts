import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BolaePolicy, bolaeMaxBufferMs, bolaeMinBufferMs, bolaeParameters } from '../../src/abr/bolae.js';
import { bolaUtilities } from '../../src/abr/bola.js';
import type { AbrContext, DownloadProgress, DownloadRecord } from '../../src/abr/types.js';
import type { Catalog } from '../../src/origin/catalog.js';

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
    segmentIndex: 5,
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

function record(over: Partial<DownloadRecord>): DownloadRecord {
  return { segmentIndex: 5, repIndex: 1, bytes: 0, requestMs: 0, firstByteMs: 0, doneMs: 2000, abandoned: false, ...over };
}

// Hand computation, ladder 100/200/400 kbps, seg 3 s, B = 15 s, insufficient-buffer rule on:
//   Bb = max(10000 + 2000·3, 15000) = 16000 ms; u = [1, 1 + ln2, 1 + ln4]
//   γp = (u_max − 1)/(Bb/10000 − 1) = ln4/0.6 = 2.310491; Vp = 10000/γp = 4328.085 ms
//   Vp·γp = 10000, Vp·ln2 = 10000·0.6/2 = 3000, Vp·ln4 = 6000
//   maxL = Vp·(u + γp) = [4328.085 + 10000, +3000, +6000] = [14328.085, 17328.085, 20328.085]
//   minL(1) = Vp·(γp + (200·1 − 100·(1 + ln2))/100) = 10000 + Vp·(1 − ln2) = 10000 + 4328.085 − 3000 = 11328.085
//   minL(2) = max(Vp·(γp + (400 − 100(1 + ln4))/300), Vp·(γp + (400(1 + ln2) − 200(1 + ln4))/200))
//           = max(10000 + Vp − 2000, 10000 + Vp) = 14328.085
describe('BOLA-E parameters (hand-computed)', () => {
  const ladder = [100, 200, 400];
  const u = bolaUtilities(ladder, 1);
  const p = bolaeParameters({
    utilities: u,
    bufferMs: 15_000,
    segmentMs: 3000,
    gammaP: 5,
    insufficientBufferRule: true,
    minimumBufferMs: 10_000,
    minimumBufferPerLevelMs: 2000,
  });

  it('Bb, γp and Vp', () => {
    expect(p.bufferTargetMs).toBe(16_000);
    expect(p.gammaP).toBeCloseTo(2.310491, 6);
    expect(p.vp).toBeCloseTo(4328.085, 3);
  });

  it('max and min buffer per rung', () => {
    expect(bolaeMaxBufferMs(0, p.vp, p.gammaP, u)).toBeCloseTo(14_328.085, 3);
    expect(bolaeMaxBufferMs(1, p.vp, p.gammaP, u)).toBeCloseTo(17_328.085, 3);
    expect(bolaeMaxBufferMs(2, p.vp, p.gammaP, u)).toBeCloseTo(20_328.085, 3);
    expect(bolaeMinBufferMs(0, p.vp, p.gammaP, u, ladder)).toBe(0);
    expect(bolaeMinBufferMs(1, p.vp, p.gammaP, u, ladder)).toBeCloseTo(11_328.085, 3);
    expect(bolaeMinBufferMs(2, p.vp, p.gammaP, u, ladder)).toBeCloseTo(14_328.085, 3);
  });

  it('bbb.json (Sabre): Bb = 30000 at B = 25 s; γp = ln(6000/230)/2 = 1.630718', () => {
    const bbb = [230, 331, 477, 688, 991, 1427, 2056, 2962, 5027, 6000];
    const q = bolaeParameters({
      utilities: bolaUtilities(bbb, 1),
      bufferMs: 25_000,
      segmentMs: 3000,
      gammaP: 5,
      insufficientBufferRule: true,
      minimumBufferMs: 10_000,
      minimumBufferPerLevelMs: 2000,
    });
    expect(q.bufferTargetMs).toBe(30_000);
    expect(q.gammaP).toBeCloseTo(Math.log(6000 / 230) / 2, 12);
  });

  it('BOLA-PL (no insufficient-buffer rule): γp − 1 and Vp = (B − seg)/(u_max + γp − 1)', () => {
    const q = bolaeParameters({
      utilities: u,
      bufferMs: 15_000,
      segmentMs: 3000,
      gammaP: 5,
      insufficientBufferRule: false,
      minimumBufferMs: 10_000,
      minimumBufferPerLevelMs: 2000,
    });
    expect(q.gammaP).toBe(4);
    // 12000/(1 + ln4 + 4) = 12000/6.386294 = 1879.024
    expect(q.vp).toBeCloseTo(1879.024, 3);
  });
});

describe('BOLA-E placeholder buffer', () => {
  it('startup: throughput choice, placeholder = minL(choice) − level', () => {
    const b = new BolaePolicy();
    // 250 kbps sustains rung 1 (200 ≤ 250 < 400).
    const d = b.chooseRepresentation(ctx({ bufferMs: 3000, throughputKbps: 250 }));
    expect(d.index).toBe(1);
    expect(b.placeholder).toBeCloseTo(11_328.085 - 3000, 3);
  });

  it('buffer-full waits grow it; a decision above maxL spends it before any real delay', () => {
    const b = new BolaePolicy();
    b.chooseRepresentation(ctx({ bufferMs: 3000, throughputKbps: 250 })); // placeholder 8328.085
    b.onBufferFullWait(10_000); // 18328.085
    // level + placeholder = 21328.085 → rung 2 (above 14328.085); sustainable at 10 Mbps is 2.
    // Delay 21328.085 − maxL(2) 20328.085 = 1000 ≤ placeholder: it comes out of the placeholder.
    const d = b.chooseRepresentation(ctx({ bufferMs: 3000, throughputKbps: 10_000 }));
    expect(d.index).toBe(2);
    expect(d.delayMs ?? 0).toBe(0);
    expect(b.placeholder).toBeCloseTo(17_328.085, 3);
  });

  it('only the excess over the placeholder becomes a real delay', () => {
    const b = new BolaePolicy({ oscillation: true });
    b.chooseRepresentation(ctx({ bufferMs: 11_328.085122666895, throughputKbps: 250 })); // placeholder 0
    b.onBufferFullWait(300);
    // level 18000 + 300 → argmax 2, capped at max(last 1, sustainable 1) = 1 (BOLA-O: no +1).
    // d = 18300 − maxL(1) 17328.085 = 971.915 > 300: delay 671.915, placeholder 0.
    const d = b.chooseRepresentation(ctx({ bufferMs: 18_000, throughputKbps: 250 }));
    expect(d.index).toBe(1);
    expect(d.delayMs).toBeCloseTo(671.915, 3);
    expect(b.placeholder).toBe(0);
  });

  it('insufficient-buffer rule: caps the choice and the placeholder', () => {
    const b = new BolaePolicy();
    b.chooseRepresentation(ctx({ bufferMs: 100, throughputKbps: 1000 })); // rung 2; placeholder 14228.085
    b.onBufferFullWait(1000); // 15228.085 → level + placeholder 15328.085 → rung 2
    // safe = 0.9 × (100 − 0) × 1000 = 90,000 bits < 200 kbps × 3000 ms = 600,000: cap to rung 0,
    // placeholder = min(max(0, minL(0) − 100), placeholder) = 0.
    const d = b.chooseRepresentation(ctx({ bufferMs: 100, throughputKbps: 1000 }));
    expect(d.index).toBe(0);
    expect(b.placeholder).toBe(0);
  });

  it('a completed download trims the placeholder to maxL(q) − (level + download time)', () => {
    const b = new BolaePolicy();
    b.chooseRepresentation(ctx({ bufferMs: 3000, throughputKbps: 250 }));
    b.onBufferFullWait(10_000); // 18328.085
    // L = 6000 + 2000 = 8000; maxL(1) − L = 9328.085; minL(1) − L = 3328.085 is lower: 9328.085 stays.
    b.onDownload(record({ repIndex: 1, elapsedMs: 2000 }), ctx({ bufferMs: 6000 }));
    expect(b.placeholder).toBeCloseTo(9328.085, 3);
  });

  it('an abandonment to rung 0 trims it to 10 s − level; a replacement adds one segment', () => {
    const b = new BolaePolicy();
    b.chooseRepresentation(ctx({ bufferMs: 3000, throughputKbps: 250 })); // 8328.085
    b.onDownload(record({ abandoned: true, abandonedToIndex: 0 }), ctx({ bufferMs: 4000 }));
    expect(b.placeholder).toBe(6000);
    b.onDownload(record({ replacement: true }), ctx({ bufferMs: 4000 }));
    expect(b.placeholder).toBe(9000);
  });

  it('a seek returns to startup', () => {
    const b = new BolaePolicy();
    b.chooseRepresentation(ctx({ bufferMs: 3000, throughputKbps: 250 }));
    b.onEvent('seek');
    expect(b.chooseRepresentation(ctx({ bufferMs: 0, throughputKbps: 150 })).reason).toMatch(/startup/);
  });
});

/** A context the test moves along a download. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * BOLA-E's abandonment check as Sabre writes it (src/sabre.py `BolaEnh.check_abandon`), plainly: restarting costs one
 * more time to first byte, taken off the buffer (with the placeholder) and off what is left.
 */
function plainBolaeAbandon(
  p: { ladder: number[]; utilities: ArrayLike<number>; vp: number; gp: number; placeholderMs: number },
  poll: { sizeBits: number; gotBits: number; rep: number; bufferMs: number; elapsedMs: number; ttfbMs: number },
): number {
  const remain = poll.sizeBits - poll.gotBits;
  if (poll.gotBits <= 0 || remain <= 0) return -1;
  const bl = Math.max(0, poll.bufferMs + p.placeholderMs - poll.ttfbMs);
  const tput = poll.gotBits / (poll.elapsedMs - poll.ttfbMs);
  const sz = remain - poll.ttfbMs * tput;
  if (sz <= 0) return -1;
  let score = (p.vp * (p.gp + (p.utilities[poll.rep] as number)) - bl) / sz;
  let to = -1;
  for (let q = 0; q < poll.rep; q++) {
    const other = (poll.sizeBits * (p.ladder[q] as number)) / (p.ladder[poll.rep] as number);
    const s = (p.vp * (p.gp + (p.utilities[q] as number)) - bl) / other;
    if (other < sz && s > score) {
      score = s;
      to = q;
    }
  }
  return to;
}

describe('BOLA-E abandonment shortcuts (exact: same answers as Sabre\'s rule)', () => {
  it('over whole downloads, with placeholder and time to first byte; the quiet promises hold', () => {
    const ladder = [230, 331, 477, 688, 991, 1427, 2056, 2962, 5027, 6000];
    const cat = catalog(ladder, 40);
    let abandoned = 0;
    let promised = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 30_000, noNaN: true }),
        fc.double({ min: 0, max: 20_000, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        // Steps of whole bits (0 for a stalled step), as a transport delivers them.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60_000 }), fc.double({ min: 1, max: 400, noNaN: true })), { minLength: 5, maxLength: 80 }),
        (rep, startLevel, placeholderMs, ttfbMs, sizeFactor, steps) => {
          const b = new BolaePolicy({ bufferMs: 25_000 });
          const c: Mutable<AbrContext> = ctx({ catalog: cat, maxBufferMs: 25_000, bufferMs: startLevel });
          const { gammaP, vp } = b.parameters(c);
          b.onBufferFullWait(placeholderMs);
          const p = { ladder, utilities: bolaUtilities(ladder, 1), vp, gp: gammaP, placeholderMs };
          const sizeBits = (ladder[rep] as number) * 3000 * sizeFactor;
          let got = 0;
          let elapsed = ttfbMs;
          let promise: { remainBits: number; minBufferMs: number; untilElapsedMs: number } | undefined;
          for (const [bits, ms] of steps) {
            if (got + bits >= sizeBits) break;
            got += bits;
            elapsed += ms;
            const bufferMs = Math.max(0, startLevel - elapsed);
            const expected = plainBolaeAbandon(p, { sizeBits, gotBits: got, rep, bufferMs, elapsedMs: elapsed, ttfbMs });
            if (promise !== undefined && sizeBits - got <= promise.remainBits && bufferMs >= promise.minBufferMs && elapsed < promise.untilElapsedMs) {
              promised++;
              expect(expected).toBe(-1);
            }
            c.bufferMs = bufferMs;
            const progress: DownloadProgress = { segmentIndex: 5, repIndex: rep, loadedBytes: got / 8, totalBytes: sizeBits / 8, requestMs: 0, firstByteMs: ttfbMs, elapsedMs: elapsed, timeToFirstByteMs: ttfbMs };
            const d = b.shouldAbandon(c, progress);
            expect(d?.index ?? -1).toBe(expected);
            if (d !== undefined) {
              abandoned++;
              return;
            }
            promise = b.abandonQuiet();
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(abandoned).toBeGreaterThan(20);
    expect(promised).toBeGreaterThan(200);
  });
});
