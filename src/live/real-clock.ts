import { performance } from 'node:perf_hooks';
import type { Clock, TimerId } from '../core/clock.js';
import { EventQueue } from '../core/event-queue.js';

/**
 * The real-time `Clock` of live mode: `nowMs()` is the wall time elapsed since construction (monotonic:
 * `performance.now()`, never the adjustable calendar clock). This module is the only place in abrlab that reads
 * wall time; the HTTP transport and the origin server take their time from a `RealClock` too.
 *
 * Timers live in the same (time, insertion order) queue as the virtual clock's, and one Node timer is armed for
 * the earliest, so timers due at the same instant run in the order they were set, as `Clock` promises (Node's
 * own timers only keep that order for equal delays, not equal due times).
 */
export class RealClock implements Clock {
  private readonly originMs: number;
  private readonly queue = new EventQueue<() => void>();
  private armed: NodeJS.Timeout | undefined;
  private armedAtMs = Infinity;
  private closed = false;

  constructor() {
    this.originMs = performance.now();
  }

  nowMs(): number {
    return performance.now() - this.originMs;
  }

  setTimer(atMs: number, fn: () => void): TimerId {
    const id = this.queue.push(atMs, fn);
    if (atMs < this.armedAtMs) this.arm();
    return id;
  }

  cancel(timer: TimerId): void {
    this.queue.cancel(timer);
    if (this.queue.size === 0) this.disarm();
  }

  /** Pending timers. */
  get pending(): number {
    return this.queue.size;
  }

  /** Drops every pending timer and stops arming new Node timers: nothing keeps the process alive after this. */
  close(): void {
    this.closed = true;
    this.disarm();
    while (this.queue.pop() !== undefined) {
      // drain: the callbacks are dropped, not run
    }
  }

  private arm(): void {
    this.disarm();
    if (this.closed) return;
    const next = this.queue.peekTimeMs();
    if (next === Infinity) return;
    this.armedAtMs = next;
    this.armed = setTimeout(this.fire, Math.max(0, next - this.nowMs()));
  }

  private disarm(): void {
    if (this.armed !== undefined) clearTimeout(this.armed);
    this.armed = undefined;
    this.armedAtMs = Infinity;
  }

  private readonly fire = (): void => {
    this.armed = undefined;
    this.armedAtMs = Infinity;
    // Run everything due now (in queue order); a timer set for "now" by a callback runs in this same pass.
    // Node may wake a hair early (it rounds to whole ms), so due means within half a millisecond.
    for (;;) {
      if (this.closed) return;
      const t = this.queue.peekTimeMs();
      if (t === Infinity || t > this.nowMs() + 0.5) break;
      const next = this.queue.pop();
      next?.item();
    }
    this.arm();
  };
}
