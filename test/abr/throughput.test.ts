import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ThroughputPolicy, insufficientBufferCap, qualityFromThroughput } from '../../src/abr/throughput.js';
import type { AbrContext, DownloadProgress } from '../../src/abr/types.js';
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
    bufferMs: 20_000,
    maxBufferMs: 25_000,
    lastIndex: -1,
    lastSwitchMs: -Infinity,
    throughputKbps: 1000,
    latencyMs: 0,
    maxIndex: c.representations.length - 1,
    history: [],
    phase: 'playing',
    playheadMs: 0,
    ...over,
  };
}

describe('quality from throughput (Sabre quality_from_throughput)', () => {
  const ladder = [100, 200, 400];
  it('largest rung with latency + seg·b/T <= seg', () => {
    expect(qualityFromThroughput(ladder, 2, 3000, 0, 400)).toBe(2); // 0 + 3000·400/400 = 3000 <= 3000
    expect(qualityFromThroughput(ladder, 2, 3000, 0, 399)).toBe(1);
    // Latency 1500 ms leaves half the segment time: b <= 900·0.5 = 450 → rung 2; latency 2000 → b <= 300 → rung 1.
    expect(qualityFromThroughput(ladder, 2, 3000, 1500, 900)).toBe(2);
    expect(qualityFromThroughput(ladder, 2, 3000, 2000, 900)).toBe(1);
    expect(qualityFromThroughput(ladder, 2, 3000, 0, 1)).toBe(0); // nothing fits: still the lowest
  });
  it('respects maxIndex', () => {
    expect(qualityFromThroughput(ladder, 1, 3000, 0, 10_000)).toBe(1);
  });
  it('insufficient-buffer cap: first q with the next rung too big for the safe bits', () => {
    expect(insufficientBufferCap(ladder, 2, 3000, 599_999)).toBe(0); // 200·3000 = 600,000 > 599,999
    expect(insufficientBufferCap(ladder, 2, 3000, 600_000)).toBe(1); // 400·3000 = 1.2e6 > 600,000
    expect(insufficientBufferCap(ladder, 2, 3000, 1_200_000)).toBe(2);
  });
});

