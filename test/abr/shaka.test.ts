import { describe, expect, it } from 'vitest';
import { ShakaEwmaEstimator } from '../../src/abr/estimators/shaka-ewma.js';
import { createBuiltinPolicy } from '../../src/abr/registry.js';
import { ShakaPolicy, shakaChooseVariant, shakaParamsSchema } from '../../src/abr/shaka.js';
import type { AbrContext, DownloadProgress, DownloadRecord } from '../../src/abr/types.js';
import { InputError } from '../../src/core/errors.js';
import { traceFromPeriods } from '../../src/net/trace.js';
import { simulateSession } from '../../src/sim/simulate.js';
import { cbrCatalog } from '../helpers/fakes.js';

// Ladder: 300 / 750 / 1500 / 3000 kbps at 240 / 360 / 480 / 720 px, 4 s segments, sizes exactly nominal.
const LADDER = [300, 750, 1500, 3000];
const catalog = cbrCatalog({ ratesKbps: LADDER, segments: 40, heights: [240, 360, 480, 720] });
const defaults = shakaParamsSchema.parse({});

function ctx(over: Partial<AbrContext> = {}): AbrContext {
  return {
    nowMs: 0,
    catalog,
    segmentIndex: 5,
    bufferMs: 20_000,
    maxBufferMs: 60_000,
    lastIndex: -1,
    lastSwitchMs: -Infinity,
    throughputKbps: undefined,
    latencyMs: undefined,
    maxIndex: 3,
    history: [],
    phase: 'playing',
    playheadMs: 0,
    ...over,
  };
}

function record(over: Partial<DownloadRecord> & { bytes: number; requestMs: number; doneMs: number }): DownloadRecord {
  return { segmentIndex: 0, repIndex: 0, firstByteMs: over.requestMs, abandoned: false, ...over };
}

const choose = (estimateKbps: number) => shakaChooseVariant({ catalog, estimateKbps, maxIndex: 3, params: defaults });

describe('shaka estimator (ewma_bandwidth_estimator.js)', () => {
  it('1 Mbps until 128 kB are sampled, then min(fast 2 s, slow 5 s)', () => {
    const e = new ShakaEwmaEstimator();
    expect(e.estimateKbps()).toBe(1000);
    e.sample(500, 64_000); // 512,000 bits / 500 ms = 1024 kbps; 64 kB < 128 kB: still the default
    expect(e.hasGoodEstimate()).toBe(false);
    expect(e.estimateKbps()).toBe(1000);
    e.sample(250, 64_000); // 2048 kbps; 128 kB sampled
    // fast: a = 0.5^(500/2000) = 0.840896 → m = 1024·0.159104 = 162.92; a = 0.5^(250/2000) = 0.917004 →
    //   m = 2048·0.082996 + 0.917004·162.92 = 169.98 + 149.40 = 319.38; ÷ (1 − 0.5^(750/2000) = 0.228895) = 1395.30.
    // slow: a = 0.5^(500/5000) = 0.933033 → 68.57; a = 0.5^(250/5000) = 0.965936 → 69.76 + 66.24 = 136.00;
    //   ÷ (1 − 0.5^(750/5000) = 0.098748) = 1377.23. min = slow (it rises more slowly).
    expect(e.estimateKbps()).toBeCloseTo(1377.229, 2);
  });
  it('ignores samples under 16 kB (they do not count toward 128 kB either) and under 5 ms (cache)', () => {
    const e = new ShakaEwmaEstimator();
    expect(e.sample(1000, 15_999)).toBe(true);
    expect(e.sampledBytes).toBe(0);
    expect(e.sample(4, 1_000_000)).toBe(false);
    expect(e.sampledBytes).toBe(0);
    expect(e.sample(5, 16_000)).toBe(true);
    expect(e.sampledBytes).toBe(16_000);
  });
});

describe('shaka chooseVariant', () => {
  it('the highest variant with bw ≤ 0.95 × est (bandwidthDowngradeTarget)', () => {
    // 750/0.95 = 789.47 ≤ 1000 ≤ 1500/0.85 = 1764.7 → rung 1; 1500/0.95 = 1578.95 > 1000.
    expect(choose(1000)).toBe(1);
    expect(choose(1578.9)).toBe(1);
    expect(choose(1579)).toBe(2);
    expect(choose(100_000)).toBe(3);
  });
  it('the upper bound (bw_next / 0.85) never binds: 2000 > 1764.7 leaves rung 1 but rung 2 qualifies', () => {
    expect(choose(2000)).toBe(2);
  });
  it('nothing qualifies: the lowest variant', () => {
    expect(choose(100)).toBe(0); // 300/0.95 = 315.8 > 100
  });
});

