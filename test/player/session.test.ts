import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { playerConfig, type PlayerConfigInput } from '../../src/player/config.js';
import { deviceMaxIndex } from '../../src/player/ladder.js';
import { PlayerSession } from '../../src/player/session.js';
import { parseCatalog, type Catalog } from '../../src/origin/catalog.js';
import { FakeTransport, cbrCatalog, fixedPolicy, nullEstimator } from '../helpers/fakes.js';

function run(p: { catalog: Catalog; kbps: number; latencyMs?: number; config?: PlayerConfigInput; index?: number; seek?: { atMs: number; toMs: number } }) {
  const clock = new VirtualClock();
  const transport = new FakeTransport(clock, p.catalog, { latencyMs: p.latencyMs ?? 0, kbps: p.kbps });
  const policy = fixedPolicy(p.index ?? 0);
  const session = new PlayerSession({
    clock,
    transport,
    catalog: p.catalog,
    policy,
    estimator: nullEstimator(),
    config: playerConfig(p.config ?? {}),
  });
  session.start();
  if (p.seek) {
    const { atMs, toMs } = p.seek;
    clock.setTimer(atMs, () => session.seek(toMs));
  }
  clock.run(1_000_000);
  return { session, clock, transport, policy, metrics: session.log.metrics() };
}

describe('player session: startup and playback', () => {
  it('starts once 4 s are buffered and plays to the end without stalls on a fast link', () => {
    // 1 rung of 1000 kbps, 4 s segments → 500,000 B each; one download at a time at 2000 kbps → 2000 ms each.
    // seg0 done at 2000 ms → 4 s buffered = startup threshold → playback starts at 2000 ms.
    // seg1..4 done at 4000, 6000, 8000, 10000: buffer grows by 4 s per download and drains 2 s → 12 s at 10 s.
    // Playback ends when the 20 s of media have played: 2000 + 20000 = 22000 ms.
    const catalog = cbrCatalog({ ratesKbps: [1000], segments: 5 });
    const { metrics, clock, session } = run({ catalog, kbps: 2000, config: { maxParallel: 1 } });
    expect(metrics.startupMs).toBe(2000);
    expect(metrics.rebufferCount).toBe(0);
    expect(metrics.playMs).toBe(20_000);
    expect(metrics.avgBitrateKbps).toBe(1000);
    expect(clock.nowMs()).toBe(22_000);
    expect(session.reason).toBe('finished');
    expect(session.log.rows.map((r) => r.doneMs)).toEqual([2000, 4000, 6000, 8000, 10000]);
    expect(session.log.rows.map((r) => r.bufferMs)).toEqual([4000, 6000, 8000, 10000, 12000]);
  });

  it('stalls when the buffer empties and resumes at the resume threshold, charging the stall to the awaited segment', () => {
    // 500,000 B per segment at 500 kbps → 8000 ms per download, one at a time.
    // seg0 done 8000 → play (4 s buffered). Media runs out at 12000; seg1 arrives at 16000 → stall 4000 ms,
    // buffer 4 s = resume threshold → resume. Media runs out at 20000, seg2 arrives at 24000 → second stall.
    // End at 24000 + 4000 = 28000.
    const catalog = cbrCatalog({ ratesKbps: [1000], segments: 3 });
    const { metrics, clock, session } = run({ catalog, kbps: 500, config: { maxParallel: 1 } });
    expect(metrics.startupMs).toBe(8000);
    expect(metrics.rebufferCount).toBe(2);
    expect(metrics.rebufferMs).toBe(8000);
    expect(metrics.playedRebufferMs).toEqual([0, 4000, 4000]);
    expect(clock.nowMs()).toBe(28_000);
    expect(session.log.timeline?.stalls).toEqual([
      { startMs: 12_000, endMs: 16_000 },
      { startMs: 20_000, endMs: 24_000 },
    ]);
  });

  it('waits for the resume threshold after a stall, not just one segment', () => {
    // 2 s segments (250,000 B at 1000 kbps), 500 kbps → 4000 ms per download, one at a time; startup and resume
    // both need 4 s = 2 segments. seg0 done 4000, seg1 done 8000 → play at 8000 with 4 s buffered; seg2 is
    // requested at 8000 and due at 12000, when the buffer also runs dry. The stall timer was set before seg2's
    // request, and equal-time timers run in insertion order, so the stall begins at 12000 first; seg2 then brings
    // only 2 s (< 4 s resume threshold) and playback waits for seg3 at 16000: one stall, 12000–16000.
    const catalog = cbrCatalog({ ratesKbps: [1000], segments: 5, segmentMs: 2000 });
    const { metrics, session } = run({ catalog, kbps: 500, config: { maxParallel: 1 } });
    expect(metrics.startupMs).toBe(8000);
    expect(session.log.timeline?.stalls).toEqual([{ startMs: 12_000, endMs: 16_000 }]);
  });
});

