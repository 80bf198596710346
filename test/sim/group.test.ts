import { describe, expect, it } from 'vitest';
import { constantTrace } from '../../src/net/trace.js';
import type { CdnConfigInput } from '../../src/origin/cdn.js';
import { parseCatalog } from '../../src/origin/catalog.js';
import { runGroup, simulateGroup } from '../../src/sim/group.js';
import { simulateSession, type SimulateOptions } from '../../src/sim/simulate.js';
import { cbrCatalog, fixedPolicy } from '../helpers/fakes.js';

// 5 segments of 4 s at 1000 kbps = 500,000 B each, on a 10 Mbps link with no link latency: a body takes 400 ms
// alone. The edge answers a hit after 10 ms and a miss after 10 + 60 ms (it fetches from the origin first).
const catalog = cbrCatalog({ ratesKbps: [1000], segments: 5 });
const trace = constantTrace(10_000);
const SEGMENT_BYTES = 500_000;
const HIT_MS = 10;
const MISS_MS = 70;

function edge(cacheBytes: number): CdnConfigInput[] {
  return [{ name: 'edge', latencyMs: HIT_MS, missPenaltyMs: MISS_MS - HIT_MS, cacheBytes }];
}

function opts(cdns: CdnConfigInput[], over: Partial<SimulateOptions> = {}): SimulateOptions {
  return { trace, catalog, policy: fixedPolicy(0), seed: 1, latencyMs: 0, delivery: { cdns }, ...over };
}

/** Time to first byte of every segment row, ms. */
const ttfbs = (r: { segments: { requestMs: number; firstByteMs: number }[] }) => r.segments.map((s) => s.firstByteMs - s.requestMs);

describe('simulateGroup: sessions sharing CDN edges', () => {
  it('the second viewer of a title, 1 s later, hits every segment the first fetched: first bytes 60 ms sooner', () => {
    const [first, second] = simulateGroup([
      { opts: opts(edge(100 * SEGMENT_BYTES)), startAtMs: 0 },
      { opts: opts(edge(100 * SEGMENT_BYTES)), startAtMs: 1000 },
    ]);
    // The first viewer finds a cold edge: 5 misses, each first byte after 10 + 60 ms.
    expect(ttfbs(first!)).toEqual([MISS_MS, MISS_MS, MISS_MS, MISS_MS, MISS_MS]);
    expect(first!.delivery?.cdns['edge']).toMatchObject({ requests: 5, hits: 0, misses: 5 });
    // The second requests each segment after the first did (it starts 1 s later and gains at most 5 × 60 ms).
    expect(ttfbs(second!)).toEqual([HIT_MS, HIT_MS, HIT_MS, HIT_MS, HIT_MS]);
    expect(second!.delivery?.cdns['edge']).toMatchObject({ requests: 5, hits: 5, misses: 0 });
    // Session-relative: the second session's own clock starts at 0 (its first request at its time 0).
    expect(second!.segments[0]?.requestMs).toBe(0);
  });

  it('the first session of a group is exactly the same session run alone', () => {
    const [first] = simulateGroup([
      { opts: opts(edge(100 * SEGMENT_BYTES)), startAtMs: 0 },
      { opts: opts(edge(100 * SEGMENT_BYTES)), startAtMs: 1000 },
    ]);
    const alone = simulateSession(opts(edge(100 * SEGMENT_BYTES)));
    expect(JSON.stringify(first)).toBe(JSON.stringify(alone));
  });

  it('an edge too small to hold one segment never hits', () => {
    const run = runGroup([
      { opts: opts(edge(SEGMENT_BYTES - 1)), startAtMs: 0 },
      { opts: opts(edge(SEGMENT_BYTES - 1)), startAtMs: 1000 },
    ]);
    for (const r of run.results) {
      expect(r.delivery?.cdns['edge']).toMatchObject({ hits: 0, misses: 5 });
      expect(ttfbs(r)).toEqual([MISS_MS, MISS_MS, MISS_MS, MISS_MS, MISS_MS]);
    }
    expect(run.edges[0]?.cacheOf('edge')?.stats).toMatchObject({ hits: 0, misses: 10 });
  });

  it('TTLs run on group time: a viewer arriving 24 h + 1 s later finds every segment expired', () => {
    // The reference segment TTL is 24 h. In the second session's own time its requests come at the same times
    // as the first's, so a cache on session time would call them hits.
    const run = runGroup([
      { opts: opts(edge(100 * SEGMENT_BYTES)), startAtMs: 0 },
      { opts: opts(edge(100 * SEGMENT_BYTES)), startAtMs: 24 * 3600 * 1000 + 1000 },
    ]);
    expect(run.results[1]?.delivery?.cdns['edge']).toMatchObject({ hits: 0, misses: 5 });
    expect(run.edges[0]?.cacheOf('edge')?.stats).toMatchObject({ hits: 0, misses: 10, expired: 5 });
  });

  it('different titles never share cached objects, even at the same segment URLs', () => {
    const other = parseCatalog({ ...catalogJson(), name: 'other' });
    const [, second] = simulateGroup([
      { opts: opts(edge(100 * SEGMENT_BYTES)), startAtMs: 0 },
      { opts: opts(edge(100 * SEGMENT_BYTES), { catalog: other }), startAtMs: 1000 },
    ]);
    expect(second!.delivery?.cdns['edge']).toMatchObject({ hits: 0, misses: 5 });
  });

  it('sessions without CDNs run exactly as they do alone, whatever their start, and come back in input order', () => {
    // A fractional start makes base − offset round: the session must still see exactly its own times.
    const plain: SimulateOptions = { trace: constantTrace(3_333), catalog, policy: fixedPolicy(0), seed: 7, latencyMs: 37 };
    const results = simulateGroup([
      { opts: { ...plain, seed: 8, policy: fixedPolicy(0) }, startAtMs: 1234.567 },
      { opts: plain, startAtMs: 0 },
    ]);
    expect(results.map((r) => r.seed)).toEqual([8, 7]);
    expect(JSON.stringify(results[0])).toBe(JSON.stringify(simulateSession({ ...plain, seed: 8, policy: fixedPolicy(0) })));
    expect(JSON.stringify(results[1])).toBe(JSON.stringify(simulateSession({ ...plain, policy: fixedPolicy(0) })));
  });

  it('is deterministic', () => {
    const group = () =>
      simulateGroup([0, 300, 600].map((startAtMs, i) => ({ opts: opts(edge(3 * SEGMENT_BYTES), { seed: i }), startAtMs })));
    expect(JSON.stringify(group())).toBe(JSON.stringify(group()));
  });
});

function catalogJson(): Record<string, unknown> {
  return {
    name: 'test',
    segmentDurationMs: 4000,
    segmentCount: 5,
    representations: [{ id: 'r0', bitrateKbps: 1000, width: 640, height: 360, segmentSizesBytes: Array.from({ length: 5 }, () => SEGMENT_BYTES) }],
  };
}
