import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { OffsetClock } from '../../src/core/offset-clock.js';

describe('OffsetClock', () => {
  it('sees the shared clock shifted by its start: session time 0 is base time offset', () => {
    const base = new VirtualClock();
    const view = new OffsetClock(base, 1000);
    const seen: string[] = [];
    // Session time 250 → base time 1250; session time 0 → base 1000.
    view.setTimer(250, () => seen.push(`view ${view.nowMs()} base ${base.nowMs()}`));
    view.setTimer(0, () => seen.push(`view ${view.nowMs()} base ${base.nowMs()}`));
    base.setTimer(1100, () => seen.push(`base timer: view ${view.nowMs()}`));
    base.run();
    expect(seen).toEqual(['view 0 base 1000', 'base timer: view 100', 'view 250 base 1250']);
  });

  it('two views of one clock interleave by base time; equal base times run in the order set', () => {
    const base = new VirtualClock();
    const a = new OffsetClock(base, 0);
    const b = new OffsetClock(base, 1000);
    const seen: string[] = [];
    a.setTimer(1500, () => seen.push(`a@${a.nowMs()}`)); // base 1500
    b.setTimer(200, () => seen.push(`b@${b.nowMs()}`)); // base 1200
    b.setTimer(500, () => seen.push(`b@${b.nowMs()}`)); // base 1500, set after a's
    base.run();
    expect(seen).toEqual(['b@200', 'a@1500', 'b@500']);
  });

  it('clamps a timer in the session\'s past to its now, and cancels through the base', () => {
    const base = new VirtualClock();
    const view = new OffsetClock(base, 400);
    const seen: number[] = [];
    view.setTimer(100, () => {
      // At session time 100 a timer for session time 20 runs now (100), not at base 420.
      view.setTimer(20, () => seen.push(view.nowMs()));
      const t = view.setTimer(900, () => seen.push(-1));
      view.cancel(t);
    });
    base.run();
    expect(seen).toEqual([100]);
    expect(base.nowMs()).toBe(500);
  });

  it('reports exactly the session time a timer was set for, where base − offset would round', () => {
    // 0.1 + 1000 − 1000 = 0.10000000000002274 in doubles; the session asked for 0.1 and must see 0.1.
    expect(0.1 + 1000 - 1000).not.toBe(0.1);
    const base = new VirtualClock();
    const view = new OffsetClock(base, 1000);
    let seen = Number.NaN;
    view.setTimer(0.1, () => (seen = view.nowMs()));
    base.run();
    expect(seen).toBe(0.1);
  });

  it('rejects a non-finite offset', () => {
    expect(() => new OffsetClock(new VirtualClock(), Number.NaN)).toThrow(RangeError);
  });
});