describe('player session: buffer policy and scheduler', () => {
  it('keeps the steady-state buffer within the reference 20–30 s band on a fast link', () => {
    // 10-minute title at 1000 kbps on a 100 Mbps per-request link: downloads take 40 ms, so the buffer is set by
    // the fill rule alone: filling stops before buffer + pending would pass 30 s, restarts below 20 s.
    const catalog = cbrCatalog({ ratesKbps: [1000], segments: 150 });
    const { session } = run({ catalog, kbps: 100_000 });
    const samples = session.log.timeline!.buffer;
    const after = samples.tMs.map((t, i) => ({ t, b: samples.bufferMs[i]! })).filter((s) => s.t > 60_000 && s.t < 500_000);
    expect(Math.max(...after.map((s) => s.b))).toBeLessThanOrEqual(30_000);
    // A refill starts when the buffer drops below 20 s; one 40 ms download later it is back above 20 s - 40 ms.
    expect(Math.min(...after.map((s) => s.b))).toBeGreaterThanOrEqual(20_000 - 4000);
  });

  it('runs one download until the first completes, then up to 3 in parallel while the buffer is low', () => {
    // 500,000 B at 1000 kbps per request → 4000 ms each. t=0: only seg0 (no bandwidth sample yet).
    // t=4000: buffer 4 s < 10 s → fetch-ahead 5, parallel cap 3 → seg1, seg2, seg3 at once.
    const catalog = cbrCatalog({ ratesKbps: [1000], segments: 20 });
    const { transport } = run({ catalog, kbps: 1000 });
    expect(transport.requests.filter((r) => r.atMs === 0).map((r) => r.url)).toEqual(['seg/0/0']);
    expect(transport.requests.filter((r) => r.atMs === 4000).map((r) => r.url)).toEqual(['seg/0/1', 'seg/0/2', 'seg/0/3']);
  });

  it('starts 3 at once when told to (maxParallelBeforeFirstSample = 3)', () => {
    const catalog = cbrCatalog({ ratesKbps: [1000], segments: 20 });
    const { transport } = run({ catalog, kbps: 1000, config: { maxParallelBeforeFirstSample: 3 } });
    expect(transport.requests.filter((r) => r.atMs === 0).map((r) => r.url)).toEqual(['seg/0/0', 'seg/0/1', 'seg/0/2']);
  });

  it('applies the device height cap', () => {
    // Reference ladder heights: 240, 360, 480, 720, 720, 1080, 1080, 2160, 2160 → a 1080p device tops at index 6.
    const catalog = parseCatalog({
      segmentDurationMs: 4000,
      segmentCount: 2,
      representations: [
        [300, 240], [600, 360], [1000, 480], [2000, 720], [3000, 720], [5000, 1080], [8000, 1080], [20000, 2160], [25000, 2160],
      ].map(([kbps, h], i) => ({ id: `r${i}`, bitrateKbps: kbps!, width: Math.round((h! * 16) / 9), height: h! })),
    });
    expect(deviceMaxIndex(catalog, 1080)).toBe(6);
    expect(deviceMaxIndex(catalog, undefined)).toBe(8);
  });
});

describe('player session: seek', () => {
  it('aborts in-flight downloads, lands on the segment boundary and measures the seek latency', () => {
    // 1000 kbps rung, 2000 kbps per request, 3 in parallel: every download takes 2000 ms.
    // At 5000 ms seek to 61,000 ms → segment floor(61000 / 4000) = 15, which starts at 60,000 ms.
    // Its download takes 2000 ms → playback resumes at 7000 ms: seek latency 2000 ms.
    const catalog = cbrCatalog({ ratesKbps: [1000], segments: 30 });
    const { session, transport } = run({ catalog, kbps: 2000, seek: { atMs: 5000, toMs: 61_000 } });
    const afterSeek = transport.requests.filter((r) => r.atMs === 5000).map((r) => r.url);
    expect(afterSeek[0]).toBe('seg/0/15');
    expect(transport.aborted.length).toBeGreaterThan(0);
    expect(session.log.seekLatenciesMs).toEqual([2000]);
    // Media played: 0..3000 ms before the seek (playback began at 2000 ms), then 60,000 → 120,000 after it.
    expect(session.log.metrics().playMs).toBe(3000 + 60_000);
  });
});
