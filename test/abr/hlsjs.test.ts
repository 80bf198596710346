import { describe, expect, it } from 'vitest';
import { HalfLifeEwma } from '../../src/abr/estimators/half-life-ewma.js';
import { HlsjsEwmaEstimator, hlsjsTtfbWeight } from '../../src/abr/estimators/hlsjs-ewma.js';
import { HlsjsPolicy, peakBitratesKbps } from '../../src/abr/hlsjs.js';
import { createBuiltinPolicy } from '../../src/abr/registry.js';
import type { AbrContext, DownloadProgress, DownloadRecord } from '../../src/abr/types.js';
import { InputError } from '../../src/core/errors.js';
import { traceFromPeriods } from '../../src/net/trace.js';
import type { Catalog } from '../../src/origin/catalog.js';
import { simulateSession } from '../../src/sim/simulate.js';
import { cbrCatalog } from '../helpers/fakes.js';

// Ladder used throughout: 300 / 750 / 1500 / 3000 kbps, 4 s segments, sizes exactly nominal (peak = average).
const LADDER = [300, 750, 1500, 3000];
const catalog = cbrCatalog({ ratesKbps: LADDER, segments: 40 });

function ctx(over: Partial<AbrContext> = {}): AbrContext {
  const c = over.catalog ?? catalog;
  return {
    nowMs: 0,
    catalog: c,
    segmentIndex: 5,
    bufferMs: 20_000,
    maxBufferMs: 60_000,
    lastIndex: -1,
    lastSwitchMs: -Infinity,
    throughputKbps: undefined,
    latencyMs: undefined,
    maxIndex: c.representations.length - 1,
    history: [],
    phase: 'playing',
    playheadMs: 0,
    ...over,
  };
}

/** A finished download with no TTFB (TTFB 0 ms: the bandwidth sample is the whole request time). */
function record(over: Partial<DownloadRecord> & { bytes: number; doneMs: number }): DownloadRecord {
  return { segmentIndex: 0, repIndex: 0, requestMs: 0, firstByteMs: over.requestMs ?? 0, abandoned: false, ...over };
}

/** A policy whose estimate is exactly `kbps` (one sample: a single-sample EWMA reads the sample) after loading `repIndex`. */
function policyAt(kbps: number, repIndex: number, params: Record<string, unknown> = {}): HlsjsPolicy {
  const p = new HlsjsPolicy(params);
  // 4000 ms at `kbps` = kbps·4000/8 bytes.
  p.onDownload(record({ repIndex, bytes: (kbps * 4000) / 8, doneMs: 4000 }));
  return p;
}

describe('half-life EWMA (shaka lib/abr/ewma.js, hls.js src/utils/ewma.ts)', () => {
  it('a single sample reads back exactly (zero-start bias corrected)', () => {
    const e = new HalfLifeEwma(3000);
    e.sample(1234, 777);
    expect(e.getEstimate()).toBeCloseTo(777, 9);
  });
  it('two samples one half-life each: (2000·0.5 + 0.5·500) / (1 − 0.25) = 1666.67', () => {
    // α^3000 = 0.5. After 1000: 1000·0.5 = 500. After 2000: 2000·0.5 + 0.5·500 = 1250; ÷ (1 − 0.5²) = 1666.67.
    const e = new HalfLifeEwma(3000);
    e.sample(3000, 1000);
    e.sample(3000, 2000);
    expect(e.getEstimate()).toBeCloseTo(1666.6667, 3);
  });
  it('rejects a non-positive half-life (shaka asserts halfLife > 0)', () => {
    expect(() => new HalfLifeEwma(0)).toThrow(InputError);
  });
});

