import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { FluidLink } from '../../src/net/fluid-link.js';
import { SimTransport } from '../../src/net/sim-transport.js';
import { constantTrace, traceFromPeriods, type Trace } from '../../src/net/trace.js';
import { parseCatalog } from '../../src/origin/catalog.js';
import { SingleOrigin } from '../../src/origin/origin.js';
import type { TransferListener, TransferTiming, TransportErrorKind } from '../../src/player/transport.js';

// rep 0 ("lo"): 500,000 / 400,000 / 100 bytes; rep 1 ("hi"): 1,000,000 / 900,000 / 200 bytes.
const catalog = parseCatalog({
  segmentDurationMs: 4000,
  segmentCount: 3,
  representations: [
    { id: 'hi', bitrateKbps: 2000, width: 1280, height: 720, segmentSizesBytes: [1_000_000, 900_000, 200] },
    { id: 'lo', bitrateKbps: 1000, width: 640, height: 360, segmentSizesBytes: [500_000, 400_000, 100] },
  ],
});

class Spy implements TransferListener {
  readonly log: string[] = [];
  timing: TransferTiming | undefined;
  onFirstByte(atMs: number): void {
    this.log.push(`first@${atMs}`);
  }
  onDone(timing: TransferTiming): void {
    this.timing = timing;
    this.log.push(`done@${timing.doneMs}`);
  }
  onError(kind: TransportErrorKind, atMs: number): void {
    this.log.push(`${kind}@${atMs}`);
  }
}

/** Link at 8000 kbps with 40 ms latency, origin latency 10: first byte 50 ms after the request. */
function setup(opts: { trace?: Trace; linkLatencyMs?: number | undefined; originLatencyMs?: number } = {}) {
  const clock = new VirtualClock();
  const linkLatencyMs = 'linkLatencyMs' in opts ? opts.linkLatencyMs : 40;
  const link = new FluidLink({
    clock,
    trace: opts.trace ?? constantTrace(8000),
    ...(linkLatencyMs !== undefined ? { latencyMs: linkLatencyMs } : {}),
  });
  const origin = new SingleOrigin({ catalog, latencyMs: opts.originLatencyMs ?? 10 });
  return { clock, link, transport: new SimTransport({ clock, link, origin }) };
}

describe('SimTransport: a successful request', () => {
  it('first byte after link + origin latency, then the body at the link rate', () => {
    // seg/0/0 = 500,000 B = 4,000,000 bits. First byte at 40 + 10 = 50; 4,000,000 / 8000 = 500 ms → done 550.
    const { clock, transport } = setup();
    const spy = new Spy();
    const h = transport.request({ url: 'seg/0/0' }, spy);
    const seen: unknown[] = [];
    clock.setTimer(40, () => seen.push(h.totalBytes(), h.firstByteMs(), h.loadedBytes()));
    // At 300: 250 ms × 8000 kbps = 2,000,000 bits = 250,000 B.
    clock.setTimer(300, () => seen.push(h.totalBytes(), h.firstByteMs(), h.loadedBytes()));
    clock.run();
    expect(seen).toEqual([undefined, undefined, 0, 500_000, 50, 250_000]);
    expect(spy.log).toEqual(['first@50', 'done@550']);
    expect(spy.timing).toEqual({ requestMs: 0, firstByteMs: 50, doneMs: 550, bytes: 500_000 });
    expect(h.loadedBytes()).toBe(500_000);
  });

  it('never calls a listener from inside request(), even with zero latency or an immediate error', () => {
    const { clock, transport } = setup({ linkLatencyMs: 0, originLatencyMs: 0 });
    const ok = new Spy();
    const missing = new Spy();
    transport.request({ url: 'seg/0/2' }, ok);
    transport.request({ url: 'nope' }, missing);
    expect(ok.log).toEqual([]);
    expect(missing.log).toEqual([]);
    clock.run();
    // 100 B = 800 bits at 8000 kbps = 0.1 ms.
    expect(ok.log).toEqual(['first@0', 'done@0.1']);
    expect(missing.log).toEqual(['http-404@0']);
  });

  it('serves a byte range: the size is the range length', () => {
    // Bytes 100,000–199,999 of seg/0/0: 100,000 B = 800,000 bits → 100 ms after the first byte at 50 → 150.
    const { clock, transport } = setup();
    const spy = new Spy();
    const h = transport.request({ url: 'seg/0/0', rangeBytes: { start: 100_000, end: 199_999 } }, spy);
    clock.run();
    expect(spy.timing).toEqual({ requestMs: 0, firstByteMs: 50, doneMs: 150, bytes: 100_000 });
    expect(h.totalBytes()).toBe(100_000);
  });

  it("uses the trace's latency column at request time when the link has no latency configured", () => {
    // Latency 100 ms in 0–1000, 10 ms in 1000–2000; origin 10. At 0: first byte at 110; at 1000: at 1020.
    const trace = traceFromPeriods({ name: 'lat', durationsMs: [1000, 1000], ratesKbps: [8000, 8000], latenciesMs: [100, 10] });
    const { clock, transport } = setup({ trace, linkLatencyMs: undefined });
    const a = new Spy();
    const b = new Spy();
    transport.request({ url: 'seg/0/2' }, a);
    clock.setTimer(1000, () => transport.request({ url: 'seg/0/2' }, b));
    clock.run();
    expect(a.log[0]).toBe('first@110');
    expect(b.log[0]).toBe('first@1020');
  });

  it('a listener may issue the next request from onDone', () => {
    // seg/0/2 (100 B, 0.1 ms of body) three times in a row: 0 → 50 → 50.1, then 50.1 → 100.1 → 100.2, ...
    const { clock, transport } = setup();
    const log: string[] = [];
    let left = 3;
    const chain: TransferListener = {
      onDone: (t) => {
        log.push(`${t.requestMs.toFixed(1)}-${t.firstByteMs.toFixed(1)}-${t.doneMs.toFixed(1)}`);
        if (--left > 0) transport.request({ url: 'seg/0/2' }, chain);
      },
      onError: () => log.push('error'),
    };
    transport.request({ url: 'seg/0/2' }, chain);
    clock.run();
    expect(log).toEqual(['0.0-50.0-50.1', '50.1-100.1-100.2', '100.2-150.2-150.3']);
  });
});

