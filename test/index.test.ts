import { describe, expect, it } from 'vitest';
import { parseCatalog, simulateSession, traceFromPeriods } from '../src/index.js';

describe('library entry point (the README example)', () => {
  it('simulates a session from objects built in code', () => {
    const trace = traceFromPeriods({ name: 'dip', durationsMs: [30_000, 10_000, 60_000], ratesKbps: [6000, 500, 6000] });
    const catalog = parseCatalog({
      segmentDurationMs: 4000,
      durationMs: 120_000,
      representations: [
        { id: '360p', bitrateKbps: 600, width: 640, height: 360 },
        { id: '720p', bitrateKbps: 2000, width: 1280, height: 720 },
      ],
    });
    const result = simulateSession({ trace, catalog, policy: 'reference' });
    expect(result.summary.playMs).toBe(120_000);
    expect(result.summary.qoe.reference).toBeGreaterThan(0);
    expect(result.summary.qoe.reference).toBeLessThanOrEqual(100);
    // 30 segments of 4 s; each is fetched once (no abandonment in the reference policy).
    expect(result.segments.filter((s) => !s.abandoned)).toHaveLength(30);
  });
});
