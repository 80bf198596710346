import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';

describe('VirtualClock', () => {
  it('jumps from timer to timer and runs equal-time timers in the order they were set', () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimer(100, () => seen.push(`b@${clock.nowMs()}`));
    clock.setTimer(50, () => {
      seen.push(`a@${clock.nowMs()}`);
      // A timer set from a timer for "now" runs after the ones already due at this time.
      clock.setTimer(100, () => seen.push(`c@${clock.nowMs()}`));
    });
    expect(clock.run()).toBe(3);
    expect(seen).toEqual(['a@50', 'b@100', 'c@100']);
    expect(clock.nowMs()).toBe(100);
  });

  it('cancels timers and clamps timers set in the past to now', () => {
    const clock = new VirtualClock(1000);
    const seen: number[] = [];
    const t = clock.setTimer(2000, () => seen.push(2000));
    clock.setTimer(10, () => seen.push(clock.nowMs()));
    clock.cancel(t);
    clock.cancel(t);
    clock.run();
    expect(seen).toEqual([1000]);
  });

  it('runUntil stops before later timers and advances time to the bound', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    for (const at of [10, 20, 30]) clock.setTimer(at, () => seen.push(at));
    clock.runUntil(20);
    expect(seen).toEqual([10, 20]);
    expect(clock.nowMs()).toBe(20);
    clock.runUntil(25);
    expect(clock.nowMs()).toBe(25);
    expect(clock.pending).toBe(1);
  });

  it('stop() ends run() after the current timer', () => {
    const clock = new VirtualClock();
    let n = 0;
    for (let i = 1; i <= 5; i++) clock.setTimer(i, () => (++n === 2 ? clock.stop() : undefined));
    clock.run();
    expect(n).toBe(2);
  });
});
