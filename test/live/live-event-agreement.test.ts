import { describe, expect, it } from 'vitest';
import { liveEventAgreement } from '../../src/live/live-event-agreement.js';
import { constantTrace } from '../../src/net/trace.js';
import { parseCatalog } from '../../src/origin/catalog.js';

describe('live event: simulator vs live over serve --live (loopback)', () => {
  it('same join segment, latency to the edge within 300 ms, same stalls, bitrate within 5 %', async () => {
    // A 10 s event of 0.5 s segments, joined 7.25 s in with a 1.5 s target: segment floor(5.75 / 0.5) = 11, then
    // played to the end (about 4.5 s of wall time) on a steady 5 Mbit/s link.
    const catalog = parseCatalog({
      name: 'event',
      segmentDurationMs: 500,
      segmentCount: 20,
      sizeVariation: 0,
      representations: [
        { id: 'low', bitrateKbps: 400, width: 640, height: 360 },
        { id: 'high', bitrateKbps: 1600, width: 1280, height: 720 },
      ],
    });
    const row = await liveEventAgreement({
      catalog,
      trace: constantTrace(5000),
      joinAfterMs: 7250,
      publishDelayMs: 250,
      targetLatencyMs: 1500,
      player: { startupBufferMs: 500, resumeBufferMs: 500 },
    });
    expect(row.sim.joinSegment).toBe(11);
    expect(row.live.joinSegment).toBe(11);
    expect(row.live.rebufferCount).toBe(row.sim.rebufferCount);
    expect(Math.abs(row.latencyDiffMs)).toBeLessThan(300);
    expect(row.withinTolerance).toBe(true);
  });
});
