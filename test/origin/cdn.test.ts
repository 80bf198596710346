import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { MultiCdnOrigin, REFERENCE_CDNS } from '../../src/origin/cdn.js';
import { SingleOrigin } from '../../src/origin/origin.js';
import { cbrCatalog } from '../helpers/fakes.js';

// 100,000-byte segments (200 kbps × 4 s / 8).
const catalog = cbrCatalog({ ratesKbps: [200], segments: 4 });
const upstream = new SingleOrigin({ catalog, latencyMs: 5 });

describe('MultiCdnOrigin', () => {
  it('routes by the cdn/<name>/ prefix and adds the miss penalty on a miss', () => {
    const o = new MultiCdnOrigin({
      upstream,
      cdns: [{ name: 'edge', latencyMs: 10, missPenaltyMs: 60, cacheBytes: 150_000 }],
      rng: createRng(1),
    });
    // Miss: 10 (edge) + 5 (origin) + 60 (fill); then a hit: 10 + 5.
    expect(o.resolve({ url: 'cdn/edge/seg/0/0' }, 0)).toEqual({ ok: true, sizeBytes: 100_000, latencyMs: 75 });
    expect(o.resolve({ url: 'cdn/edge/seg/0/0' }, 1)).toEqual({ ok: true, sizeBytes: 100_000, latencyMs: 15 });
    // A second object does not fit beside the first (150,000 B): it evicts it.
    o.resolve({ url: 'cdn/edge/seg/0/1' }, 2);
    expect(o.resolve({ url: 'cdn/edge/seg/0/0' }, 3)).toMatchObject({ latencyMs: 75 });
    expect(o.counters['edge']).toEqual({ requests: 4, hits: 1, misses: 3, errors: 0, bytesAnswered: 400_000 });
    expect(o.cacheOf('edge')?.hitRatio).toBeCloseTo(0.25, 12);
  });

  it('answers 404 for unknown CDNs and objects, and passes 416 through', () => {
    const o = new MultiCdnOrigin({ upstream, cdns: REFERENCE_CDNS, rng: createRng(1) });
    expect(o.resolve({ url: 'cdn/akamai/seg/0/0' }, 0)).toMatchObject({ ok: false, kind: 'http-404' });
    expect(o.resolve({ url: 'cdn/oca/seg/0/99' }, 0)).toMatchObject({ ok: false, kind: 'http-404' });
    expect(o.resolve({ url: 'cdn/s3/seg/0/0', rangeBytes: { start: 100_000, end: 100_010 } }, 0)).toMatchObject({ ok: false, kind: 'http-416' });
    expect(o.counters['oca']?.errors).toBe(1);
  });

  it('a configured hit ratio is met on average', () => {
    const o = new MultiCdnOrigin({ upstream, cdns: [{ name: 'cf', latencyMs: 0, missPenaltyMs: 100, hitRatio: 0.9 }], rng: createRng(3) });
    for (let i = 0; i < 10_000; i++) o.resolve({ url: 'cdn/cf/seg/0/1' }, i);
    const c = o.counters['cf'];
    // Binomial(10,000, 0.9): sd = 0.003.
    expect((c?.hits ?? 0) / 10_000).toBeGreaterThan(0.885);
    expect((c?.hits ?? 0) / 10_000).toBeLessThan(0.915);
  });

  it('an outage window times out (no answer) and names unknown CDNs in fault rules', () => {
    const o = new MultiCdnOrigin({ upstream, cdns: REFERENCE_CDNS, faults: [{ kind: 'outage', cdn: 'oca', fromMs: 0, toMs: 10, as: 'timeout' }], rng: createRng(1) });
    expect(o.resolve({ url: 'cdn/oca/seg/0/0' }, 5)).toEqual({ ok: false, kind: 'timeout', latencyMs: Number.POSITIVE_INFINITY });
    expect(() => new MultiCdnOrigin({ upstream, cdns: REFERENCE_CDNS, faults: [{ kind: 'http-503', cdn: 'nope', rate: 1 }], rng: createRng(1) })).toThrow(InputError);
    expect(() => new MultiCdnOrigin({ upstream, cdns: [{ name: 'a' }, { name: 'a' }], rng: createRng(1) })).toThrow(/duplicate CDN/);
  });
});
