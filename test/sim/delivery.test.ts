import { describe, expect, it } from 'vitest';
import { constantTrace } from '../../src/net/trace.js';
import { REFERENCE_CDNS } from '../../src/origin/cdn.js';
import { simulateSession } from '../../src/sim/simulate.js';
import { cbrCatalog, fixedPolicy } from '../helpers/fakes.js';

// 30 segments of 4 s at 1000 kbps (500,000 B each) on a 10 Mbps link: plenty of capacity.
const catalog = cbrCatalog({ ratesKbps: [1000], segments: 30 });
const trace = constantTrace(10_000);

describe('simulated delivery: CDNs, faults and the reference resilience layer', () => {
  it('an OCA outage answered with 503s sends every byte through CloudFront and prices it there', () => {
    const r = simulateSession({
      trace,
      catalog,
      policy: fixedPolicy(0),
      seed: 1,
      delivery: { cdns: REFERENCE_CDNS, faults: [{ kind: 'outage', cdn: 'oca', fromMs: 0, toMs: 10_000_000, as: 'http-503' }] },
    });
    expect(r.summary.endReason).toBe('finished');
    const d = r.delivery;
    expect(d?.bytesByCdn['oca']).toBe(0);
    expect(d?.bytesByCdn['cloudfront']).toBe(30 * 500_000);
    expect(r.summary.bytes).toBe(30 * 500_000);
    // Every fail-back to OCA meets the outage again and fails over once more.
    expect(d?.failovers).toBe((d?.failbacks ?? 0) + 1);
    // 15,000,000 B at CloudFront's $0.085 per 10^9 B.
    expect(r.cost?.usd).toBeCloseTo(0.015 * 0.085, 12);
    expect(r.cost?.tiers?.['cloudfront']?.bytes).toBe(15_000_000);
  });

  it('when every CDN times out, the request gives up after 3 retries and the session ends with a classified error', () => {
    const r = simulateSession({
      trace,
      catalog,
      policy: fixedPolicy(0),
      seed: 1,
      delivery: { cdns: REFERENCE_CDNS, faults: [{ kind: 'outage', fromMs: 0, toMs: 10_000_000, as: 'timeout' }] },
    });
    expect(r.summary.endReason).toBe('fatal-error');
    expect(r.summary.error?.kind).toBe('timeout');
    expect(r.summary.completion).toBe(0);
    // Attempts: OCA at 0 and 11 s (back-off 1 s), CloudFront at 23 s (2 s back-off, 2nd failure on OCA → next
    // CDN) and 37 s (4 s back-off); the last times out at 47 s.
    expect(r.delivery).toMatchObject({ attempts: 4, retries: 3, failovers: 1, requestsByCdn: { oca: 2, cloudfront: 2, s3: 0 } });
    expect(r.timeline.marks.some((m) => m.kind === 'failover')).toBe(true);
  });

  it('faults without CDNs: a single origin, retries only, and 503 everywhere is fatal', () => {
    const r = simulateSession({ trace, catalog, policy: fixedPolicy(0), seed: 1, delivery: { faults: [{ kind: 'http-503', rate: 1 }] } });
    expect(r.summary.endReason).toBe('fatal-error');
    expect(r.summary.error?.kind).toBe('http-503');
    expect(r.delivery?.attempts).toBe(4);
  });

  it('is deterministic per seed and the fault draws change with it', () => {
    const run = (seed: number) =>
      simulateSession({ trace, catalog, policy: fixedPolicy(0), seed, delivery: { cdns: REFERENCE_CDNS, faults: [{ kind: 'connection-reset', rate: 0.2, afterMs: 100 }] } });
    const a = JSON.stringify(run(3));
    expect(JSON.stringify(run(3))).toBe(a);
    expect(JSON.stringify(run(4))).not.toBe(a);
    const r = run(3);
    expect(r.summary.endReason).toBe('finished');
    // Resets waste the bytes received before them: what the CDNs sent exceeds what the player kept.
    const sent = Object.values(r.delivery?.bytesByCdn ?? {}).reduce((a2, b) => a2 + b, 0);
    expect(sent).toBeCloseTo(r.summary.bytes + (r.delivery?.wastedBytes ?? 0), 3);
    expect(r.delivery?.wastedBytes).toBeGreaterThan(0);
  });
});

describe('CDN throughput caps', () => {
  it('a capped CDN delivers no faster than its cap, and the player measures the cap', () => {
    // 500,000 B = 4,000,000 bits at a 2000 kbps cap: 2000 ms from the first byte (the 10 Mbps link alone: 400 ms).
    const one = cbrCatalog({ ratesKbps: [1000], segments: 1 });
    const r = simulateSession({ trace, catalog: one, policy: fixedPolicy(0), seed: 1, latencyMs: 0, delivery: { cdns: [{ name: 'edge', latencyMs: 10, hitRatio: 1, throughputCapKbps: 2000 }] } });
    expect(r.segments[0]).toMatchObject({ requestMs: 0, firstByteMs: 10, doneMs: 2010 });
    const free = simulateSession({ trace, catalog: one, policy: fixedPolicy(0), seed: 1, latencyMs: 0, delivery: { cdns: [{ name: 'edge', latencyMs: 10, hitRatio: 1 }] } });
    expect(free.segments[0]).toMatchObject({ firstByteMs: 10, doneMs: 410 });
  });
});
