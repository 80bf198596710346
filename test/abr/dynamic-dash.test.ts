import { describe, expect, it } from 'vitest';
import { DynamicDashPolicy, dynamicDashUseBola } from '../../src/abr/dynamic-dash.js';
import type { AbrContext, DownloadProgress } from '../../src/abr/types.js';
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
    throughputKbps: 250,
    latencyMs: 0,
    maxIndex: c.representations.length - 1,
    history: [],
    phase: 'playing',
    playheadMs: 0,
    ...over,
  };
}

describe('dynamicdash hysteresis (5 s / 10 s)', () => {
  const t = { lowBufferMs: 5000, highBufferMs: 10_000 };
  it('enters BOLA-E above 10 s, leaves below 5 s, holds in between', () => {
    expect(dynamicDashUseBola({ ...t, usingBola: false, levelMs: 10_000 })).toBe(false);
    expect(dynamicDashUseBola({ ...t, usingBola: false, levelMs: 10_001 })).toBe(true);
    expect(dynamicDashUseBola({ ...t, usingBola: true, levelMs: 5_000 })).toBe(true);
    expect(dynamicDashUseBola({ ...t, usingBola: true, levelMs: 4_999 })).toBe(false);
    expect(dynamicDashUseBola({ ...t, usingBola: false, levelMs: 7_000 })).toBe(false);
  });
  it('rejects a low threshold above the high one', () => {
    expect(() => new DynamicDashPolicy({ lowBufferMs: 12_000, highBufferMs: 10_000 })).toThrow(/lowBufferMs/);
  });
});

describe('DynamicDashPolicy', () => {
  it("BOLA-E's first turn is its throughput-based startup decision", () => {
    const d = new DynamicDashPolicy();
    // 0.9·250 = 225 kbps → rung 1 from the throughput rule.
    expect(d.chooseRepresentation(ctx({ bufferMs: 3000 })).reason).toMatch(/^dynamicdash:throughput/);
    const first = d.chooseRepresentation(ctx({ bufferMs: 12_000 }));
    expect(first.reason).toMatch(/bolae:startup/);
    expect(first.index).toBe(1); // 250 kbps sustains rung 1 (no safety factor in BOLA-E's startup)
  });

  it('buffer-full waits reach BOLA-E even while the throughput rule decides', () => {
    const d = new DynamicDashPolicy();
    d.chooseRepresentation(ctx({ bufferMs: 12_000 })); // BOLA-E startup: placeholder max(0, minL(1) − 12000)
    const before = d.bola.placeholder;
    d.onBufferFullWait(700);
    expect(d.bola.placeholder).toBe(before + 700);
  });
});

describe('DynamicDashPolicy abandonment promises (AbandonQuiet) follow the active rule', () => {
  const progress = (elapsedMs: number, loadedBytes = 1000): DownloadProgress => ({
    segmentIndex: 20,
    repIndex: 2,
    loadedBytes,
    totalBytes: 150_000,
    requestMs: 0,
    firstByteMs: 100,
    elapsedMs,
    timeToFirstByteMs: 100,
  });

  it('throughput mode: the throughput rule\'s grace time; BOLA-E mode: BOLA-E\'s certificate', () => {
    const d = new DynamicDashPolicy();
    d.chooseRepresentation(ctx({ bufferMs: 1000 })); // throughput mode
    expect(d.shouldAbandon(ctx({ bufferMs: 1000 }), progress(200))).toBeUndefined();
    expect(d.abandonQuiet()?.untilElapsedMs).toBe(500);
    d.chooseRepresentation(ctx({ bufferMs: 12_000 })); // BOLA-E mode
    expect(d.bolaActive).toBe(true);
    // 1,120,000 of 1,200,000 bits at rung 2: a restart at rung 0 (300,000 bits) would fetch more than is left, so
    // BOLA-E keeps the download, and promises as much for every later poll of it, whatever the buffer.
    expect(d.shouldAbandon(ctx({ bufferMs: 12_000 }), progress(2000, 140_000))).toBeUndefined();
    expect(d.abandonQuiet()).toMatchObject({ remainBits: 80_000, minBufferMs: -Infinity, untilElapsedMs: Infinity });
  });
});
