import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { FluidLink, type LinkListener, type LinkTransfer } from '../../src/net/fluid-link.js';
import { constantTrace, traceFromPeriods, type Trace } from '../../src/net/trace.js';

/** Records every callback as `name@ms`, and keeps the times. */
class Recorder implements LinkListener {
  readonly log: string[] = [];
  firstByteMs: number | undefined;
  doneMs: number | undefined;
  constructor(readonly name: string) {}
  onLinkFirstByte(_t: LinkTransfer, atMs: number): void {
    this.firstByteMs = atMs;
    this.log.push(`${this.name}:first@${atMs}`);
  }
  onLinkDone(_t: LinkTransfer, atMs: number): void {
    this.doneMs = atMs;
    this.log.push(`${this.name}:done@${atMs}`);
  }
}

function setup(trace: Trace, latencyMs?: number, traceOffsetMs?: number): { clock: VirtualClock; link: FluidLink } {
  const clock = new VirtualClock();
  const link = new FluidLink({
    clock,
    trace,
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(traceOffsetMs !== undefined ? { traceOffsetMs } : {}),
  });
  return { clock, link };
}

/** Runs `fn` at clock time `atMs`. */
const at = (clock: VirtualClock, atMs: number, fn: () => void): void => {
  clock.setTimer(atMs, fn);
};

describe('FluidLink: processor sharing on a constant link', () => {
  it('two 1 MB transfers starting 100 ms apart (the worked example)', () => {
    // 8000 kbps, no latency. A = B = 1,000,000 bytes = 8,000,000 bits.
    // 0–100: A alone at 8000 kbps → 800,000 bits; A has 7,200,000 left.
    // From 100 both get 4000 kbps. A needs 7,200,000 / 4000 = 1800 ms → A done at 1900.
    // By 1900 B has 1800 × 4000 = 7,200,000 bits, 800,000 left, alone at 8000 → 100 ms → B done at 2000.
    // Check: 16,000,000 bits / 8000 kbps = 2000 ms of a link never idle.
    const { clock, link } = setup(constantTrace(8000), 0);
    const a = new Recorder('A');
    const b = new Recorder('B');
    let ta: LinkTransfer | undefined;
    let tb: LinkTransfer | undefined;
    ta = link.start({ sizeBytes: 1_000_000, listener: a });
    at(clock, 100, () => {
      tb = link.start({ sizeBytes: 1_000_000, listener: b });
    });
    const probes: number[] = [];
    // At 1000: A = 800,000 + 900 × 4000 = 4,400,000 bits = 550,000 B; B = 900 × 4000 = 3,600,000 bits = 450,000 B.
    at(clock, 1000, () => probes.push(ta!.loadedBytes(), tb!.loadedBytes(), link.receivingCount));
    clock.run();
    expect(a.firstByteMs).toBe(0);
    expect(b.firstByteMs).toBe(100);
    expect(a.doneMs).toBeCloseTo(1900, 9);
    expect(b.doneMs).toBeCloseTo(2000, 9);
    expect(probes[0]).toBeCloseTo(550_000, 6);
    expect(probes[1]).toBeCloseTo(450_000, 6);
    expect(probes[2]).toBe(2);
    expect(ta.done && tb!.done).toBe(true);
    expect(ta.loadedBytes()).toBe(1_000_000);
    expect(link.deliveredBytes).toBe(2_000_000);
    expect(link.abortedRemainingBytes).toBe(0);
  });

  it('three transfers of different sizes finish in size order', () => {
    // 3000 kbps; 1, 2 and 3 Mbit at 0. Each gets 1000 kbps: the 1 Mbit one is done at 1000.
    // The others have 1 Mbit each, 1 and 2 Mbit left, at 1500 kbps: 1,000,000 / 1500 = 666.67 ms → 1666.67.
    // The last has 2 Mbit, 1 Mbit left alone at 3000 kbps → 333.33 ms → 2000 (= 6 Mbit / 3000 kbps).
    const { clock, link } = setup(constantTrace(3000), 0);
    const r = [new Recorder('s'), new Recorder('m'), new Recorder('l')];
    r.forEach((x, i) => link.start({ sizeBytes: ((i + 1) * 1_000_000) / 8, listener: x }));
    clock.run();
    expect(r[0]!.doneMs).toBeCloseTo(1000, 9);
    expect(r[1]!.doneMs).toBeCloseTo(1000 + 2000 / 3, 9);
    expect(r[2]!.doneMs).toBeCloseTo(2000, 9);
  });

  it('identical transfers started together finish together, reported in start order', () => {
    // 3 × 100,000 bytes = 2,400,000 bits at 2400 kbps → all done at 1000 ms.
    const { clock, link } = setup(constantTrace(2400), 0);
    const log: string[] = [];
    const rs = ['x', 'y', 'z'].map((n) => {
      const rec = new Recorder(n);
      return { onLinkFirstByte: () => undefined, onLinkDone: (t: LinkTransfer, ms: number) => log.push(`${rec.name}@${ms}`) };
    });
    rs.forEach((l) => link.start({ sizeBytes: 100_000, listener: l }));
    clock.run();
    expect(log).toEqual(['x@1000', 'y@1000', 'z@1000']);
  });

  it('keeps one timer for the whole link and never calls back from start()', () => {
    const { clock, link } = setup(constantTrace(1000), 10);
    const r = new Recorder('r');
    for (let i = 0; i < 5; i++) link.start({ sizeBytes: 1000, latencyMs: 10 + i, listener: r });
    expect(r.log).toEqual([]);
    expect(clock.pending).toBe(1);
    clock.runUntil(12);
    expect(clock.pending).toBe(1);
    clock.run();
    expect(clock.pending).toBe(0);
    expect(link.activeCount).toBe(0);
  });
});

