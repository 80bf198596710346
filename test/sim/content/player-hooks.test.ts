import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { playerConfig } from '../../../src/player/config.js';
import { PlayerSession } from '../../../src/player/session.js';
import { constantTrace } from '../../../src/net/trace.js';
import { simulateSession } from '../../../src/sim/simulate.js';
import { FakeTransport, cbrCatalog, fixedPolicy, nullEstimator } from '../../helpers/fakes.js';

// The two PlayerSession options the content drivers add: `segmentAvailableAtMs` and `startSegment`.
// 2 s segments of 1000 kbps = 250,000 B; the fake transport gives each request 10 Mbps alone: 200 ms.
function run(opts: { availableAtMs?: (i: number) => number; startSegment?: number; segments?: number }) {
  const clock = new VirtualClock();
  const catalog = cbrCatalog({ ratesKbps: [1000], segments: opts.segments ?? 6, segmentMs: 2000 });
  const transport = new FakeTransport(clock, catalog, { latencyMs: 0, kbps: 10_000 });
  const session = new PlayerSession({
    clock,
    transport,
    catalog,
    policy: fixedPolicy(0),
    estimator: nullEstimator(),
    config: playerConfig({ maxParallel: 1 }),
    ...(opts.availableAtMs ? { segmentAvailableAtMs: opts.availableAtMs } : {}),
    ...(opts.startSegment !== undefined ? { startSegment: opts.startSegment } : {}),
  });
  session.start();
  clock.run(100_000);
  return { session, transport, clock };
}

describe('PlayerSession content hooks', () => {
  it('never requests a segment before it is available, and wakes exactly then', () => {
    // Segment i available at 3000·i: requests at 0, 3000, 6000, …; without the hook they would go out back to
    // back (0, 200, 400, …).
    const { transport, session } = run({ availableAtMs: (i) => 3000 * i });
    expect(transport.requests.map((r) => r.atMs)).toEqual([0, 3000, 6000, 9000, 12_000, 15_000]);
    // Startup needs 4 s: segment 1 is in at 3200. Publication gives 2 s of media every 3 s, slower than playback,
    // so the player stalls on the way; it still finishes.
    expect(session.log.startupMs).toBe(3200);
    expect(session.reason).toBe('finished');
    const free = run({});
    expect(free.transport.requests.map((r) => r.atMs)).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('starts at the given segment: requests from it, and plays only the media after it', () => {
    const { transport, session } = run({ startSegment: 3 });
    expect(transport.requests.map((r) => r.url)).toEqual(['seg/0/3', 'seg/0/4', 'seg/0/5']);
    // Segments 3–5 are 6 s of media; startup at 400 ms (two segments = 4 s), end at 400 + 6000.
    expect(session.log.metrics().playMs).toBe(6000);
    expect(session.log.startupMs).toBe(400);
    expect(session.playheadNow()).toBe(12_000);
  });
});

describe('simulateSession passes the content hooks through (src/sim/prepare.ts)', () => {
  // Same title on a constant 10 Mbps link with no latency: one 250,000 B segment alone takes 200 ms.
  const base = () => ({ trace: constantTrace(10_000), latencyMs: 0, catalog: cbrCatalog({ ratesKbps: [1000], segments: 6, segmentMs: 2000 }), policy: fixedPolicy(0), player: { maxParallel: 1 } });

  it('startSegment: rows from segment 3, 6 s of media played', () => {
    const r = simulateSession({ ...base(), startSegment: 3 });
    expect(r.segments.map((s) => s.index)).toEqual([3, 4, 5]);
    expect(r.summary.playMs).toBe(6000);
  });

  it('segmentAvailableAtMs: each request waits for its segment (3000·i)', () => {
    const r = simulateSession({ ...base(), segmentAvailableAtMs: (i) => 3000 * i });
    expect(r.segments.map((s) => s.requestMs)).toEqual([0, 3000, 6000, 9000, 12_000, 15_000]);
  });
});
