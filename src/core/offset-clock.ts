import type { Clock, TimerId } from './clock.js';

/**
 * A session's view of a clock shared by several sessions (src/sim/group.ts): the session that arrives at base
 * time `offsetMs` sees its own time from 0, so its rows, metrics and timeline read as if it ran alone.
 * `nowMs() = base − offset`; a timer at session time t runs at base time t + offset.
 *
 * Exactness: t + offset − offset is not always t in floating point (0.1 + 1000 − 1000 ≠ 0.1). Inside one of its
 * own timers the view therefore reports the session time the timer was set for, exactly, rather than the
 * subtraction; so a session in a group makes the same arithmetic as the same session alone on a VirtualClock.
 * Only when the base clock has moved on without one of this view's timers (another session's event) is the time
 * recomputed as base − offset.
 *
 * Speed: each timer set through the view costs one closure (the plain single-session path never builds a view).
 */
export class OffsetClock implements Clock {
  /** The base time at which `sessionMs` was last set, and the session time it stands for. */
  private baseMs = Number.NaN;
  private sessionMs = 0;

  /**
   * @param base the shared clock (group time)
   * @param offsetMs the base time at which this session's time is 0, ms
   */
  constructor(
    private readonly base: Clock,
    readonly offsetMs: number,
  ) {
    if (!Number.isFinite(offsetMs)) throw new RangeError(`offsetMs must be finite, got ${offsetMs}`);
  }

  nowMs(): number {
    const b = this.base.nowMs();
    if (b !== this.baseMs) {
      this.baseMs = b;
      this.sessionMs = b - this.offsetMs;
    }
    return this.sessionMs;
  }

  setTimer(atMs: number, fn: () => void): TimerId {
    const now = this.nowMs();
    // Clamped here, in session time, as VirtualClock does: the timer then reports exactly `now`.
    const at = atMs < now ? now : atMs;
    return this.base.setTimer(at + this.offsetMs, () => {
      this.baseMs = this.base.nowMs();
      this.sessionMs = at;
      fn();
    });
  }

  cancel(timer: TimerId): void {
    this.base.cancel(timer);
  }
}
