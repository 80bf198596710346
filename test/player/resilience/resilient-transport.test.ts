import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { createRng } from '../../../src/core/rng.js';
import { FluidLink } from '../../../src/net/fluid-link.js';
import { SimTransport } from '../../../src/net/sim-transport.js';
import { constantTrace } from '../../../src/net/trace.js';
import { MultiCdnOrigin, type CdnConfigInput } from '../../../src/origin/cdn.js';
import type { FaultRule } from '../../../src/origin/faults.js';
import { SingleOrigin } from '../../../src/origin/origin.js';
import { ResilientTransport, type ResilienceEvent } from '../../../src/player/resilience/resilient-transport.js';
import { retryPolicy, type RetryPolicyInput } from '../../../src/player/resilience/retry-policy.js';
import type { TransferListener, TransferTiming, TransportErrorKind, TransportRequest } from '../../../src/player/transport.js';
import { cbrCatalog } from '../../helpers/fakes.js';

// One rung at 200 kbps, 4 s segments: every segment is 200 × 4000 / 8 = 100,000 bytes. The link runs at
// 8000 kbps = 1000 bytes/ms with no link latency, so a lone segment takes 100 ms after its first byte.
const catalog = cbrCatalog({ ratesKbps: [200], segments: 10 });

class Spy implements TransferListener {
  readonly log: string[] = [];
  timing: TransferTiming | undefined;
  onDone(t: TransferTiming): void {
    this.timing = t;
    this.log.push(`done@${t.doneMs}`);
  }
  onError(kind: TransportErrorKind, atMs: number): void {
    this.log.push(`${kind}@${atMs}`);
  }
}

function setup(p: { cdns: CdnConfigInput[]; faults?: FaultRule[]; policy?: RetryPolicyInput }) {
  const clock = new VirtualClock();
  const link = new FluidLink({ clock, trace: constantTrace(8000), latencyMs: 0 });
  const origin = new MultiCdnOrigin({ upstream: new SingleOrigin({ catalog }), cdns: p.cdns, faults: p.faults ?? [], rng: createRng(1) });
  const events: ResilienceEvent[] = [];
  const transport = new ResilientTransport({
    inner: new SimTransport({ clock, link, origin }),
    clock,
    policy: retryPolicy(p.policy),
    cdns: p.cdns.map((c) => ({ name: c.name, baseUrl: MultiCdnOrigin.baseUrl(c.name) })),
    onEvent: (e) => events.push(e),
  });
  const fetch = (req: TransportRequest, atMs = 0): Spy => {
    const spy = new Spy();
    clock.setTimer(atMs, () => transport.request(req, spy));
    return spy;
  };
  return { clock, transport, events, origin, fetch, link };
}

const twoCdns: CdnConfigInput[] = [
  { name: 'a', latencyMs: 10, hitRatio: 1 },
  { name: 'b', latencyMs: 30, hitRatio: 1 },
];

