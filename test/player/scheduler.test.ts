import { describe, expect, it } from 'vitest';
import { playerConfig } from '../../src/player/config.js';
import { fetchAheadSegments, mayStartRequest, nextFilling, type ScheduleState } from '../../src/player/scheduler.js';

const config = playerConfig();

const state = (s: Partial<ScheduleState>): ScheduleState => ({
  nowMs: 0,
  bufferMs: 0,
  pendingMs: 0,
  pendingSegments: 0,
  inFlight: 0,
  nextSegmentMs: 4000,
  filling: true,
  lastDoneMs: -Infinity,
  playing: true,
  ...s,
});

describe('reference scheduler (streaming-architecture §2.3)', () => {
  it('fetches 5 / 3 / 1 segments ahead in the < 10 s / 10–20 s / ≥ 20 s bands', () => {
    expect(fetchAheadSegments(config, 0)).toBe(5);
    expect(fetchAheadSegments(config, 9999)).toBe(5);
    expect(fetchAheadSegments(config, 10_000)).toBe(3);
    expect(fetchAheadSegments(config, 19_999)).toBe(3);
    expect(fetchAheadSegments(config, 20_000)).toBe(1);
    expect(fetchAheadSegments(config, 45_000)).toBe(1);
  });

  it('never has more than 3 downloads in flight', () => {
    expect(mayStartRequest(config, state({ inFlight: 2, pendingSegments: 2 }))).toEqual({ start: true });
    expect(mayStartRequest(config, state({ inFlight: 3, pendingSegments: 3 }))).toMatchObject({ start: false, reason: 'parallel' });
  });

  it('in the 10–20 s band stops at 3 pending and wakes when the buffer drains below 10 s', () => {
    // Buffer 14 s while playing: it reaches the 10 s edge after 4000 ms (plus the 1 ns crossing margin).
    const v = mayStartRequest(config, state({ nowMs: 1000, bufferMs: 14_000, pendingMs: 12_000, pendingSegments: 3, inFlight: 2 }));
    expect(v).toMatchObject({ start: false, reason: 'fetch-ahead' });
    expect((v as { wakeAtMs: number }).wakeAtMs).toBeCloseTo(5000, 5);
  });

  it('never lets buffer + pending media pass the 60 s cap', () => {
    // Target raised to 60 s, buffer 50 s + 8 s pending: one more 4 s segment would make 62 s > 60 s.
    const big = playerConfig({ targetBufferMs: 60_000, lowWaterMs: 50_000 });
    const v = mayStartRequest(big, state({ bufferMs: 50_000, pendingMs: 8000, pendingSegments: 0, inFlight: 0 }));
    expect(v).toMatchObject({ start: false, reason: 'cap' });
  });

  it('above 40 s paces downloads at one segment per segment duration', () => {
    const big = playerConfig({ targetBufferMs: 60_000, lowWaterMs: 50_000 });
    // Last download finished at 10,000 ms; at 12,000 ms with 45 s buffered the next may start at 14,000 ms.
    const v = mayStartRequest(big, state({ nowMs: 12_000, bufferMs: 45_000, lastDoneMs: 10_000 }));
    expect(v).toEqual({ start: false, reason: 'pace', wakeAtMs: 14_000 });
    expect(mayStartRequest(big, state({ nowMs: 14_000, bufferMs: 43_000, lastDoneMs: 10_000 }))).toEqual({ start: true });
  });

  it('fills to 30 s, then idles until the buffer falls below 20 s', () => {
    // 22 s + 4 s pending + 4 s next = 30 s: still fills; with 26 s buffered the next segment would pass 30 s.
    expect(nextFilling(config, { filling: true, bufferMs: 22_000, pendingMs: 4000, nextSegmentMs: 4000 })).toBe(true);
    expect(nextFilling(config, { filling: true, bufferMs: 26_000, pendingMs: 4000, nextSegmentMs: 4000 })).toBe(false);
    expect(nextFilling(config, { filling: false, bufferMs: 21_000, pendingMs: 0, nextSegmentMs: 4000 })).toBe(false);
    expect(nextFilling(config, { filling: false, bufferMs: 19_999, pendingMs: 0, nextSegmentMs: 4000 })).toBe(true);
  });
});