describe('SimTransport: errors and timeouts', () => {
  it('404 and 416 arrive after the link + origin latency and use no link capacity', () => {
    const { clock, link, transport } = setup();
    const missing = new Spy();
    const badRange = new Spy();
    transport.request({ url: 'seg/9/0' }, missing);
    transport.request({ url: 'seg/0/0', rangeBytes: { start: 500_000, end: 500_100 } }, badRange);
    clock.run();
    expect(missing.log).toEqual(['http-404@50']);
    expect(badRange.log).toEqual(['http-416@50']);
    expect(link.requestedBytes).toBe(0);
  });

  it('times out when the first byte would come later than timeoutMs', () => {
    // First byte would be at 50: a 30 ms timeout fires at 30; exactly 50 is in time.
    const { clock, link, transport } = setup();
    const late = new Spy();
    const onTime = new Spy();
    const lateError = new Spy();
    transport.request({ url: 'seg/0/0', timeoutMs: 30 }, late);
    transport.request({ url: 'seg/0/2', timeoutMs: 50 }, onTime);
    transport.request({ url: 'nope', timeoutMs: 20 }, lateError);
    clock.run();
    expect(late.log).toEqual(['timeout@30']);
    // 100 B = 800 bits alone at 8000 kbps: 0.1 ms.
    expect(onTime.log).toEqual(['first@50', 'done@50.1']);
    expect(lateError.log).toEqual(['timeout@20']);
    expect(link.requestedBytes).toBe(100);
  });

  it('times out on a slow latency from the trace', () => {
    const trace = traceFromPeriods({ name: 'lat', durationsMs: [1000], ratesKbps: [8000], latenciesMs: [5000] });
    const { clock, transport } = setup({ trace, linkLatencyMs: undefined });
    const spy = new Spy();
    // The trace says 5000 ms of latency, plus 10 at the origin: 5010 ms to the first byte > 4000 → timeout at 4000.
    transport.request({ url: 'seg/0/2', timeoutMs: 4000 }, spy);
    clock.run();
    expect(spy.log).toEqual(['timeout@4000']);
  });

  it('rejects a negative timeout', () => {
    const { transport } = setup();
    expect(() => transport.request({ url: 'seg/0/0', timeoutMs: -1 }, new Spy())).toThrow(RangeError);
  });
});

describe('SimTransport: abort', () => {
  it('frees the link at once: the parallel request finishes earlier', () => {
    // seg/0/0 (4,000,000 bits) and seg/1/0 (8,000,000 bits), both first byte at 50, 4000 kbps each.
    // Abort the second at 300: the first has 250 × 4000 = 1,000,000 bits, 3,000,000 left alone at 8000
    // → 375 ms → done at 675 (it would be 50 + 4,000,000 / 4000 = 1050 without the abort).
    const { clock, link, transport } = setup();
    const first = new Spy();
    const second = new Spy();
    transport.request({ url: 'seg/0/0' }, first);
    const h = transport.request({ url: 'seg/1/0' }, second);
    clock.setTimer(300, () => h.abort());
    clock.run();
    expect(first.timing?.doneMs).toBeCloseTo(675, 9);
    expect(second.log).toEqual(['first@50']);
    // The aborted request keeps what it got: 1,000,000 bits = 125,000 B.
    expect(h.loadedBytes()).toBeCloseTo(125_000, 6);
    expect(link.deliveredBytes + link.abortedRemainingBytes).toBeCloseTo(1_500_000, 6);
  });

  it('before the first byte, on a pending error, from onFirstByte and after done: no further callbacks', () => {
    const { clock, transport } = setup();
    const beforeFirst = new Spy();
    const pendingError = new Spy();
    const h1 = transport.request({ url: 'seg/0/0' }, beforeFirst);
    const h2 = transport.request({ url: 'nope' }, pendingError);
    clock.setTimer(20, () => {
      h1.abort();
      h2.abort();
    });
    let h3: ReturnType<SimTransport['request']> | undefined;
    const log: string[] = [];
    h3 = transport.request(
      { url: 'seg/0/1' },
      {
        onFirstByte: (ms) => {
          log.push(`first@${ms}`);
          h3!.abort();
        },
        onDone: () => log.push('done'),
        onError: (k) => log.push(k),
      },
    );
    const done = new Spy();
    const h4 = transport.request({ url: 'seg/0/2' }, done);
    clock.run();
    h4.abort();
    expect(beforeFirst.log).toEqual([]);
    expect(pendingError.log).toEqual([]);
    expect(log).toEqual(['first@50']);
    expect(done.log).toEqual(['first@50', 'done@50.1']);
    expect(h4.loadedBytes()).toBe(100);
    expect(clock.pending).toBe(0);
  });
});
