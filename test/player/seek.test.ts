import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { constantTrace } from '../../src/net/trace.js';
import { parseCatalog } from '../../src/origin/catalog.js';
import { simulateSession } from '../../src/sim/simulate.js';
import { cbrCatalog, fixedPolicy } from '../helpers/fakes.js';

// One 3000 kbps rung, 4 s segments: 1,500,000 B = 12,000,000 bits per segment.
const catalog = cbrCatalog({ ratesKbps: [3000], segments: 60 });

describe('seek (reference §2.4): keyframe landing, abort, latency in the summary', () => {
  it('lands on the start of the segment holding the target, aborts in-flight requests and has the hand-computed latency', () => {
    // 20 Mbps link, 40 ms latency. At 20 s the player is filling (3 in flight). Seek to 101.5 s → segment
    // floor(101,500 / 4000) = 25, which starts at 100,000 ms. After the abort the buffer is empty, so 3 requests go
    // out at once (segments 25, 26, 27) and share the link equally: each body takes 3 × 12e6 bits / 20,000 kbps =
    // 1800 ms after the 40 ms first-byte delay. Playback resumes when segment 25 is appended (seekResumeBufferMs 0):
    // latency 1840 ms.
    const r = simulateSession({ trace: constantTrace(20_000), catalog, policy: fixedPolicy(0), latencyMs: 40, seeks: [{ atMs: 20_000, toMs: 101_500 }] });
    const after = r.segments.filter((s) => s.requestMs >= 20_000 && !s.abandoned);
    expect(after[0]?.index).toBe(25);
    expect(after[0]?.requestMs).toBe(20_000);
    expect(after[0]?.doneMs).toBeCloseTo(21_840, 6);
    expect(r.summary.seekCount).toBe(1);
    expect(r.summary.seekLatencyMeanMs).toBeCloseTo(1840, 6);
    expect(r.summary.seekLatencyMaxMs).toBeCloseTo(1840, 6);
    // The seek mark is on the timeline, and the playhead resumed at 100,000 ms: media 100 s → 240 s played after it.
    expect(r.timeline.marks.filter((m) => m.kind === 'seek').map((m) => m.tMs)).toEqual([20_000]);
    expect(r.summary.endReason).toBe('finished');
  });

  it('aborts the downloads in flight at the seek (no aborted transfer completes)', () => {
    // 2 Mbps link: each 12e6-bit segment takes 6 s alone, 18 s with 3 sharing; a seek at 10 s catches 3 in flight.
    const r = simulateSession({ trace: constantTrace(2000), catalog, policy: fixedPolicy(0), latencyMs: 40, seeks: [{ atMs: 10_000, toMs: 200_000 }] });
    const before = r.segments.filter((s) => s.requestMs < 10_000);
    // Segments requested before the seek that were still loading never show up as completed rows after 10 s.
    expect(before.every((s) => s.doneMs <= 10_000)).toBe(true);
    const first = r.segments.find((s) => s.requestMs >= 10_000);
    expect(first?.index).toBe(50);
  });

  it('two seeks: count 2, mean and max of the two latencies', () => {
    // Same link as the first test; both seeks land while filling with an empty buffer → 1840 ms each.
    const r = simulateSession({
      trace: constantTrace(20_000),
      catalog,
      policy: fixedPolicy(0),
      latencyMs: 40,
      seeks: [
        { atMs: 20_000, toMs: 101_500 },
        { atMs: 40_000, toMs: 8000 },
      ],
    });
    expect(r.summary.seekCount).toBe(2);
    expect(r.summary.seekLatencyMeanMs).toBeCloseTo(1840, 6);
    expect(r.summary.seekLatencyMaxMs).toBeCloseTo(1840, 6);
  });

  it('a session without seeks reports seekCount 0 and no latency', () => {
    const r = simulateSession({ trace: constantTrace(20_000), catalog: cbrCatalog({ ratesKbps: [3000], segments: 5 }), policy: fixedPolicy(0), latencyMs: 40 });
    expect(r.summary.seekCount).toBe(0);
    expect(r.summary.seekLatencyMeanMs).toBeUndefined();
  });

  it('meets the reference target (< 500 ms) on a fast link with the reference player and ladder', () => {
    const video = parseCatalog(JSON.parse(readFileSync(new URL('../../traces/videos/reference-10min.json', import.meta.url), 'utf8')), 'reference-10min.json');
    // 100 Mbps, 20 ms: the reference policy settles on a high rung; three seeks spread over the title.
    const r = simulateSession({
      trace: constantTrace(100_000),
      catalog: video,
      policy: 'reference',
      latencyMs: 20,
      seeks: [
        { atMs: 30_000, toMs: 300_000 },
        { atMs: 60_000, toMs: 45_000 },
        { atMs: 90_000, toMs: 500_000 },
      ],
    });
    expect(r.summary.seekCount).toBe(3);
    expect(r.summary.seekLatencyMaxMs).toBeLessThan(500);
  });
});
