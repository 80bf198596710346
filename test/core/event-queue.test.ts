import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/core/event-queue.js';

describe('EventQueue', () => {
  it('pops by time, and equal times in insertion order', () => {
    const q = new EventQueue<string>();
    q.push(20, 'c');
    q.push(10, 'a');
    q.push(20, 'd');
    q.push(10, 'b');
    q.push(5, 'first');
    const order: string[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) order.push(e.item);
    expect(order).toEqual(['first', 'a', 'b', 'c', 'd']);
  });

  it('cancels in O(1) and skips cancelled events; cancelling twice or after popping is a no-op', () => {
    const q = new EventQueue<string>();
    const a = q.push(1, 'a');
    const b = q.push(2, 'b');
    q.push(3, 'c');
    expect(q.cancel(b)).toBe(true);
    expect(q.cancel(b)).toBe(false);
    expect(q.size).toBe(2);
    expect(q.pop()?.item).toBe('a');
    expect(q.cancel(a)).toBe(false);
    expect(q.peekTimeMs()).toBe(3);
    expect(q.pop()?.item).toBe('c');
    expect(q.pop()).toBeUndefined();
    expect(q.peekTimeMs()).toBe(Infinity);
  });

  it('rejects non-finite times', () => {
    expect(() => new EventQueue<number>().push(NaN, 1)).toThrow(RangeError);
  });

  it('matches a stable sort of (time, insertion) for any pushes and cancels (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 300 }), (ops) => {
        const q = new EventQueue<number>();
        const kept: { t: number; i: number }[] = [];
        ops.forEach(([t, cancel], i) => {
          const h = q.push(t, i);
          if (cancel) q.cancel(h);
          else kept.push({ t, i });
        });
        const expected = [...kept].sort((x, y) => x.t - y.t || x.i - y.i).map((x) => x.i);
        const got: number[] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) got.push(e.item);
        expect(got).toEqual(expected);
        expect(q.size).toBe(0);
      }),
    );
  });
});
