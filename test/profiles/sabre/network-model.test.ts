import { describe, expect, it } from 'vitest';
import { type AbandonPoller, SabreNetworkModel } from '../../../src/profiles/sabre/network-model.js';
import type { SabreNetwork } from '../../../src/profiles/sabre/inputs.js';

function network(periods: [durationMs: number, kbps: number, latencyMs: number][]): SabreNetwork {
  return {
    durationsMs: Float64Array.from(periods, (p) => p[0]),
    bandwidthsKbps: Float64Array.from(periods, (p) => p[1]),
    latenciesMs: Float64Array.from(periods, (p) => p[2]),
  };
}

const changes: [number, number][] = [];
const listener = { onSustainableQualityChange: (q: number, prev: number) => void changes.push([q, prev]) };
const model = (periods: [number, number, number][], multiplier = 1) =>
  new SabreNetworkModel({ network: network(periods), multiplier, bitratesKbps: Float64Array.from([100, 500, 1000]), segmentMs: 3000, listener });

/** Records every poll and never abandons (or abandons at poll `abandonAt`). */
class Recorder implements AbandonPoller {
  polls: [bits: number, elapsedMs: number, bufferMs: number][] = [];
  constructor(private readonly abandonAt = -1) {}
  poll(bits: number, elapsedMs: number, _ttfbMs: number, bufferMs: number): number | undefined {
    this.polls.push([bits, elapsedMs, bufferMs]);
    return this.polls.length === this.abandonAt ? 0 : undefined;
  }
}

describe('Sabre network model', () => {
  it('latency crosses a period boundary in latency units', () => {
    // 200 ms latency, but the period ends after 100 ms: half a unit used; the rest costs 0.5 × 50 ms = 25 ms.
    // Then 150,000 bits at 1000 kbps = 150 ms.
    const m = model([
      [100, 1000, 200],
      [1000, 1000, 50],
    ]);
    const out = m.download(150_000, 0, undefined);
    expect(out.ttfbMs).toBe(125);
    expect(out.timeMs).toBe(275);
    expect(m.nowMs).toBe(275);
  });

  it('polls every 50 ms (or 12,000 bits), the first 50 ms counted from the request', () => {
    // 1000 kbps, 20 ms latency, 200,000 bits: first step 50 − 20 = 30 ms (30,000 bits), then 50,000-bit steps;
    // the last 20,000 bits finish the download without a poll.
    const m = model([[10_000, 1000, 20]]);
    const r = new Recorder();
    const out = m.download(200_000, 1000, r);
    expect(r.polls).toEqual([
      [30_000, 50, 950],
      [80_000, 100, 900],
      [130_000, 150, 850],
      [180_000, 200, 800],
    ]);
    expect(out.timeMs).toBe(220);
    expect(out.abandonTo).toBeUndefined();
  });

  it('below 240 kbps a step is 12,000 bits', () => {
    // 100 kbps: max(12,000, 50 × 100) = 12,000 bits = 120 ms per step; first step also 12,000 bits (30 ms × 100 < 12,000).
    const m = model([[100_000, 100, 20]]);
    const r = new Recorder();
    m.download(30_000, 0, r);
    expect(r.polls).toEqual([
      [12_000, 140, 0],
      [24_000, 260, 0],
    ]);
  });

  it('a step skips a whole 0 kbps period while bits are owed', () => {
    const m = model([
      [100, 0, 0],
      [1000, 1000, 0],
    ]);
    const r = new Recorder();
    m.download(100_000, 0, r);
    // 100 ms at 0 kbps, then max(12,000, (50 − 100) × 1000) = 12,000 bits in 12 ms.
    expect(r.polls[0]).toEqual([12_000, 112, 0]);
  });

  it('an abandonment stops the download where it is; the time is spent', () => {
    const m = model([[10_000, 1000, 20]]);
    const out = m.download(200_000, 0, new Recorder(2));
    expect(out.abandonTo).toBe(0);
    expect(out.downloadedBits).toBe(80_000);
    expect(out.timeMs).toBe(100);
  });

  it('the trace loops, and the multiplier scales bandwidth only', () => {
    const m = model([[1000, 1000, 0]], 0.5);
    // 1,500,000 bits at 500 kbps = 3000 ms, three loops of the 1000 ms trace.
    expect(m.download(1_500_000, 0, undefined).timeMs).toBe(3000);
  });

  it('reports sustainable-quality changes at period boundaries: largest b_q <= bw·(1 − latency/seg)', () => {
    changes.length = 0;
    // 1200 kbps with 600 ms latency: 1200 × 0.8 = 960 → rung 1 (500); then 1000 × 1 → rung 2; then 50 → rung 0.
    const m = model([
      [10, 1200, 600],
      [10, 1000, 0],
      [10, 50, 0],
    ]);
    expect(m.sustainableQuality).toBe(1);
    m.delay(25);
    expect(changes).toEqual([
      [2, 1],
      [0, 2],
    ]);
  });
});