describe('FluidLink: trace shape', () => {
  // 1000 ms at 1000 kbps, then 1000 ms at 4000 kbps (loops every 2000 ms).
  const step = traceFromPeriods({ name: 'step', durationsMs: [1000, 1000], ratesKbps: [1000, 4000] });

  it('a transfer spanning a rate change', () => {
    // 250,000 bytes = 2,000,000 bits. 0–1000 at 1000 kbps: 1,000,000; the rest at 4000: 250 ms → 1250.
    const { clock, link } = setup(step, 0);
    const r = new Recorder('r');
    link.start({ sizeBytes: 250_000, listener: r });
    clock.run();
    expect(r.doneMs).toBe(1250);
  });

  it('two transfers sharing across a rate change', () => {
    // A = 2,000,000 bits at 0; B = 1,000,000 bits (125,000 B) at 500.
    // 0–500: A alone at 1000 → 500,000. 500–1000: 500 kbps each → A 750,000, B 250,000.
    // From 1000: 2000 kbps each. B needs 750,000 / 2000 = 375 ms → B done 1375; A then has 1,500,000.
    // A alone at 4000: 500,000 / 4000 = 125 ms → A done 1500. Check: capacity 0–1500 = 1,000,000 + 2,000,000.
    const { clock, link } = setup(step, 0);
    const a = new Recorder('A');
    const b = new Recorder('B');
    link.start({ sizeBytes: 250_000, listener: a });
    at(clock, 500, () => link.start({ sizeBytes: 125_000, listener: b }));
    clock.run();
    expect(b.doneMs).toBeCloseTo(1375, 9);
    expect(a.doneMs).toBeCloseTo(1500, 9);
  });

  it('a zero-rate gap: progress stops and resumes', () => {
    // 100 ms at 8000, 200 ms at 0, 100 ms at 8000 (loop 400 ms, 1,600,000 bits).
    // 200,000 B = 1,600,000 bits: 800,000 by 100, none 100–300, 800,000 more 300–400 → done at 400.
    // A 10,000 B (80,000 bits) request at 150 waits for 300, then shares: see below.
    const gap = traceFromPeriods({ name: 'gap', durationsMs: [100, 200, 100], ratesKbps: [8000, 0, 8000] });
    const { clock, link } = setup(gap, 0);
    const r = new Recorder('r');
    const t = link.start({ sizeBytes: 200_000, listener: r });
    const seen: number[] = [];
    // At 200 (in the gap): 800,000 bits = 100,000 B. At 350 alone: 800,000 + 50 × 8000 = 1,200,000 bits = 150,000 B.
    at(clock, 200, () => seen.push(t.loadedBytes()));
    at(clock, 350, () => seen.push(t.loadedBytes()));
    clock.run();
    expect(seen).toEqual([100_000, 150_000]);
    expect(r.doneMs).toBe(400);

    // Second run: the big transfer and a small one started at 150 in the gap.
    // From 300 both get 4000 kbps; the small one needs 80,000 / 4000 = 20 ms → done 320.
    // The big one has 800,000 + 20 × 4000 = 880,000 at 320, 720,000 left at 8000 → 90 ms → 410.
    const s2 = setup(gap, 0);
    const big = new Recorder('big');
    const small = new Recorder('small');
    s2.link.start({ sizeBytes: 200_000, listener: big });
    at(s2.clock, 150, () => s2.link.start({ sizeBytes: 10_000, listener: small }));
    s2.clock.run();
    expect(small.doneMs).toBeCloseTo(320, 9);
    // 400 is the loop end: 400–410 is the next loop's first period at 8000 kbps.
    expect(big.doneMs).toBeCloseTo(410, 9);
  });

  it('a trace that loops, and a trace offset', () => {
    // 100 ms at 1000, 100 ms at 4000: 500,000 bits per 200 ms loop. 150,000 B = 1,200,000 bits.
    // Two loops (0–400) give 1,000,000; 400–500 at 1000 gives 100,000; 100,000 at 4000 = 25 ms → 525.
    const loop = traceFromPeriods({ name: 'loop', durationsMs: [100, 100], ratesKbps: [1000, 4000] });
    const { clock, link } = setup(loop, 0);
    const r = new Recorder('r');
    link.start({ sizeBytes: 150_000, listener: r });
    clock.run();
    expect(r.doneMs).toBe(525);

    // Offset 100: clock 0 is trace 100. Trace 100–200 (4000): 400,000; trace 200–400: 500,000 → 900,000;
    // trace 400–500 (1000): 1,000,000; 200,000 at 4000 = 50 ms → trace 550 = clock 450.
    const s2 = setup(loop, 0, 100);
    const r2 = new Recorder('r2');
    s2.link.start({ sizeBytes: 150_000, listener: r2 });
    s2.clock.run();
    expect(r2.doneMs).toBe(450);
  });
});

