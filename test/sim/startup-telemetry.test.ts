import { describe, expect, it } from 'vitest';
import { constantTrace } from '../../src/net/trace.js';
import { simulateSession } from '../../src/sim/simulate.js';
import { cbrCatalog, fixedPolicy } from '../helpers/fakes.js';

// 1000 kbps, 4 s segments = 500,000 B; at 100 Mbps (12,500 B/ms) with no latency one takes 40 ms. The startup
// buffer (4 s) is one segment.
const catalog = cbrCatalog({ ratesKbps: [1000], segments: 10, heights: [1080] });
const trace = constantTrace(100_000);
const fixed = {
  authMs: { minMs: 80, maxMs: 80 },
  playbackApiMs: { minMs: 150, maxMs: 150 },
  manifestMs: { minMs: 70, maxMs: 70 },
  licenceMs: { minMs: 150, maxMs: 150 },
  bookmarkMs: { minMs: 30, maxMs: 30 },
};
const base = { trace, catalog, policy: fixedPolicy(0), latencyMs: 0, seed: 1 } as const;

describe('startup flow in a simulated session', () => {
  it('without it the first frame is at 40 ms; parallel: segment at 150 ms, ready at 190, played when licensed at 230', () => {
    expect(simulateSession(base).summary.startupMs).toBe(40);
    const r = simulateSession({ ...base, startupFlow: { ...fixed, mode: 'parallel' } });
    expect(r.summary.startupMs).toBe(230);
    expect(r.segments[0]).toMatchObject({ requestMs: 150, doneMs: 190 });
    expect(r.startupSteps?.steps['licence']).toEqual({ startMs: 80, endMs: 230 });
  });

  it('sequential: all five steps first (480 ms), then the segment: 520 ms', () => {
    const r = simulateSession({ ...base, startupFlow: { ...fixed, mode: 'sequential' } });
    expect(r.summary.startupMs).toBe(520);
  });

  it('a device limit ends the session with the DRM code; HDCP caps the quality at 480p', () => {
    const limit = simulateSession({ ...base, startupFlow: fixed, delivery: { faults: [{ kind: 'licence-error', error: 'DEVICE_LIMIT_EXCEEDED', rate: 1 }] } });
    expect(limit.summary.endReason).toBe('fatal-error');
    expect(limit.summary.error?.kind).toBe('DEVICE_LIMIT_EXCEEDED');
    expect(limit.summary.playMs).toBe(0);
    const twoRungs = cbrCatalog({ ratesKbps: [500, 3000], segments: 5, heights: [480, 1080] });
    const hdcp = simulateSession({ ...base, catalog: twoRungs, policy: fixedPolicy(1), startupFlow: fixed, delivery: { faults: [{ kind: 'licence-error', error: 'HDCP_ERROR', rate: 1 }] } });
    expect(hdcp.summary.endReason).toBe('finished');
    // The fixed policy asks for 1080p throughout; after the HDCP failure (230 ms) the player plays 480p.
    expect(hdcp.segments.filter((s) => s.requestMs >= 230).every((s) => s.repIndex === 0)).toBe(true);
  });
});

describe('telemetry in a simulated session', () => {
  it('batches startup, quality changes with reasons, rebuffers and the end every 30 s', () => {
    // 60 s at 8 Mbps, then 200 kbps: the reference player climbs, then must drop and stalls.
    const catalog2 = cbrCatalog({ ratesKbps: [300, 1000, 3000], segments: 30 });
    const r = simulateSession({ trace: constantTrace(8000), catalog: catalog2, policy: 'reference', seed: 1, telemetry: true });
    const batches = r.telemetry ?? [];
    expect(batches.length).toBeGreaterThan(1);
    // Every batch but the last leaves on the 30 s grid; seq counts up from 0.
    batches.slice(0, -1).forEach((b, i) => {
      expect(b.seq).toBe(i);
      expect(b.sentAtMs % 30_000).toBe(0);
    });
    const events = batches.flatMap((b) => b.events);
    expect(events[0]).toMatchObject({ type: 'startup', ttffMs: r.summary.startupMs });
    const changes = events.filter((e) => e['type'] === 'quality-change');
    expect(changes.length).toBe(r.summary.switchCount > 0 ? changes.length : 0);
    expect(changes.every((e) => typeof e['reason'] === 'string' && (e['reason'] as string).length > 0)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'finished' });
  });
});