describe('ThroughputPolicy', () => {
  it('uses 0.9 of the estimate: 400 kbps sustains rung 2 but 0.9·400 = 360 only rung 1', () => {
    const p = new ThroughputPolicy({ insufficientBufferRule: false });
    expect(p.chooseRepresentation(ctx({ throughputKbps: 400 })).index).toBe(1);
    expect(p.chooseRepresentation(ctx({ throughputKbps: 445 })).index).toBe(2); // 0.9·445 = 400.5
  });

  it('the safety factor is configurable', () => {
    const p = new ThroughputPolicy({ insufficientBufferRule: false, safetyFactor: 1 });
    expect(p.chooseRepresentation(ctx({ throughputKbps: 400 })).index).toBe(2);
  });

  it('insufficient-buffer safety decays 0.9, 0.81, 0.729, 0.6561, 0.59049, 0.531441 then floors at 0.5', () => {
    const p = new ThroughputPolicy();
    // level 1000 ms, T 1000 kbps: safe = s·1000·1000 = s·1e6 bits; rung 1's segment is 600,000 bits,
    // so rung 1 is allowed while s >= 0.6 and the choice drops to rung 0 from the 5th decision (s = 0.59049).
    const picks = Array.from({ length: 8 }, () => p.chooseRepresentation(ctx({ bufferMs: 1000, throughputKbps: 1000 })).index);
    expect(picks).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('the insufficient-buffer rule subtracts the latency estimate from the buffer', () => {
    const p = new ThroughputPolicy();
    // safe = 0.9·(1000 − 400)·1000 = 540,000 < 600,000 → rung 0.
    expect(p.chooseRepresentation(ctx({ bufferMs: 1000, latencyMs: 400, throughputKbps: 1000 })).index).toBe(0);
  });

  const slow = (elapsedMs: number, loadedBits: number): DownloadProgress => ({
    segmentIndex: 5,
    repIndex: 2,
    loadedBytes: loadedBits / 8,
    totalBytes: 1_200_000 / 8,
    requestMs: 0,
    firstByteMs: 100,
    elapsedMs,
    timeToFirstByteMs: 100,
  });

  it('abandons a slow download after 500 ms to the rung the measured rate sustains', () => {
    const p = new ThroughputPolicy();
    // 45,000 bits in 900 ms = 50 kbps; 1,155,000 bits left take 23,100 ms; 1000 + 23100 > 1.8·3000 = 5400.
    // 0.9·50 = 45 kbps sustains rung 0, whose segment (1.2e6·100/400 = 300,000 bits) is smaller than what is left.
    expect(p.shouldAbandon(ctx(), slow(1000, 45_000))?.index).toBe(0);
  });

  it('does not abandon within the 500 ms grace time, nor a download that will finish in time', () => {
    const p = new ThroughputPolicy();
    expect(p.shouldAbandon(ctx(), slow(499, 100))).toBeUndefined();
    // 900,000 bits in 900 ms = 1000 kbps: 300 ms left, 1300 < 5400.
    expect(p.shouldAbandon(ctx(), slow(1000, 900_000))).toBeUndefined();
  });

  it('promises quiet polls until the grace time ends, and for a while when on time (AbandonQuiet)', () => {
    const p = new ThroughputPolicy();
    expect(p.abandonQuiet()).toBeUndefined();
    expect(p.shouldAbandon(ctx(), slow(499, 100))).toBeUndefined();
    expect(p.abandonQuiet()).toEqual({ remainBits: Infinity, minBufferMs: -Infinity, untilElapsedMs: 500 });
    // The promise is kept: however slow, a poll before 500 ms answers undefined.
    expect(p.shouldAbandon(ctx(), slow(499.9, 8))).toBeUndefined();
    // On time (ends at 1300 ms). At worst over the next second, 900,000 bits in 2000 − 100 ms = 473.7 kbps, and
    // 300,000 bits left take 633.3 ms: 2633.3 <= 5400, so no poll before 2000 ms with at most 300,000 bits left abandons.
    expect(p.shouldAbandon(ctx(), slow(1000, 900_000))).toBeUndefined();
    expect(p.abandonQuiet()).toEqual({ remainBits: 300_000, minBufferMs: -Infinity, untilElapsedMs: 2000 });
    // Too slow: it abandons, with no promise.
    expect(p.shouldAbandon(ctx(), slow(1000, 45_000))?.index).toBe(0);
    expect(p.abandonQuiet()).toBeUndefined();
  });

  it('its promises hold: every poll they cover is one the plain rule keeps', () => {
    // dash.js/Sabre's rule, plainly: after 500 ms, abandon when the projected end passes 1.8 segments and the rung
    // the measured rate sustains is lower and smaller than what is left.
    const plain = (elapsedMs: number, ttfbMs: number, gotBits: number, sizeBits: number, rep: number): number => {
      const transferMs = elapsedMs - ttfbMs;
      if (!(elapsedMs >= 500 && transferMs > 0)) return -1;
      const tput = gotBits / transferMs;
      const left = sizeBits - gotBits;
      if (!(elapsedMs + left / tput > 1.8 * 3000)) return -1;
      const q = qualityFromThroughput([100, 200, 400], 2, 3000, 0, tput * 0.9);
      return q >= rep || (sizeBits * ([100, 200, 400][q] as number)) / ([100, 200, 400][rep] as number) >= left ? -1 : q;
    };
    let covered = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: 0, max: 400, noNaN: true }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40_000 }), fc.double({ min: 1, max: 300, noNaN: true })), { minLength: 5, maxLength: 100 }),
        (rep, ttfbMs, steps) => {
          const p = new ThroughputPolicy();
          const sizeBits = [300_000, 600_000, 1_200_000][rep] as number;
          let got = 0;
          let elapsed = ttfbMs;
          let promise: { remainBits: number; minBufferMs: number; untilElapsedMs: number } | undefined;
          for (const [bits, ms] of steps) {
            if (got + bits >= sizeBits) break;
            got += bits;
            elapsed += ms;
            const expected = plain(elapsed, ttfbMs, got, sizeBits, rep);
            if (promise !== undefined && sizeBits - got <= promise.remainBits && elapsed < promise.untilElapsedMs) {
              covered++;
              expect(expected).toBe(-1);
            }
            const progress: DownloadProgress = { segmentIndex: 5, repIndex: rep, loadedBytes: got / 8, totalBytes: sizeBits / 8, requestMs: 0, firstByteMs: ttfbMs, elapsedMs: elapsed, timeToFirstByteMs: ttfbMs };
            const d = p.shouldAbandon(ctx({ latencyMs: 0 }), progress);
            expect(d?.index ?? -1).toBe(expected);
            if (d !== undefined) return;
            promise = p.abandonQuiet();
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(covered).toBeGreaterThan(1000);
  });
});