describe('ResilientTransport over the simulated CDNs', () => {
  it('503 → the alternate CDN at once, and the player measures from its own request', () => {
    const s = setup({ cdns: twoCdns, faults: [{ kind: 'outage', cdn: 'a', fromMs: 0, toMs: 100_000, as: 'http-503' }] });
    const spy = s.fetch({ url: 'seg/0/0' });
    s.clock.run();
    // a answers 503 after its 10 ms; b is asked at 10 ms, first byte at 10 + 30 = 40, 100,000 B at 1000 B/ms → 140.
    expect(spy.timing).toEqual({ requestMs: 0, firstByteMs: 40, doneMs: 140, bytes: 100_000 });
    expect(s.events.map((e) => e.kind)).toEqual(['attempt-failed', 'failover', 'retry']);
    expect(s.transport.stats).toMatchObject({ attempts: 2, retries: 1, failovers: 1, bytesByCdn: { a: 0, b: 100_000 }, requestsByCdn: { a: 1, b: 1 } });
  });

  it('stays on the CDN that works, then fails back after failBackAfterMs', () => {
    const s = setup({ cdns: twoCdns, faults: [{ kind: 'outage', cdn: 'a', fromMs: 0, toMs: 1500, as: 'http-503' }], policy: { failBackAfterMs: 1000 } });
    const first = s.fetch({ url: 'seg/0/0' }, 0);
    const sticky = s.fetch({ url: 'seg/0/1' }, 500); // 500 − 10 < 1000 since the failover: stays on b
    const probe = s.fetch({ url: 'seg/0/2' }, 1200); // ≥ 1000 after the failover at 10: back to a, still down
    const back = s.fetch({ url: 'seg/0/3' }, 3000); // the failover at 1210 was 1790 ms ago: a again, now up
    s.clock.run();
    expect(first.timing?.doneMs).toBe(140);
    expect(sticky.timing).toMatchObject({ requestMs: 500, firstByteMs: 530, doneMs: 630 });
    // a: 503 at 1210, b asked at once: first byte 1240, done 1340.
    expect(probe.timing).toMatchObject({ requestMs: 1200, firstByteMs: 1240, doneMs: 1340 });
    expect(back.timing).toMatchObject({ requestMs: 3000, firstByteMs: 3010, doneMs: 3110 });
    expect(s.transport.stats.failovers).toBe(2);
    expect(s.transport.stats.failbacks).toBe(2);
    // a: first, probe and back; b: the first's retry, sticky and the probe's retry.
    expect(s.transport.stats.requestsByCdn).toEqual({ a: 3, b: 3 });
  });

  it('timeouts back off 1, 2, 4 s and give up after 3 retries', () => {
    const s = setup({ cdns: [{ name: 'a', latencyMs: 0, hitRatio: 1 }], faults: [{ kind: 'timeout', rate: 1 }] });
    const spy = s.fetch({ url: 'seg/0/0' });
    s.clock.run();
    // Attempts at 0, 11,000, 23,000, 37,000; each times out 10 s later; the last at 47,000 is final.
    expect(spy.log).toEqual(['timeout@47000']);
    const retries = s.events.filter((e) => e.kind === 'retry');
    expect(retries.map((e) => [e.atMs, (e as { delayMs: number }).delayMs])).toEqual([
      [10_000, 1000],
      [21_000, 2000],
      [33_000, 4000],
    ]);
  });

  it('416 → retried at once without the range, and the whole object arrives', () => {
    const s = setup({ cdns: [{ name: 'a', latencyMs: 10, hitRatio: 1 }] });
    const spy = s.fetch({ url: 'seg/0/0', rangeBytes: { start: 200_000, end: 299_999 } });
    s.clock.run();
    // 416 at 10; retry at 10: first byte at 20, 100,000 B → 120.
    expect(spy.timing).toEqual({ requestMs: 0, firstByteMs: 20, doneMs: 120, bytes: 100_000 });
  });

  it('connection resets wait 5 s each; the bytes before each reset are counted as wasted', () => {
    const s = setup({ cdns: [{ name: 'a', latencyMs: 0, hitRatio: 1 }], faults: [{ kind: 'connection-reset', rate: 1, afterMs: 50 }] });
    const spy = s.fetch({ url: 'seg/0/0' });
    s.clock.run();
    // Each attempt gets 50 ms × 1000 B/ms = 50,000 B, then resets; attempts at 0, 5050, 10,100, 15,150.
    expect(spy.log).toEqual(['connection-reset@15200']);
    expect(s.transport.stats.wastedBytes).toBeCloseTo(200_000, 6);
    expect(s.transport.stats.bytesByCdn['a']).toBeCloseTo(200_000, 6);
    // Conservation on the link: what it delivered is exactly what the transport counted.
    expect(s.link.deliveredBytes).toBeCloseTo(200_000, 6);
  });

  it('a stall pauses delivery and frees the link, then the rest arrives', () => {
    const s = setup({ cdns: [{ name: 'a', latencyMs: 0, hitRatio: 1 }], faults: [{ kind: 'stall', rate: 1, afterMs: 50, durationMs: 3000 }] });
    const spy = s.fetch({ url: 'seg/0/0' });
    s.clock.run();
    // 50,000 B by 50 ms, nothing until 3050, the other 50,000 B by 3100.
    expect(spy.timing).toEqual({ requestMs: 0, firstByteMs: 0, doneMs: 3100, bytes: 100_000 });
  });

  it('the session retry budget ends retrying early', () => {
    const s = setup({ cdns: [{ name: 'a', latencyMs: 0, hitRatio: 1 }], faults: [{ kind: 'timeout', rate: 1 }], policy: { retryBudget: 2 } });
    const spy = s.fetch({ url: 'seg/0/0' });
    s.clock.run();
    // Attempts at 0 and 11,000 and 23,000; the third timeout at 33,000 finds the budget spent.
    expect(spy.log).toEqual(['timeout@33000']);
    expect(s.transport.budgetSpent).toBe(true);
    expect(s.events.at(-1)).toMatchObject({ kind: 'gave-up', reason: 'session retry budget (2) spent' });
  });

  it('aborting during a back-off cancels the retry', () => {
    const s = setup({ cdns: [{ name: 'a', latencyMs: 0, hitRatio: 1 }], faults: [{ kind: 'timeout', rate: 1 }] });
    const spy = new Spy();
    let handle: { abort(): void } | undefined;
    s.clock.setTimer(0, () => (handle = s.transport.request({ url: 'seg/0/0' }, spy)));
    s.clock.setTimer(10_500, () => handle?.abort());
    s.clock.run();
    expect(spy.log).toEqual([]);
    expect(s.transport.stats.attempts).toBe(1);
    expect(s.clock.nowMs()).toBe(10_500);
  });
});