describe('FluidLink: latency', () => {
  it('a transfer still in its latency phase takes no share', () => {
    // 8000 kbps, link latency 50. A (8,000,000 bits) at 0 → first byte 50. B (same) at 500 → first byte 550.
    // 50–550: A alone, 500 × 8000 = 4,000,000 bits (500,000 B at 550: B's latency did not slow A).
    // From 550: 4000 kbps each. A needs 4,000,000 / 4000 = 1000 ms → 1550; B then has 4,000,000,
    // alone at 8000: 500 ms → 2050.
    const { clock, link } = setup(constantTrace(8000), 50);
    const a = new Recorder('A');
    const b = new Recorder('B');
    const ta = link.start({ sizeBytes: 1_000_000, listener: a });
    let tb: LinkTransfer | undefined;
    at(clock, 500, () => {
      tb = link.start({ sizeBytes: 1_000_000, listener: b });
    });
    const seen: number[] = [];
    at(clock, 40, () => seen.push(ta.loadedBytes()));
    at(clock, 540, () => seen.push(ta.loadedBytes(), tb!.loadedBytes(), link.receivingCount));
    at(clock, 550, () => seen.push(ta.loadedBytes()));
    clock.run();
    // At 40: still in latency → 0. At 540: 490 × 8000 = 3,920,000 bits = 490,000 B; B 0; one receiver.
    expect(seen).toEqual([0, 490_000, 0, 1, 500_000]);
    expect(a.log).toEqual(['A:first@50', 'A:done@1550']);
    expect(b.log).toEqual(['B:first@550', 'B:done@2050']);
  });

  it('per-request latency and extra delay override the link default', () => {
    // Link latency 50; request latency 5 + extra 10 → first byte at 15; 8000 bits at 8000 kbps → +1 ms.
    const { clock, link } = setup(constantTrace(8000), 50);
    const r = new Recorder('r');
    link.start({ sizeBytes: 1000, latencyMs: 5, extraDelayMs: 10, listener: r });
    clock.run();
    expect(r.log).toEqual(['r:first@15', 'r:done@16']);
  });

  it("uses the trace's latency column at request time when no link latency is configured", () => {
    // Latency 20 ms in 0–100, 80 ms in 100–200.
    const tl = traceFromPeriods({ name: 'lat', durationsMs: [100, 100], ratesKbps: [8000, 8000], latenciesMs: [20, 80] });
    const { clock, link } = setup(tl);
    const a = new Recorder('a');
    const b = new Recorder('b');
    link.start({ sizeBytes: 0, listener: a });
    at(clock, 150, () => link.start({ sizeBytes: 0, listener: b }));
    clock.run();
    expect(a.firstByteMs).toBe(20);
    expect(b.firstByteMs).toBe(230);
    expect(link.latencyAtMs(150)).toBe(80);
    // A configured link latency wins over the column.
    expect(setup(tl, 5).link.latencyAtMs(150)).toBe(5);
  });

  it('zero-size transfers complete at their first byte and take no share', () => {
    // Link latency 30. Z (0 B) → first byte and done at 30. A (1,000,000 B) → first byte 30, alone: 1000 ms → 1030.
    const { clock, link } = setup(constantTrace(8000), 30);
    const z = new Recorder('Z');
    const a = new Recorder('A');
    link.start({ sizeBytes: 0, listener: z });
    link.start({ sizeBytes: 1_000_000, listener: a });
    clock.run();
    expect(z.log).toEqual(['Z:first@30', 'Z:done@30']);
    expect(a.doneMs).toBe(1030);
  });
});