describe('hls.js estimator', () => {
  it('default 500 kbps before any sample (abrEwmaDefaultEstimate 5e5 bps), TTFB 100 ms (defaultTTFB)', () => {
    const e = new HlsjsEwmaEstimator();
    expect(e.estimateKbps()).toBe(500);
    expect(e.ttfbEstimateMs()).toBe(100);
  });
  it('min(fast 3 s, slow 9 s): a drop shows in the fast average first', () => {
    const e = new HlsjsEwmaEstimator();
    e.sample(2000, 1_000_000); // 8e6 bits / 2000 ms = 4000 kbps
    expect(e.estimateKbps()).toBeCloseTo(4000, 9);
    e.sample(1000, 125_000); // 1e6 bits / 1000 ms = 1000 kbps
    // fast: a1 = 0.5^(2000/3000) = 0.629961, m = 4000·(1 − a1) = 1480.16; a2 = 0.5^(1/3) = 0.793701,
    //   m = 1000·(1 − a2) + a2·1480.16 = 206.30 + 1174.80 = 1381.10; ÷ (1 − 0.5^(3000/3000)) = 2762.20.
    // slow: a1 = 0.5^(2/9) = 0.857244, m = 571.02; a2 = 0.5^(1/9) = 0.925875, m = 74.13 + 528.69 = 602.82;
    //   ÷ (1 − 0.5^(1/3)) = ÷ 0.206299 = 2922.07. min = fast.
    expect(e.estimateKbps()).toBeCloseTo(2762.203, 2);
  });
  it('a sample is floored at min(50 ms, bytes/100000 ms): 100 B in 0 ms reads 800 Mbps, 10 MB in 10 ms is timed as 50 ms', () => {
    const a = new HlsjsEwmaEstimator();
    a.sample(0, 100); // floor min(50, 0.001) = 0.001 ms → 800 bits / 0.001 ms = 800,000 kbps... but weight 0.001 ms < minWeight
    expect(a.canEstimate()).toBe(false); // 0.001 ms of weight < 1 ms (minWeight_ 0.001 s): still the default
    expect(a.estimateKbps()).toBe(500);
    const b = new HlsjsEwmaEstimator();
    b.sample(10, 10_000_000); // floor min(50, 100) = 50 ms → 8e7 bits / 50 ms = 1,600,000 kbps
    expect(b.estimateKbps()).toBeCloseTo(1_600_000, 6);
  });
  it('TTFB: weight √2·e^(−s²/2), value max(ttfb, 5 ms)', () => {
    expect(hlsjsTtfbWeight(200)).toBeCloseTo(1.3862103, 6); // √2·e^(−0.02)
    const e = new HlsjsEwmaEstimator();
    e.sampleTtfb(200);
    expect(e.ttfbEstimateMs()).toBeCloseTo(200, 9);
    const f = new HlsjsEwmaEstimator();
    f.sampleTtfb(2);
    expect(f.ttfbEstimateMs()).toBeCloseTo(5, 9);
  });
});

