import { describe, expect, it } from 'vitest';
import { EdgeCache, MANIFEST_TTL_MS, SEGMENT_TTL_MS } from '../../src/origin/edge-cache.js';

describe('EdgeCache', () => {
  it('evicts the least recently used objects by bytes', () => {
    const c = new EdgeCache({ capacityBytes: 100 });
    expect(c.request('a', 40, 'segment', 0)).toBe(false);
    expect(c.request('b', 40, 'segment', 1)).toBe(false);
    expect(c.request('a', 40, 'segment', 2)).toBe(true); // a is now the most recent: order b, a
    expect(c.request('c', 40, 'segment', 3)).toBe(false); // 120 > 100: b goes
    expect(c.has('b', 3)).toBe(false);
    expect(c.has('a', 3)).toBe(true);
    expect(c.bytesUsed).toBe(80);
    expect(c.request('b', 40, 'segment', 4)).toBe(false); // order a, c → a goes
    expect(c.has('a', 4)).toBe(false);
    expect(c.stats).toMatchObject({ hits: 1, misses: 4, evictions: 2, hitBytes: 40, missBytes: 160 });
    expect(c.hitRatio).toBeCloseTo(1 / 5, 12);
  });

  it('never caches an object larger than the cache', () => {
    const c = new EdgeCache({ capacityBytes: 100 });
    c.request('small', 60, 'segment', 0);
    expect(c.request('huge', 101, 'segment', 1)).toBe(false);
    expect(c.request('huge', 101, 'segment', 2)).toBe(false);
    expect(c.has('small', 2)).toBe(true);
  });

  it('expires manifests after 5 minutes and segments after 24 hours (reference TTLs)', () => {
    expect(MANIFEST_TTL_MS).toBe(300_000);
    expect(SEGMENT_TTL_MS).toBe(86_400_000);
    const c = new EdgeCache({ capacityBytes: 1e9 });
    c.request('m', 1000, 'manifest', 0);
    expect(c.request('m', 1000, 'manifest', 299_999)).toBe(true);
    expect(c.request('m', 1000, 'manifest', 300_000)).toBe(false); // stored at 0, expired at exactly 5 min
    c.request('s', 1000, 'segment', 0);
    expect(c.request('s', 1000, 'segment', 86_399_999)).toBe(true);
    expect(c.request('s', 1000, 'segment', 86_400_000)).toBe(false);
    expect(c.stats.expired).toBe(2);
    expect(c.bytesUsed).toBe(2000);
  });
});