describe('FluidLink: abort', () => {
  it('frees the share at once, so the other transfer finishes earlier', () => {
    // 8000 kbps, no latency; A, B = 8,000,000 bits at 0, 4000 kbps each.
    // Abort B at 1000: both have 4,000,000 bits. A alone: 4,000,000 / 8000 = 500 ms → 1500 (not 2000).
    const { clock, link } = setup(constantTrace(8000), 0);
    const a = new Recorder('A');
    const b = new Recorder('B');
    link.start({ sizeBytes: 1_000_000, listener: a });
    const tb = link.start({ sizeBytes: 1_000_000, listener: b });
    at(clock, 1000, () => tb.abort());
    clock.run();
    expect(a.doneMs).toBeCloseTo(1500, 9);
    expect(b.log).toEqual(['B:first@0']);
    expect(tb.aborted).toBe(true);
    expect(tb.loadedBytes()).toBeCloseTo(500_000, 6);
    // Delivered: 1,000,000 (A) + 500,000 (B's part); aborted remainder 500,000; requested 2,000,000.
    expect(link.deliveredBytes).toBeCloseTo(1_500_000, 6);
    expect(link.abortedRemainingBytes).toBeCloseTo(500_000, 6);
    expect(link.requestedBytes).toBe(2_000_000);
  });

  it('during latency: no callbacks, nothing delivered, and twice is harmless', () => {
    const { clock, link } = setup(constantTrace(8000), 100);
    const r = new Recorder('r');
    const t = link.start({ sizeBytes: 5000, listener: r });
    at(clock, 50, () => {
      t.abort();
      t.abort();
    });
    clock.run();
    expect(r.log).toEqual([]);
    expect(link.abortedRemainingBytes).toBe(5000);
    expect(link.deliveredBytes).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('from a listener: aborting a transfer that completes at the same instant silences it', () => {
    // Two transfers of 1000 B = 8000 bits on 16 kbps get 8 kbps each: both finish at 1000 ms, in one batch.
    const { clock, link } = setup(constantTrace(16), 0);
    const log: string[] = [];
    let second: LinkTransfer | undefined;
    const first: LinkListener = {
      onLinkFirstByte: () => undefined,
      onLinkDone: (_t, ms) => {
        log.push(`first@${ms}`);
        second!.abort();
      },
    };
    link.start({ sizeBytes: 1000, listener: first });
    second = link.start({ sizeBytes: 1000, listener: { onLinkFirstByte: () => undefined, onLinkDone: () => log.push('second') } });
    clock.run();
    expect(log).toEqual(['first@1000']);
  });

  it('close() aborts everything and disarms the timer', () => {
    const { clock, link } = setup(constantTrace(8000), 10);
    const r = new Recorder('r');
    link.start({ sizeBytes: 5000, listener: r });
    link.start({ sizeBytes: 5000, latencyMs: 0, listener: r });
    // The second (no latency) receives from 0; 40,000 bits at 8000 kbps would finish at 5, so close at 3.
    clock.runUntil(3);
    link.close();
    expect(clock.pending).toBe(0);
    expect(link.activeCount).toBe(0);
    clock.run();
    expect(r.log).toEqual(['r:first@0']);
  });
});

describe('FluidLink: re-entrancy', () => {
  it('a listener may start the next transfer from onLinkDone; it gets its first byte at the same time', () => {
    // 8000 kbps, no latency, 1000 B = 8000 bits → 1 ms each; three in a row → done at 1, 2, 3.
    const { clock, link } = setup(constantTrace(8000), 0);
    const log: string[] = [];
    let left = 3;
    const chain: LinkListener = {
      onLinkFirstByte: (_t, ms) => log.push(`first@${ms}`),
      onLinkDone: (_t, ms) => {
        log.push(`done@${ms}`);
        if (--left > 0) link.start({ sizeBytes: 1000, listener: chain });
      },
    };
    link.start({ sizeBytes: 1000, listener: chain });
    clock.run();
    expect(log).toEqual(['first@0', 'done@1', 'first@1', 'done@2', 'first@2', 'done@3']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties, against an independent reference: a naive processor-sharing simulator that walks time event by event
// (period boundaries, first bytes, aborts, completions) and updates every transfer's remaining bits directly. It
// shares no code with FluidLink (no virtual time, no timeToDeliver).

interface Job {
  startMs: number;
  sizeBytes: number;
  latencyMs: number;
  /** Abort at this clock time, if any (may be before or after the job would finish). */
  abortMs?: number;
}

/** Done time per job (undefined if aborted first), or null when the walk needs more than `maxSteps` events. */
function referenceDoneTimes(durations: number[], rates: number[], jobs: Job[], maxSteps = 100_000): (number | undefined)[] | null {
  const loop = durations.reduce((a, b) => a + b, 0);
  const rateAt = (t: number): { rate: number; endMs: number } => {
    const k = Math.floor(t / loop);
    let s = k * loop;
    for (let i = 0; i < durations.length; i++) {
      const e = s + durations[i]!;
      if (t < e) return { rate: rates[i]!, endMs: e };
      s = e;
    }
    return { rate: rates[0]!, endMs: s + durations[0]! };
  };
  const n = jobs.length;
  const rem = jobs.map((j) => j.sizeBytes * 8);
  const state = jobs.map(() => 'wait' as 'wait' | 'recv' | 'done' | 'aborted');
  const doneAt: (number | undefined)[] = jobs.map(() => undefined);
  let t = 0;
  for (let step = 0; ; step++) {
    if (step > maxSteps) return null;
    // Events due now: aborts, then first bytes. (When an abort falls exactly on a completion the two models may
    // order them differently; the comparison below allows for that.)
    for (let i = 0; i < n; i++) {
      const j = jobs[i]!;
      if ((state[i] === 'wait' || state[i] === 'recv') && j.abortMs !== undefined && j.abortMs <= t) state[i] = 'aborted';
    }
    for (let i = 0; i < n; i++) {
      const j = jobs[i]!;
      if (state[i] === 'wait' && j.startMs + j.latencyMs <= t) {
        state[i] = 'recv';
        if (rem[i]! <= 0) {
          state[i] = 'done';
          doneAt[i] = t;
        }
      }
    }
    const recv = state.map((s, i) => (s === 'recv' ? i : -1)).filter((i) => i >= 0);
    const pending = state.some((s) => s === 'wait' || s === 'recv');
    if (!pending) break;
    const { rate, endMs } = rateAt(t);
    let next = endMs;
    for (let i = 0; i < n; i++) {
      const j = jobs[i]!;
      if (state[i] === 'wait') next = Math.min(next, j.startMs + j.latencyMs);
      if ((state[i] === 'wait' || state[i] === 'recv') && j.abortMs !== undefined) next = Math.min(next, j.abortMs);
    }
    if (recv.length > 0 && rate > 0) {
      const minRem = Math.min(...recv.map((i) => rem[i]!));
      next = Math.min(next, t + (minRem * recv.length) / rate);
    }
    const share = recv.length > 0 ? (rate * (next - t)) / recv.length : 0;
    for (const i of recv) rem[i] = rem[i]! - share;
    t = next;
    for (const i of recv) {
      if (rem[i]! <= 1e-6 * (jobs[i]!.sizeBytes * 8) + 1e-9) {
        state[i] = 'done';
        doneAt[i] = t;
      }
    }
  }
  return doneAt;
}

const traceArb = fc
  .array(fc.record({ d: fc.integer({ min: 1, max: 300 }), r: fc.integer({ min: 0, max: 10_000 }) }), {
    minLength: 1,
    maxLength: 5,
  })
  .filter((ps) => ps.some((p) => p.r > 0));

const jobArb = fc.record({
  startMs: fc.integer({ min: 0, max: 2000 }),
  sizeBytes: fc.integer({ min: 0, max: 200_000 }),
  latencyMs: fc.integer({ min: 0, max: 100 }),
  abortAfterMs: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
});

interface RunResult {
  doneMs: (number | undefined)[];
  doneOrder: number[];
  link: FluidLink;
  monotoneOk: boolean;
}

/** Schedules each job's start with a clock timer, in `order`, and runs the clock. */
function runLink(trace: Trace, jobs: Job[], order: number[], probeEveryMs = 0): RunResult {
  const clock = new VirtualClock();
  const link = new FluidLink({ clock, trace, latencyMs: 0 });
  const doneMs: (number | undefined)[] = jobs.map(() => undefined);
  const doneOrder: number[] = [];
  const handles: (LinkTransfer | undefined)[] = jobs.map(() => undefined);
  const lastSeen = jobs.map(() => 0);
  let monotoneOk = true;
  for (const i of order) {
    const j = jobs[i]!;
    const listener: LinkListener = {
      onLinkFirstByte: () => undefined,
      onLinkDone: (_t, ms) => {
        doneMs[i] = ms;
        doneOrder.push(i);
      },
    };
    clock.setTimer(j.startMs, () => {
      handles[i] = link.start({ sizeBytes: j.sizeBytes, latencyMs: j.latencyMs, listener });
    });
    if (j.abortMs !== undefined) clock.setTimer(j.abortMs, () => handles[i]!.abort());
  }
  if (probeEveryMs > 0) {
    const probe = (): void => {
      handles.forEach((h, i) => {
        if (h === undefined) return;
        const b = h.loadedBytes();
        if (!(b >= lastSeen[i]! && b <= jobs[i]!.sizeBytes && b >= 0)) monotoneOk = false;
        lastSeen[i] = b;
      });
      if (link.activeCount > 0 || clock.pending > 0) clock.setTimer(clock.nowMs() + probeEveryMs, probe);
    };
    clock.setTimer(0, probe);
  }
  clock.run(10_000_000);
  return { doneMs, doneOrder, link, monotoneOk };
}

const toJobs = (raw: { startMs: number; sizeBytes: number; latencyMs: number; abortAfterMs: number | undefined }[]): Job[] =>
  raw.map((r) => ({
    startMs: r.startMs,
    sizeBytes: r.sizeBytes,
    latencyMs: r.latencyMs,
    ...(r.abortAfterMs !== undefined ? { abortMs: r.startMs + r.abortAfterMs } : {}),
  }));

const buildTrace = (ps: { d: number; r: number }[]): Trace =>
  traceFromPeriods({ name: 'prop', durationsMs: ps.map((p) => p.d), ratesKbps: ps.map((p) => p.r) });

describe('FluidLink: properties', () => {
  it('completion times match a naive processor-sharing reference (no aborts)', () => {
    fc.assert(
      fc.property(traceArb, fc.array(jobArb, { minLength: 1, maxLength: 8 }), (ps, raw) => {
        const jobs = toJobs(raw.map((r) => ({ ...r, abortAfterMs: undefined })));
        const ref = referenceDoneTimes(ps.map((p) => p.d), ps.map((p) => p.r), jobs);
        // Slow traces with 1 ms periods take the naive walk too many steps; those cases say nothing new.
        fc.pre(ref !== null);
        const got = runLink(buildTrace(ps), jobs, jobs.map((_, i) => i)).doneMs;
        got.forEach((g, i) => {
          expect(g).toBeDefined();
          // See the tolerance note in the next property: rounding over thousands of trace loops.
          expect(Math.abs(g! - ref[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, ref[i]!));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('completion times match the reference with random aborts', () => {
    fc.assert(
      fc.property(traceArb, fc.array(jobArb, { minLength: 1, maxLength: 8 }), (ps, raw) => {
        const jobs = toJobs(raw);
        const ref = referenceDoneTimes(ps.map((p) => p.d), ps.map((p) => p.r), jobs);
        fc.pre(ref !== null);
        const got = runLink(buildTrace(ps), jobs, jobs.map((_, i) => i)).doneMs;
        got.forEach((g, i) => {
          const r = ref[i];
          if (g !== undefined && r !== undefined) {
            // 1e-5 relative: on kbps-slow traces a transfer spans thousands of trace loops, and the two models
            // accumulate rounding differently (FC seed 984081374 found 1.5e-6 over 218 s); a sharing bug is far larger.
            expect(Math.abs(g - r)).toBeLessThanOrEqual(1e-5 * Math.max(1, r));
          } else if (g !== r) {
            // Only an abort landing on the completion instant may go either way.
            const abortMs = jobs[i]!.abortMs;
            expect(abortMs).toBeDefined();
            expect(Math.abs(abortMs! - (g ?? r)!)).toBeLessThanOrEqual(1e-5 * Math.max(1, abortMs!));
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('delivered + remaining of aborted = requested, for random starts and aborts', () => {
    fc.assert(
      fc.property(traceArb, fc.array(jobArb, { minLength: 1, maxLength: 10 }), (ps, raw) => {
        const jobs = toJobs(raw);
        const { link, doneMs } = runLink(buildTrace(ps), jobs, jobs.map((_, i) => i));
        const requested = jobs.reduce((s, j) => s + j.sizeBytes, 0);
        expect(link.requestedBytes).toBe(requested);
        expect(link.activeCount).toBe(0);
        expect(link.deliveredBytes + link.abortedRemainingBytes).toBeCloseTo(requested, 3);
        // A job with no abort always completes; an aborted one never completes after its abort.
        jobs.forEach((j, i) => {
          if (j.abortMs === undefined) expect(doneMs[i]).toBeDefined();
          else if (doneMs[i] !== undefined) expect(doneMs[i]!).toBeLessThanOrEqual(j.abortMs);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('same-time starts: times do not depend on scheduling order; ties complete first-in first-out', () => {
    // Few distinct start times and sizes, so same-time starts and exact ties are common.
    const tieJob = fc.record({
      startMs: fc.constantFrom(0, 100, 250),
      sizeBytes: fc.constantFrom(0, 1000, 5000, 20_000),
      latencyMs: fc.constantFrom(0, 50),
      abortAfterMs: fc.constant(undefined),
    });
    fc.assert(
      fc.property(
        traceArb,
        fc.array(tieJob, { minLength: 2, maxLength: 8 }).chain((raw) =>
          fc.tuple(fc.constant(raw), fc.shuffledSubarray(raw.map((_, i) => i), { minLength: raw.length, maxLength: raw.length })),
        ),
        (ps, [raw, perm]) => {
          const jobs = toJobs(raw);
          const trace = buildTrace(ps);
          const a = runLink(trace, jobs, jobs.map((_, i) => i));
          const b = runLink(trace, jobs, perm);
          jobs.forEach((_, i) => {
            expect(Math.abs(a.doneMs[i]! - b.doneMs[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, a.doneMs[i]!));
          });
          // Within each run, jobs completing at the same time are reported in the order they were started.
          for (const [run, order] of [
            [a, jobs.map((_, i) => i)],
            [b, perm],
          ] as const) {
            const startRank = new Map<number, number>();
            // Starts happen by (startMs, scheduling order), FIFO among equal times.
            [...order].sort((x, y) => jobs[x]!.startMs - jobs[y]!.startMs).forEach((i, k) => startRank.set(i, k));
            for (let k = 1; k < run.doneOrder.length; k++) {
              const p = run.doneOrder[k - 1]!;
              const q = run.doneOrder[k]!;
              if (run.doneMs[p] === run.doneMs[q] && jobs[p]!.startMs + jobs[p]!.latencyMs === jobs[q]!.startMs + jobs[q]!.latencyMs) {
                expect(startRank.get(p)!).toBeLessThan(startRank.get(q)!);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('loadedBytes is monotone, never negative and never above the size', () => {
    fc.assert(
      fc.property(traceArb, fc.array(jobArb, { minLength: 1, maxLength: 6 }), (ps, raw) => {
        expect(runLink(buildTrace(ps), toJobs(raw), raw.map((_, i) => i), 7).monotoneOk).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