describe('hls.js level selection (findBestLevel)', () => {
  it('start-up, default 500 kbps: only 300 kbps fits 0.7 × 500 = 350 and loads within 4 s', () => {
    // Buffer 0: pass 2 only, maxStarvationDelay 4000 ms. Nothing loaded yet, so every rung uses the up factor 0.7:
    // adjBw = 350; 750 > 350 fails; 300 ≤ 350 and fetch = 100 + 300·4000/350 = 3528.6 ms < 0 + 4000 → rung 0.
    const d = new HlsjsPolicy().chooseRepresentation(ctx({ bufferMs: 0 }));
    expect(d).toEqual({ index: 0, reason: 'hlsjs:max-starvation' });
  });
  it('the default estimate is raised at manifest load to min(first variant, 5 Mbps)', () => {
    // First variant 1500 kbps → default 1500; adjBw = 0.7·1500 = 1050 ≥ 750; fetch = 100 + 750·4000/1050 = 2957 ms < 4000.
    const d = new HlsjsPolicy({ firstVariantIndex: 2 }).chooseRepresentation(ctx({ bufferMs: 0 }));
    expect(d.index).toBe(1);
  });
  it('bandwidth factors: 0.95 to stay at or below the last loaded rung, 0.7 to go above it', () => {
    // Estimate 2000 kbps, TTFB estimate 5 ms (one TTFB sample of 0 ms → max(0, 5)), buffer 20 s.
    // Last loaded rung 2: 3000 vs 0.7·2000 = 1400 fails; 1500 vs 0.95·2000 = 1900 fits, fetch = 5 + 1500·4000/1900
    // = 3162.9 ms < 20000 → rung 2.
    expect(policyAt(2000, 2).chooseRepresentation(ctx()).index).toBe(2);
    // Last loaded rung 1: 1500 is now above it, 0.7·2000 = 1400 < 1500 fails → rung 1 (750 ≤ 1900).
    expect(policyAt(2000, 1).chooseRepresentation(ctx()).index).toBe(1);
  });
  it('pass 1 avoids any starvation, pass 2 tolerates min(fragment, 4 s)', () => {
    const p = policyAt(2000, 2);
    // Buffer 3000: rung 2 fetch 3162.9 ≥ 3000 fails; rung 1 fetch 5 + 750·4000/1900 = 1583.9 < 3000 → pass 1, rung 1.
    expect(p.chooseRepresentation(ctx({ bufferMs: 3000 }))).toEqual({ index: 1, reason: 'hlsjs:no-starvation' });
    // Buffer 1000: rung 1 fails (1583.9); rung 0 fetch 5 + 300·4000/1900 = 636.6 < 1000 → rung 0.
    expect(p.chooseRepresentation(ctx({ bufferMs: 1000 })).index).toBe(0);
    // Buffer 500: nothing in pass 1 (636.6 ≥ 500); pass 2 allows 500 + min(4000, 4000): rung 2's 3162.9 < 4500.
    expect(p.chooseRepresentation(ctx({ bufferMs: 500 }))).toEqual({ index: 2, reason: 'hlsjs:max-starvation' });
  });
  it('average bitrate on pass 1 when the buffer holds ≥ 2 fragments, else the peak', () => {
    // Rung 1 averages 750 kbps but one segment runs at 1000 kbps (peak). Estimate 1000 → 0.95·1000 = 950.
    const vbr: Catalog = {
      ...catalog,
      segmentCount: 2,
      representations: catalog.representations.slice(0, 2),
      sizesBytes: [new Float64Array([150_000, 150_000]), new Float64Array([250_000, 500_000])],
    };
    expect(Array.from(peakBitratesKbps(vbr))).toEqual([300, 1000]); // 500,000 B·8 / 4000 ms = 1000
    const p = policyAt(1000, 1);
    // Buffer 8000 = 2 × 4000: average 750 ≤ 950 → rung 1.
    expect(p.chooseRepresentation(ctx({ catalog: vbr, segmentIndex: 0, bufferMs: 8000 })).index).toBe(1);
    // Buffer 7999: peak 1000 > 950 → rung 0 (and 300 fits: fetch 5 + 300·4000/950 = 1268 < 7999).
    expect(p.chooseRepresentation(ctx({ catalog: vbr, segmentIndex: 0, bufferMs: 7999 })).index).toBe(0);
  });
  it('never above the device cap', () => {
    expect(policyAt(100_000, 3).chooseRepresentation(ctx({ maxIndex: 1 })).index).toBe(1);
  });
});

