import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { TelemetryBatcher, type TelemetryBatch } from '../../src/player/telemetry.js';

describe('TelemetryBatcher', () => {
  it('sends batches on the 30 s grid, only when something is pending, and a final batch on close', () => {
    const clock = new VirtualClock();
    const sent: TelemetryBatch[] = [];
    const t = new TelemetryBatcher({ clock, session: 's1', send: (b) => sent.push(b) });
    clock.setTimer(1000, () => t.emit({ type: 'seek', atMs: 1000, fromMs: 0, toMs: 60_000, latencyMs: 300 }));
    clock.setTimer(29_999, () => t.emit({ type: 'rebuffer', atMs: 29_999, durationMs: 500, segmentIndex: 3 }));
    clock.setTimer(30_001, () => t.emit({ type: 'error', atMs: 30_001, kind: 'timeout', fatal: false, message: 'retrying' }));
    // Nothing between 30 s and 95 s: no batch at 60 s or 90 s.
    clock.setTimer(95_000, () => t.emit({ type: 'end', atMs: 95_000, reason: 'finished' }));
    clock.setTimer(95_000, () => t.close());
    clock.run();
    expect(sent.map((b) => [b.seq, b.sentAtMs, b.events.map((e) => e.type)])).toEqual([
      [0, 30_000, ['seek', 'rebuffer']],
      [1, 60_000, ['error']],
      [2, 95_000, ['end']],
    ]);
    expect(clock.pending).toBe(0);
    t.emit({ type: 'end', atMs: 96_000, reason: 'late' });
    t.flush();
    expect(sent).toHaveLength(3);
  });
});
