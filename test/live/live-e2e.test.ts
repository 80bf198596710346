import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLiveSession } from '../../src/live/run-live.js';
import { startOrigin, type OriginServer } from '../../src/live/server/origin-server.js';
import { constantTrace } from '../../src/net/trace.js';
import { runCli } from '../helpers/cli.js';
import { SHORT_PLAYER, shortCatalog } from './helpers.js';

let server: OriginServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('abrlab live against abrlab serve (loopback)', () => {
  for (const manifest of ['manifest.mpd', 'master.m3u8']) {
    it(`plays ${manifest} to the end: every segment once, bytes as served`, async () => {
      const catalog = shortCatalog();
      const trace = constantTrace(20_000);
      server = await startOrigin({ content: { catalog }, trace, latencyMs: 10 });
      const { result, title } = await runLiveSession({ url: (server.urls[0] as string) + manifest, policy: 'reference', player: SHORT_PLAYER, trace });
      expect(title.kind).toBe(manifest.endsWith('.mpd') ? 'dash' : 'hls');
      expect(title.catalog.segmentCount).toBe(4);
      expect(title.catalog.representations.map((r) => r.bitrateKbps)).toEqual([400, 1600]);
      expect(result.profile).toBe('live');
      expect(result.summary.endReason).toBe('finished');
      expect(result.summary.playMs).toBe(4000);
      const rows = result.segments.filter((r) => !r.abandoned);
      expect(rows.map((r) => r.index).sort()).toEqual([0, 1, 2, 3]);
      // Each body is exactly the catalog's size of the chosen rung (what serve generated), and all of it arrived.
      for (const r of rows) expect(r.sizeBytes).toBe(catalog.sizesBytes[r.repIndex]?.[r.index]);
      expect(server.stats[0]?.bodyBytes).toBe(result.summary.bytes);
      // 20 Mbit/s for at most 4 × 218 kB: no stall; startup is one segment's latency + transfer, well under 1 s.
      expect(result.summary.rebufferCount).toBe(0);
      expect(result.summary.startupMs).toBeGreaterThan(10);
      expect(result.summary.startupMs).toBeLessThan(1000);
    });
  }

  it('the CLI writes results.jsonl, summary.json, timelines.jsonl and the report; --save keeps the bodies', async () => {
    server = await startOrigin({ content: { catalog: shortCatalog() }, trace: constantTrace(20_000) });
    const out = mkdtempSync(join(tmpdir(), 'abrlab-live-'));
    const save = join(out, 'saved');
    const url = (server.urls[0] as string) + 'manifest.mpd';
    const r = await runCli(['live', url, '--out', out, '--save', save, '--set', 'startupBufferMs=1000', '--duration', '2', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const row = JSON.parse(lines[0] as string) as { profile: string; summary: { playMs: number; endReason: string } };
    expect(row.profile).toBe('live');
    // --duration 2: the user leaves after 2 s of media.
    expect(row.summary.playMs).toBe(2000);
    expect(row.summary.endReason).toBe('user-exit');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ kind: 'live', sessions: 1, scenario: 'live-manifest', seed: '1' });
    expect(typeof summary.abrlab).toBe('string');
    expect(String(summary.command)).toContain(`abrlab live ${url}`);
    expect(readFileSync(join(out, 'timelines.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    // Telemetry in the simulator's schema: the session starts, then the user leaves (a 2 s session: one batch).
    const batches = readFileSync(join(out, 'telemetry.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; events: { type: string; reason?: string }[] });
    const events = batches.flatMap((b) => b.events);
    expect(batches[0]?.seq).toBe(0);
    expect(events[0]?.type).toBe('startup');
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'user-exit' });
    const host = new URL(url).host.replace(/[^A-Za-z0-9.-]/g, '_');
    expect(existsSync(join(save, host, 'v'))).toBe(true);
  });

  it('a URL that is not http(s) is a user mistake (exit 2)', async () => {
    const r = await runCli(['live', 'file:///etc/passwd', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/only http and https/);
  });
});