describe('shaka SimpleAbrManager timing', () => {
  /**
   * t=0 first choice at the default 1000 kbps → rung 1. t=1000: 200,000 B in 500 ms = 3200 kbps, 200 kB ≥ 128 kB →
   * start-up complete: choose at once → 0.95·3200 = 3040 ≥ 3000 → rung 3. t=5000: 50,000 B in 1000 ms = 400 kbps:
   * est = min(fast 1177.04, slow 1269.44) but only 4 s since the last choice → hold rung 3.
   */
  function afterDrop(): ShakaPolicy {
    const p = new ShakaPolicy();
    expect(p.chooseRepresentation(ctx()).index).toBe(1);
    p.onDownload(record({ repIndex: 1, bytes: 200_000, requestMs: 500, doneMs: 1000 }), ctx({ nowMs: 1000 }));
    expect(p.chooseRepresentation(ctx({ nowMs: 1000 })).index).toBe(3);
    p.onDownload(record({ segmentIndex: 1, repIndex: 3, bytes: 50_000, requestMs: 4000, doneMs: 5000 }), ctx({ nowMs: 5000 }));
    expect(p.estimator.estimateKbps()).toBeCloseTo(1177.039, 2);
    expect(p.chooseRepresentation(ctx({ nowMs: 5000 })).index).toBe(3);
    return p;
  }

  it('initial choice at the default estimate, immediate choice at start-up complete, then the 8 s switch interval', () => {
    const p = afterDrop();
    // Another 400 kbps sample at 9000, 8000 ms after the last choice (not < 8000): choose.
    // est = min(fast 784.34, slow 885.17) = 784.34: 750/0.95 = 789.47 > 784.34 → rung 0 (300/0.95 = 315.8 ≤ 784.34).
    p.onDownload(record({ segmentIndex: 2, repIndex: 3, bytes: 50_000, requestMs: 8000, doneMs: 9000 }), ctx({ nowMs: 9000 }));
    const d = p.chooseRepresentation(ctx({ nowMs: 9000 }));
    expect(d.index).toBe(0);
    expect(d.reason).toBe('shaka:interval:est=784kbps');
  });
  it('within the switch interval the choice holds whatever the estimate', () => {
    const p = afterDrop();
    p.onDownload(record({ segmentIndex: 2, repIndex: 3, bytes: 50_000, requestMs: 7999, doneMs: 8999 }), ctx({ nowMs: 8999 }));
    expect(p.chooseRepresentation(ctx({ nowMs: 8999 })).index).toBe(3);
  });

  it('progress samples: more than 100 ms and at least 16 kB since the last; the rest at the end, whatever its size', () => {
    const p = new ShakaPolicy();
    p.chooseRepresentation(ctx());
    const pr = (loadedBytes: number): DownloadProgress => ({ segmentIndex: 5, repIndex: 1, loadedBytes, totalBytes: 62_000, requestMs: 0, firstByteMs: 10 });
    p.shouldAbandon(ctx({ nowMs: 100 }), pr(20_000)); // 100 ms is not > 100 ms: no sample
    expect(p.estimator.sampledBytes).toBe(0);
    p.shouldAbandon(ctx({ nowMs: 200 }), pr(40_000)); // 200 ms, 40,000 B → sample
    expect(p.estimator.sampledBytes).toBe(40_000);
    p.shouldAbandon(ctx({ nowMs: 300 }), pr(50_000)); // 10,000 B < 16,000 → wait
    expect(p.estimator.sampledBytes).toBe(40_000);
    p.shouldAbandon(ctx({ nowMs: 400 }), pr(60_000)); // 200 ms, 20,000 B → sample
    expect(p.estimator.sampledBytes).toBe(60_000);
    // Done at 450: the last 2,000 B are reported and dropped by the 16 kB rule.
    p.onDownload(record({ segmentIndex: 5, repIndex: 1, bytes: 62_000, requestMs: 0, doneMs: 450 }), ctx({ nowMs: 450 }));
    expect(p.estimator.sampledBytes).toBe(60_000);
  });
});

