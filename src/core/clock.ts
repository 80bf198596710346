import { EventQueue } from './event-queue.js';

/** Opaque timer handle. */
export type TimerId = number;

/**
 * The only view of time that player and ABR code get (DESIGN.md, "One player, two drivers"). The simulator
 * drives it virtually; live mode drives it with the real clock.
 */
export interface Clock {
  /** Current time in ms since the session started. */
  nowMs(): number;
  /** Runs `fn` at `atMs` (clamped to now if in the past). Timers at the same time run in the order set. */
  setTimer(atMs: number, fn: () => void): TimerId;
  /** Cancels a pending timer; a no-op if it already ran or was cancelled. */
  cancel(timer: TimerId): void;
}

/**
 * Discrete-event clock: time jumps from one timer to the next. `run()` processes timers until none remain,
 * `runUntil(ms)` stops before the first timer later than `ms`.
 */
export class VirtualClock implements Clock {
  private now = 0;
  private readonly queue = new EventQueue<() => void>();
  private stopped = false;

  constructor(startMs = 0) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  setTimer(atMs: number, fn: () => void): TimerId {
    return this.queue.push(atMs < this.now ? this.now : atMs, fn);
  }

  cancel(timer: TimerId): void {
    this.queue.cancel(timer);
  }

  /** Number of pending timers. */
  get pending(): number {
    return this.queue.size;
  }

  /** Runs the earliest timer; returns false when there is none. */
  step(): boolean {
    const next = this.queue.pop();
    if (next === undefined) return false;
    this.now = next.timeMs;
    next.item();
    return true;
  }

  /** Runs timers until none remain, `stop()` is called, or `maxEvents` have run (a guard against loops). */
  run(maxEvents = Number.MAX_SAFE_INTEGER): number {
    this.stopped = false;
    let n = 0;
    while (!this.stopped && n < maxEvents && this.step()) n++;
    return n;
  }

  /** Runs every timer due at or before `untilMs`, then sets the time to `untilMs`. */
  runUntil(untilMs: number): void {
    this.stopped = false;
    while (!this.stopped && this.queue.peekTimeMs() <= untilMs) this.step();
    if (!this.stopped && untilMs > this.now) this.now = untilMs;
  }

  /** Makes `run` / `runUntil` return after the current timer. */
  stop(): void {
    this.stopped = true;
  }
}