describe('hls.js emergency switch-down (_abandonRulesCheck)', () => {
  // Rung 3 (3000 kbps, 1,500,000 B) requested at 0, first byte at 100 ms, then 400 kbps = 50 B/ms.
  function progress(nowMs: number, over: Partial<DownloadProgress> = {}): DownloadProgress {
    return {
      segmentIndex: 5,
      repIndex: 3,
      totalBytes: 1_500_000,
      loadedBytes: Math.max(0, (nowMs - 100) * 50),
      requestMs: 0,
      firstByteMs: 100,
      ...over,
    };
  }

  it('abandons when the fragment will not arrive before the buffer runs out', () => {
    const p = new HlsjsPolicy();
    // At 2100 ms: loaded 100,000 B, rate 100,000 / 2000 = 50 B/ms; finish = 1,400,000 / 50 = 28,000 ms > buffer 6000.
    // bwe = 400 kbps; limit = min(6000, 4000 + 100) = 4100. Rung 2: 100 + 4000·1500/400 = 15,100; rung 1: 7600;
    // rung 0: 100 + 3000 = 3100 < 4100 → rung 0. 3100 < 28,000 and ≤ 10·4000; 28,000 > 2·3100 → abort now.
    const d = p.shouldAbandon(ctx({ nowMs: 2100, bufferMs: 6000 }), progress(2100));
    expect(d?.index).toBe(0);
    expect(d?.reason).toBe('hlsjs:emergency:finish=28000ms>buffer=6000ms,rung0=3100ms');
    // The partial bytes were sampled: 100,000 B over 2100 − min(100, 100) = 2000 ms = 400 kbps (one sample).
    // 0.7·400 = 280 ≤ 300, so the estimator is not reset.
    expect(p.estimator.estimateKbps()).toBeCloseTo(400, 9);
  });
  it('waits half a fragment duration before checking', () => {
    // 2000 ms ≤ max(TTFB 100, 0.5·4000) → no check yet.
    expect(new HlsjsPolicy().shouldAbandon(ctx({ nowMs: 2000, bufferMs: 6000 }), progress(2000))).toBeUndefined();
  });
  it('keeps loading when the buffer outlasts the rest of the fragment', () => {
    // finish 28,000 ms ≤ buffer 30,000 ms.
    expect(new HlsjsPolicy().shouldAbandon(ctx({ nowMs: 2100, bufferMs: 30_000 }), progress(2100))).toBeUndefined();
  });
  it('defers the abort until the new load time when finishing takes at most twice as long', () => {
    const p = new HlsjsPolicy();
    // Rung 1 (375,000 B): at 2100, remaining 275,000 / 50 = 5500 ms > buffer 3000. limit = min(3000, 4100);
    // rung 0 takes 3100 ms (not < 3000, but it is the lowest): 3100 < 5500, and 5500 ≤ 2·3100 → abort at 2100 + 3100.
    const pr = (now: number) => progress(now, { repIndex: 1, totalBytes: 375_000 });
    expect(p.shouldAbandon(ctx({ nowMs: 2100, bufferMs: 3000 }), pr(2100))).toBeUndefined();
    expect(p.shouldAbandon(ctx({ nowMs: 5100, bufferMs: 0 }), pr(5100))).toBeUndefined();
    expect(p.shouldAbandon(ctx({ nowMs: 5200, bufferMs: 0 }), pr(5200))?.index).toBe(0);
  });
  it('resets the estimator to the new rung when est × 0.7 exceeds its bitrate', () => {
    const p = new HlsjsPolicy();
    p.onDownload(record({ repIndex: 3, bytes: 12_500_000, doneMs: 10_000 })); // 1e8 bits / 10 s = 10,000 kbps
    // After the partial 400 kbps sample: fast (3 s) 6210.8, slow (9 s) 7727.8 → est 6210.8; 0.7·6210.8 > 300 → reset
    // to 300 kbps with no samples.
    const d = p.shouldAbandon(ctx({ nowMs: 12_100, bufferMs: 6000 }), progress(12_100, { requestMs: 10_000, firstByteMs: 10_100, loadedBytes: 100_000 }));
    expect(d?.index).toBe(0);
    expect(p.estimator.sampled).toBe(false);
    expect(p.estimator.estimateKbps()).toBe(300);
  });
  it('an abandoned download is not sampled again', () => {
    const p = policyAt(2000, 2);
    p.onDownload(record({ repIndex: 2, bytes: 10, doneMs: 100_000, abandoned: true }));
    expect(p.estimator.estimateKbps()).toBeCloseTo(2000, 9);
  });
  it('can be switched off', () => {
    const p = new HlsjsPolicy({ emergencySwitchDown: false });
    expect(p.shouldAbandon(ctx({ nowMs: 2100, bufferMs: 6000 }), progress(2100))).toBeUndefined();
  });
});

describe('hlsjs end to end (simulateSession)', () => {
  it('climbs on a fast link and comes down after a drop', () => {
    // 60 s at 8 Mbps, then 400 kbps for the rest of the 160 s title.
    const trace = traceFromPeriods({ name: 'drop', durationsMs: [60_000, 600_000], ratesKbps: [8000, 400] });
    // hls.js loads one fragment at a time; with parallel requests sharing the link each sample would read a third
    // of it and 0.7 × est would never reach 3000 kbps.
    const r = simulateSession({ trace, catalog, policy: createBuiltinPolicy('hlsjs'), latencyMs: 20, player: { maxParallel: 1 } });
    expect(r.policy).toBe('hlsjs');
    expect(r.summary.endReason).toBe('finished');
    const kept = r.segments.filter((s) => !s.abandoned);
    const early = kept.filter((s) => s.doneMs < 60_000);
    // Segment 0 at 300 kbps arrives at ~8 Mbps: 0.7 × 8000 = 5600 ≥ 3000, so hls.js jumps to the top at once.
    expect(early[1]?.repIndex).toBe(3);
    expect(Math.max(...early.map((s) => s.repIndex))).toBe(3);
    // The fragment in flight at the drop is abandoned (emergency switch-down).
    expect(r.segments.some((s) => s.abandoned && s.requestMs >= 55_000 && s.requestMs <= 64_000)).toBe(true);
    // 0.95·400 = 380 kbps sustains only the 300 kbps rung: the last segments are at rung 0.
    const last = kept.filter((s) => s.index >= 35);
    expect(last.every((s) => s.repIndex === 0)).toBe(true);
  });
});