describe('shaka abort on switch (StreamingEngine)', () => {
  /** afterDrop, then the choice falls to rung 0 at t=9000 (est 784.34 kbps) while segment 5 loads at rung 3. */
  function switched(): ShakaPolicy {
    const p = new ShakaPolicy();
    p.chooseRepresentation(ctx());
    p.onDownload(record({ repIndex: 1, bytes: 200_000, requestMs: 500, doneMs: 1000 }), ctx({ nowMs: 1000 }));
    p.onDownload(record({ segmentIndex: 1, repIndex: 3, bytes: 50_000, requestMs: 4000, doneMs: 5000 }), ctx({ nowMs: 5000 }));
    p.onDownload(record({ segmentIndex: 2, repIndex: 3, bytes: 50_000, requestMs: 8000, doneMs: 9000 }), ctx({ nowMs: 9000 }));
    expect(p.chosenIndex).toBe(0);
    return p;
  }
  // Requested 50 ms before the poll, so no progress sample changes the estimate.
  const inFlight = (loadedBytes: number): DownloadProgress => ({
    segmentIndex: 5,
    repIndex: 3,
    loadedBytes,
    totalBytes: 1_500_000,
    requestMs: 9050,
    firstByteMs: 9060,
  });

  it('aborts when the new segment downloads within buffer − rebufferingGoal, once per switch', () => {
    const p = switched();
    // Rung 0 segment: 150,000 B = 1,200,000 bits / 784.34 kbps = 1530 ms < 20,000 − 0.
    expect(p.shouldAbandon(ctx({ nowMs: 9100, bufferMs: 20_000 }), inFlight(0))).toEqual({ index: 0, reason: 'shaka:abort-on-switch:fits-buffer' });
    expect(p.shouldAbandon(ctx({ nowMs: 9100, bufferMs: 20_000 }), inFlight(0))).toBeUndefined();
  });
  it('aborts when more bytes remain than the new segment holds', () => {
    // 1530 ms > buffer 1000 ms, but 1,500,000 B remain > 150,000 B.
    expect(switched().shouldAbandon(ctx({ nowMs: 9100, bufferMs: 1000 }), inFlight(0))?.reason).toBe('shaka:abort-on-switch:smaller');
  });
  it('otherwise lets the request finish', () => {
    // 100,000 B remain < 150,000 B, and 1530 ms > buffer 1000 ms.
    expect(switched().shouldAbandon(ctx({ nowMs: 9100, bufferMs: 1000 }), inFlight(1_400_000))).toBeUndefined();
  });
});

describe('shaka restrictions', () => {
  it('maxHeightPx excludes variants above it', () => {
    const p = new ShakaPolicy({ defaultBandwidthEstimateKbps: 100_000, maxHeightPx: 480 });
    expect(p.chooseRepresentation(ctx()).index).toBe(2);
  });
  it('with minBandwidthKbps the lowest permitted variant is the fallback', () => {
    // Permitted: 750, 1500, 3000. Est 500: 750/0.95 = 789.5 > 500, none qualifies → the first permitted, rung 1.
    expect(new ShakaPolicy({ defaultBandwidthEstimateKbps: 500, minBandwidthKbps: 700 }).chooseRepresentation(ctx()).index).toBe(1);
  });
  it('no variant meets them: the lowest of the ladder, said in the reason', () => {
    expect(new ShakaPolicy({ maxBandwidthKbps: 200 }).chooseRepresentation(ctx())).toEqual({ index: 0, reason: 'shaka:restrictions-unmet:lowest' });
  });
  it('a lower device cap re-chooses at once, without waiting for the switch interval', () => {
    const p = new ShakaPolicy({ defaultBandwidthEstimateKbps: 100_000 });
    expect(p.chooseRepresentation(ctx()).index).toBe(3);
    const d = p.chooseRepresentation(ctx({ nowMs: 10, maxIndex: 1 }));
    expect(d.index).toBe(1);
    expect(d.reason).toMatch(/^shaka:restricted:/);
  });
  it('contradictory restrictions are an input error naming the field', () => {
    expect(() => new ShakaPolicy({ minBandwidthKbps: 900, maxBandwidthKbps: 800 })).toThrow(InputError);
    expect(() => new ShakaPolicy({ minBandwidthKbps: 900, maxBandwidthKbps: 800 })).toThrow(/maxBandwidthKbps/);
  });
});

describe('shaka end to end (simulateSession)', () => {
  it('climbs on a fast link and comes down after a drop', () => {
    // 60 s at 8 Mbps, then 400 kbps for the rest of the 160 s title; one request at a time, as shaka's
    // StreamingEngine fetches one segment per stream.
    const trace = traceFromPeriods({ name: 'drop', durationsMs: [60_000, 600_000], ratesKbps: [8000, 400] });
    const r = simulateSession({ trace, catalog, policy: createBuiltinPolicy('shaka'), latencyMs: 20, player: { maxParallel: 1 } });
    expect(r.policy).toBe('shaka');
    expect(r.summary.endReason).toBe('finished');
    const kept = r.segments.filter((s) => !s.abandoned);
    // First segment at the default 1 Mbps → rung 1; its 375,000 B (≥ 128 kB) complete start-up → rung 3.
    expect(kept[0]?.repIndex).toBe(1);
    expect(Math.max(...kept.filter((s) => s.doneMs < 60_000).map((s) => s.repIndex))).toBe(3);
    // 0.95 × 400 = 380 kbps sustains only the 300 kbps rung.
    expect(kept.filter((s) => s.index >= 35).every((s) => s.repIndex === 0)).toBe(true);
  });
});
