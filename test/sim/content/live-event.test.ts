import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { constantTrace, traceFromPeriods } from '../../../src/net/trace.js';
import { simulateLiveEvent } from '../../../src/sim/content/live-event.js';
import { cbrCatalog, fixedPolicy } from '../../helpers/fakes.js';

// One rung of 1000 kbps, 2 s segments: 250,000 B = 2,000,000 bits each. On 10 Mbps with no latency one segment
// alone takes 200 ms; three sharing the link take 600 ms. 100 segments: the event lasts 200 s of media.
const catalog = cbrCatalog({ ratesKbps: [1000], segments: 100, segmentMs: 2000 });
const base = { catalog, policy: () => fixedPolicy(0), latencyMs: 0, joinAtMs: 60_000 } as const;

describe('live event: join, availability, latency (hand-computed)', () => {
  // Defaults: segment i is published at 2000·(i+1) + 2000. At 60 s the newest is 28 (published at 60,000), and
  // the join segment is floor((60,000 − 8,000) / 2000) = 26 (media 52 s). Only one request runs before the first
  // sample: 26 at 60,000 → 60,200; then 27 and 28 together → 60,600. 6 s ≥ the 4 s startup buffer: first frame at
  // 60,600 with the playhead at media 52,000 and the edge at 60,600 → latency 8,600 ms, which stays put.
  const r = simulateLiveEvent({ ...base, trace: constantTrace(10_000) });

  it('joins at edge − target latency and starts at 60,600 ms', () => {
    expect(r.joinSegment).toBe(26);
    expect(r.ttffMs).toBeCloseTo(600, 6);
    expect(r.session.summary.startupMs).toBeCloseTo(600, 6);
    expect(r.session.segments.slice(0, 3).map((s) => [s.index, s.requestMs, s.doneMs])).toEqual([
      [26, 60_000, expect.closeTo(60_200, 6)],
      [27, expect.closeTo(60_200, 6), expect.closeTo(60_600, 6)],
      [28, expect.closeTo(60_200, 6), expect.closeTo(60_600, 6)],
    ]);
  });

  it('requests every later segment exactly when it is published, never before', () => {
    expect(r.earlyRequests).toBe(0);
    for (const s of r.session.segments.filter((row) => row.index >= 29)) expect(s.requestMs).toBeCloseTo(2000 * (s.index + 1) + 2000, 6);
    expect(r.session.summary.endReason).toBe('finished');
    expect(r.session.segments.length).toBe(100 - 26);
  });

  it('latency to the edge: 8,600 ms throughout (mean and p95), no stall', () => {
    expect(r.latency.meanMs).toBeCloseTo(8600, 6);
    expect(r.latency.p95Ms).toBeCloseTo(8600, 6);
    expect(r.rebufferCount).toBe(0);
    expect(r.stalls).toEqual([]);
    // Behind the edge by 8.6 s with 2 s of publishing delay, the buffer cannot pass 6.6 s: 4.4–6.4 s here.
    expect(r.buffer.maxMs).toBeLessThanOrEqual(6600 + 1e-6);
    expect(r.buffer.minMs).toBeGreaterThanOrEqual(4400 - 1e-6);
  });

  it('an outage stalls the player and leaves it behind by the stall', () => {
    // No capacity in [70 s, 80 s). Segment 32 (published 68,000) is in at 68,200; 33, 34, 35 are requested at
    // 70,000, 72,000, 74,000 and get nothing until 80,000, then share the link: all done at 80,600. The playhead
    // (media 52,000 at 60,600) reaches the buffered end 66,000 at 74,600: a stall until 80,600 (3 segments = 6 s
    // ≥ the 4 s resume level), 6,000 ms. Latency after it: 80,600 − 66,000 = 14,600 ms, and it stays there.
    const trace = traceFromPeriods({ name: 'outage', durationsMs: [70_000, 10_000, 400_000], ratesKbps: [10_000, 0, 10_000] });
    const o = simulateLiveEvent({ ...base, trace });
    expect(o.rebufferCount).toBe(1);
    expect(o.stalls).toHaveLength(1);
    expect(o.stalls[0]?.startMs).toBeCloseTo(74_600, 6);
    expect(o.stalls[0]?.durationMs).toBeCloseTo(6000, 6);
    expect(o.stalls[0]?.latencyAfterMs).toBeCloseTo(14_600, 6);
    expect(o.maxLatencyAfterStallMs).toBeCloseTo(14_600, 6);
    expect(o.latency.samples[o.latency.samples.length - 1]?.latencyMs).toBeCloseTo(14_600, 6);
    expect(o.earlyRequests).toBe(0);
  });

  it('with a 20 s target latency the 10–15 s buffer band binds', () => {
    // Join segment floor((60,000 − 20,000) / 2000) = 20: segments 20–28 (18 s) are already published.
    const far = simulateLiveEvent({ ...base, trace: constantTrace(10_000), live: { targetLatencyMs: 20_000 } });
    expect(far.joinSegment).toBe(20);
    // Filling stops once buffer + pending + the next 2 s would pass 15 s; refill starts below 10 s and a segment
    // takes 200 ms, so the buffer stays in [10 s − 200 ms, 15 s] once it is first filled.
    expect(far.buffer.maxMs).toBeLessThanOrEqual(15_000 + 1e-6);
    expect(far.buffer.minMs).toBeGreaterThanOrEqual(9_800 - 1e-6);
    // 20 alone (200 ms), then 21–23 together (600 ms): first frame at 60,800, media 40,000 → latency 20,800 ms.
    expect(far.ttffMs).toBeCloseTo(800, 6);
    expect(far.latency.meanMs).toBeCloseTo(20_800, 6);
    expect(far.rebufferCount).toBe(0);
  });

  it('rejects a join after the event is over (last segment 99 published at 202,000 ms)', () => {
    expect(() => simulateLiveEvent({ ...base, joinAtMs: 202_000, trace: constantTrace(10_000) })).toThrow(/joinAtMs/);
    expect(simulateLiveEvent({ ...base, joinAtMs: 201_000, trace: constantTrace(10_000) }).session.summary.endReason).toBe('finished');
  });

  it('rejects a catalog whose segments are not the live segment length, naming the field', () => {
    const vod = cbrCatalog({ ratesKbps: [1000], segments: 10, segmentMs: 4000 });
    expect(() => simulateLiveEvent({ ...base, catalog: vod, trace: constantTrace(10_000) })).toThrow(InputError);
    expect(() => simulateLiveEvent({ ...base, catalog: vod, trace: constantTrace(10_000) })).toThrow(/live\.segmentDurationMs/);
  });
});
