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
        // A short timeout so a hanging CDN costs 300 ms, not the reference 10 s.
        player: { ...SHORT_PLAYER, requestTimeoutMs: 300 },
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

  it('with every CDN failing, the player retries with back-off and then gives up (fatal error)', async () => {
    server = await startOrigin({ content: { catalog: fastCatalog() }, ports: [0, 0], faults: [{ 'http-503': 1 }, { 'http-503': 1 }] });
    const [primary, backup] = server.urls as [string, string];
    const { result, failovers } = await runLiveSession({
      url: primary + 'manifest.mpd',
      cdnUrls: [backup],
      policy: 'reference',
      player: { ...SHORT_PLAYER, retryDelaysMs: [20, 20] },
    });
    expect(result.summary.endReason).toBe('fatal-error');
    // 1 try + 2 retries, each on both CDNs.
    expect((server.stats[0]?.mediaRequests ?? 0) + (server.stats[1]?.mediaRequests ?? 0)).toBe(6);
    expect(failovers).toHaveLength(3);
  });
});
