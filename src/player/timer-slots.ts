/**
 * The player's named timers on the session `Clock`: at most one of each kind is pending. Fields rather than a map
 * and a switch rather than a computed key: `cancel` runs several times per segment (hot path, no allocation).
 */
import type { Clock, TimerId } from '../core/clock.js';

export type TimerSlot = 'wake' | 'play' | 'poll' | 'delay' | 'guard';

export class TimerSlots {
  /** The scheduler's next look at whether a request may start. */
  wake: TimerId | undefined;
  /** The buffer runs dry, or the title / the user's watch time ends. */
  play: TimerId | undefined;
  /** The next abandonment poll. */
  poll: TimerId | undefined;
  /** A delay the policy asked for, or a retry back-off. */
  delay: TimerId | undefined;
  /** The session-time guard. */
  guard: TimerId | undefined;

  constructor(private readonly clock: Clock) {}

  cancel(which: TimerSlot): void {
    switch (which) {
      case 'wake':
        if (this.wake !== undefined) this.clock.cancel(this.wake);
        this.wake = undefined;
        return;
      case 'play':
        if (this.play !== undefined) this.clock.cancel(this.play);
        this.play = undefined;
        return;
      case 'poll':
        if (this.poll !== undefined) this.clock.cancel(this.poll);
        this.poll = undefined;
        return;
      case 'delay':
        if (this.delay !== undefined) this.clock.cancel(this.delay);
        this.delay = undefined;
        return;
      case 'guard':
        if (this.guard !== undefined) this.clock.cancel(this.guard);
        this.guard = undefined;
        return;
    }
  }

  cancelAll(): void {
    this.cancel('wake');
    this.cancel('play');
    this.cancel('poll');
    this.cancel('delay');
    this.cancel('guard');
  }
}
