import { afterEach, describe, expect, it } from 'vitest';
import { runLiveSession } from '../../src/live/run-live.js';
import type { FaultSpec } from '../../src/live/server/faults.js';
import { startOrigin, type OriginServer } from '../../src/live/server/origin-server.js';
import { constantTrace } from '../../src/net/trace.js';
import type { TransportErrorKind } from '../../src/player/transport.js';
import { SHORT_PLAYER, shortCatalog } from './helpers.js';

/** The short title with 0.5 s segments: each session takes about 2 s of wall time. */
const fastCatalog = () => shortCatalog(500);

let server: OriginServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const cases: { name: string; fault: FaultSpec; kind: TransportErrorKind }[] = [
  { name: 'returns 503s', fault: { 'http-503': 1 }, kind: 'http-503' },
  { name: 'times out', fault: { timeout: 1 }, kind: 'timeout' },
  { name: 'resets connections', fault: { 'connection-reset': 1 }, kind: 'connection-reset' },
  { name: 'stalls mid-body', fault: { stall: 1 }, kind: 'timeout' },
];

describe('CDN failover in live mode (two ports of serve, the first one broken)', () => {
  for (const c of cases) {
    it(`plays the whole title from the second CDN when the first ${c.name}`, async () => {
      const catalog = fastCatalog();
      server = await startOrigin({ content: { catalog }, trace: constantTrace(20_000), ports: [0, 0], faults: [c.fault, {}] });
      const [primary, backup] = server.urls as [string, string];
      const { result, failovers } = await runLiveSession({
        url: primary + 'manifest.mpd',
        cdnUrls: [backup],
        policy: 'reference',
        // A short timeout so a hanging CDN costs 300 ms, not the reference 10 s; short waits, and a move to the
        // next CDN after the first failure of any kind (the reference waits for 2 timeouts or resets).
        player: { ...SHORT_PLAYER, requestTimeoutMs: 300 },
        retry: { backoffMs: [20], connectionErrorWaitMs: 20, failoverAfterFailures: 1 },
      });
      expect(result.summary.endReason).toBe('finished');
      expect(result.summary.playMs).toBe(2000);
      // The first media request failed on the primary and moved to the backup, which then stayed preferred.
      expect(failovers).toHaveLength(1);
      expect(failovers[0]).toMatchObject({ fromBase: primary, toBase: backup, kind: c.kind });
      expect(server.stats[0]?.mediaRequests).toBe(1);
      expect(server.stats[1]?.mediaRequests).toBe(result.segments.length);
      // The player itself never saw an error: failover happened below it.
      expect(result.segments.every((r) => !r.abandoned)).toBe(true);
    });
  }

  it('with every CDN failing, the request gives up after 3 retries across both CDNs (fatal error, classified)', async () => {
    server = await startOrigin({ content: { catalog: fastCatalog() }, ports: [0, 0], faults: [{ 'http-503': 1 }, { 'http-503': 1 }] });
    const [primary, backup] = server.urls as [string, string];
    const { result, failovers } = await runLiveSession({
      url: primary + 'manifest.mpd',
      cdnUrls: [backup],
      policy: 'reference',
      player: SHORT_PLAYER,
    });
    expect(result.summary.endReason).toBe('fatal-error');
    expect(result.summary.error?.kind).toBe('http-503');
    // Reference §5.1: 503 → the alternate CDN at once; 1 try + 3 retries: primary, backup, primary, backup.
    expect(server.stats[0]?.mediaRequests).toBe(2);
    expect(server.stats[1]?.mediaRequests).toBe(2);
    expect(failovers.map((f) => [f.fromBase, f.toBase])).toEqual([
      [primary, backup],
      [backup, primary],
      [primary, backup],
    ]);
  });
});
