import { describe, expect, it } from 'vitest';
import { DynamicPolicy, dynamicUseBola } from '../../src/abr/dynamic.js';
import type { AbrContext, DownloadRecord } from '../../src/abr/types.js';
import type { Catalog } from '../../src/origin/catalog.js';

function catalog(ladder = [100, 200, 400], segmentCount = 40): Catalog {
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
    segmentIndex: 20,
    bufferMs: 0,
    maxBufferMs: 25_000,
    lastIndex: -1,
    lastSwitchMs: -Infinity,
    throughputKbps: 300,
    latencyMs: 0,
    maxIndex: c.representations.length - 1,
    history: [],
    phase: 'playing',
    playheadMs: 0,
    ...over,
  };
}

describe('DYNAMIC switch thresholds (10 s)', () => {
  const base = { switchBufferMs: 10_000 };
  it('enters BOLA only above 10 s and when BOLA asks at least as much as the throughput rule', () => {
    expect(dynamicUseBola({ ...base, usingBola: false, levelMs: 10_000, bolaIndex: 3, throughputIndex: 2 })).toBe(false);
    expect(dynamicUseBola({ ...base, usingBola: false, levelMs: 10_001, bolaIndex: 2, throughputIndex: 2 })).toBe(true);
    expect(dynamicUseBola({ ...base, usingBola: false, levelMs: 20_000, bolaIndex: 1, throughputIndex: 2 })).toBe(false);
  });
  it('leaves BOLA only below 10 s and when BOLA asks less', () => {
    expect(dynamicUseBola({ ...base, usingBola: true, levelMs: 9_999, bolaIndex: 1, throughputIndex: 2 })).toBe(false);
    expect(dynamicUseBola({ ...base, usingBola: true, levelMs: 10_000, bolaIndex: 1, throughputIndex: 2 })).toBe(true);
    expect(dynamicUseBola({ ...base, usingBola: true, levelMs: 5_000, bolaIndex: 2, throughputIndex: 2 })).toBe(true);
  });
});

describe('DynamicPolicy', () => {
  it('starts with the throughput rule and hands over to BOLA on a large buffer', () => {
    const d = new DynamicPolicy();
    // Level 5 s: throughput mode. 0.9·300 = 270 kbps → rung 1.
    expect(d.chooseRepresentation(ctx({ bufferMs: 5000 })).index).toBe(1);
    expect(d.bolaActive).toBe(false);
    // Level 22 s: BOLA's argmax (Vp = 22000/(ln4 + 5) = 3444.9; top rung from 5·Vp = 17224 ms) is rung 2,
    // capped by BOLA-U at sustainable(300 kbps) + 1 = 2; throughput says 1: BOLA >= throughput, so BOLA decides.
    expect(d.chooseRepresentation(ctx({ bufferMs: 22_000 })).index).toBe(2);
    expect(d.bolaActive).toBe(true);
  });

  it('a replacement download forces throughput mode', () => {
    const d = new DynamicPolicy();
    d.chooseRepresentation(ctx({ bufferMs: 22_000 }));
    expect(d.bolaActive).toBe(true);
    const r: DownloadRecord = { segmentIndex: 3, repIndex: 2, bytes: 1, requestMs: 0, firstByteMs: 0, doneMs: 1, abandoned: false, replacement: true };
    d.onDownload(r);
    expect(d.bolaActive).toBe(false);
  });

  it('abandonment follows the throughput rule even in BOLA mode', () => {
    const d = new DynamicPolicy();
    d.chooseRepresentation(ctx({ bufferMs: 22_000 }));
    // Within the throughput rule's 500 ms grace BOLA would abandon here (tiny progress, low buffer); DYNAMIC does not.
    const progress = { segmentIndex: 20, repIndex: 2, loadedBytes: 10, totalBytes: 150_000, requestMs: 0, firstByteMs: 0, elapsedMs: 100, timeToFirstByteMs: 0 };
    expect(d.shouldAbandon(ctx({ bufferMs: 1000 }), progress)).toBeUndefined();
    // ... and so do its promises about the polls that follow (AbandonQuiet): quiet until the grace time ends.
    expect(d.abandonQuiet()?.untilElapsedMs).toBe(500);
  });
});
