import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLiveSession } from '../../src/live/run-live.js';
import { startOrigin, type OriginServer } from '../../src/live/server/origin-server.js';
import { parseCatalog, type Catalog } from '../../src/origin/catalog.js';
import { traceFromPeriods } from '../../src/net/trace.js';
import { startServeFromFlags } from '../../src/cli/serve.js';
import { isoDurationMs, expandTemplate, readDashLive } from '../../src/live/manifest/dash-live.js';
import { checkWellFormedXml } from '../../src/live/manifest/mpd.js';
import { runCli } from '../helpers/cli.js';

/** A 60 s event of 0.5 s segments on a two-rung ladder. */
function eventCatalog(segmentCount = 120): Catalog {
  return parseCatalog({
    name: 'event',
    segmentDurationMs: 500,
    segmentCount,
    representations: [
      { id: 'low', bitrateKbps: 400, width: 640, height: 360 },
      { id: 'high', bitrateKbps: 1600, width: 1280, height: 720 },
    ],
  });
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
}

let server: OriginServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('abrlab serve --live: the event as published', () => {
  it('a dynamic MPD whose availabilityStartTime carries the publishing delay, ProducerReferenceTime the encoder start', async () => {
    const startEpochMs = Date.parse('2026-01-01T00:00:00.000Z');
    server = await startOrigin({ content: { catalog: eventCatalog(), live: { publishDelayMs: 250, dvrWindowMs: 30_000, startEpochMs } } });
    const { text } = await get(server.urls[0] + 'manifest.mpd');
    expect(text).toContain('type="dynamic"');
    // Segment k is published at start + (k+1)·0.5 s + 0.25 s = AST + (k+1)·0.5 s with AST = start + 0.25 s.
    expect(text).toContain('availabilityStartTime="2026-01-01T00:00:00.250Z"');
    expect(text).toContain('<ProducerReferenceTime id="0" type="encoder" wallClockTime="2026-01-01T00:00:00.000Z" presentationTime="0"/>');
    expect(text).toContain('timeShiftBufferDepth="PT30S"');
    expect(text).toContain('minimumUpdatePeriod="PT0.5S"');
    expect(text).toContain('mediaPresentationDuration="PT60S"');
    expect(text).toContain('media="v/$RepresentationID$/$Number$.m4s" startNumber="1" timescale="1000" duration="500"');
    expect(text).not.toContain('#EXT-X-ENDLIST');
  });

  it('publishes a segment only after its end + the delay (404 before), and slides the HLS window', async () => {
    // The encoder started 10.3 s ago: media up to 10.3 s exists; with a 0.25 s delay, segments whose end is at
    // or before 10.05 s are published: index 0..19 (segment 19 ends at 10.0 s). DVR 3 s: media from 7.3 s, so the
    // window starts at the first whole segment after it, index 15 (7.5 s).
    const startEpochMs = Math.ceil(Date.now()) - 10_300;
    server = await startOrigin({ content: { catalog: eventCatalog(), live: { publishDelayMs: 250, dvrWindowMs: 3000, startEpochMs } } });
    const base = server.urls[0] as string;
    // $Number$ starts at 1: index 19 is 20.m4s.
    expect((await get(base + 'v/low/20.m4s')).status).toBe(200);
    expect((await get(base + 'v/high/22.m4s')).status).toBe(404);
    expect(server.stats[0]?.notYetPublished).toBe(1);
    const playlist = (await get(base + 'v/low/index.m3u8')).text;
    expect(playlist).toContain('#EXT-X-MEDIA-SEQUENCE:15\n');
    expect(playlist).toContain(`#EXT-X-PROGRAM-DATE-TIME:${new Date(startEpochMs + 7500).toISOString()}`);
    const uris = playlist.split('\n').filter((l) => l.endsWith('.ts'));
    expect(uris).toEqual(['16.ts', '17.ts', '18.ts', '19.ts', '20.ts']);
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    // Older than the DVR window: gone.
    expect((await get(base + 'v/low/3.m4s')).status).toBe(404);
  });

  it('the event ends after the title (no loop): ENDLIST once the last segment is published', async () => {
    server = await startOrigin({ content: { catalog: eventCatalog(8), live: { publishDelayMs: 250, dvrWindowMs: 60_000, startEpochMs: Math.ceil(Date.now()) - 20_000 } } });
    const playlist = (await get(server.urls[0] + 'v/high/index.m3u8')).text;
    expect(playlist.split('\n').filter((l) => l.endsWith('.ts'))).toHaveLength(8);
    expect(playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect((await get(server.urls[0] + 'v/high/9.m4s')).status).toBe(404);
  });

  it('--live needs --catalog; --publish-delay needs --live (exit 2)', async () => {
    const r = await runCli(['serve', '--content', '.', '--live', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--live serves a catalog/);
    await expect(startServeFromFlags({ port: 0, faults: [], shape: 'link', seed: '1', catalog: 'x.json', publishDelay: 1 })).rejects.toThrow(/add --live/);
  });
});

describe('dynamic MPD arithmetic', () => {
  it('ISO 8601 durations and SegmentTemplate identifiers', () => {
    expect(isoDurationMs('PT2S')).toBe(2000);
    expect(isoDurationMs('PT0.5S')).toBe(500);
    expect(isoDurationMs('PT4H')).toBe(14_400_000);
    expect(isoDurationMs('P1DT1M')).toBe(86_460_000);
    expect(isoDurationMs('2S')).toBeUndefined();
    expect(expandTemplate('v/$RepresentationID$/$Number%05d$-$Bandwidth$$$.m4s', { id: 'hi', number: 42, bandwidth: 800000 })).toBe('v/hi/00042-800000$.m4s');
  });

  it('a third-party style live MPD: no ProducerReferenceTime, Period@start, startNumber, timescale, open end', () => {
    const text = `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" availabilityStartTime="2026-01-01T00:00:00Z" minimumUpdatePeriod="PT10S" timeShiftBufferDepth="PT1M" profiles="urn:mpeg:dash:profile:isoff-live:2011">
  <Period id="p0" start="PT10S">
    <AdaptationSet mimeType="video/mp4" codecs="avc1.4d401f">
      <SegmentTemplate timescale="90000" duration="360000" startNumber="100" media="$RepresentationID$/seg-$Number%06d$.m4s" initialization="$RepresentationID$/init.mp4"/>
      <Representation id="v1" bandwidth="500000" width="640" height="360"/>
      <Representation id="v2" bandwidth="2000000" width="1280" height="720"/>
    </AdaptationSet>
    <AdaptationSet mimeType="audio/mp4"><Representation id="a" bandwidth="64000"/></AdaptationSet>
  </Period>
</MPD>`;
    const read = readDashLive(checkWellFormedXml(text, 'http://h/live/m.mpd'), 'http://h/live/m.mpd');
    expect(read).toBeDefined();
    if (read === undefined) return;
    // 360000 / 90000 = 4 s segments; media 0 at AST + Period@start; no PRT: no publishing delay beyond the template's.
    expect(read.info).toMatchObject({ encoderStartEpochMs: Date.parse('2026-01-01T00:00:10Z'), publishDelayMs: 0, segmentDurationMs: 4000, dvrWindowMs: 60_000, minimumUpdatePeriodMs: 10_000 });
    expect(read.info.durationMs).toBeUndefined();
    const [v1, v2] = read.renditions(3);
    expect(v1?.segments.map((x) => x.url)).toEqual(['http://h/live/v1/seg-000100.m4s', 'http://h/live/v1/seg-000101.m4s', 'http://h/live/v1/seg-000102.m4s']);
    expect(v2?.init?.url).toBe('http://h/live/v2/init.mp4');
    expect(v2?.bitrateKbps).toBe(2000);
    expect(v1?.codecs).toBe('avc1.4d401f');
  });
});

describe('abrlab live at the edge of abrlab serve --live (loopback)', () => {
  it('DASH: joins at edge − target latency, never asks early, latency stays near the target', async () => {
    // The event began 10.25 s before the client joins (+ the manifest's load, tens of ms on loopback). Target
    // 1.5 s: the join point is media 10.25 − 1.5 = 8.75 s, in segment floor(8.75 / 0.5) = 17 (the edge segment,
    // published by then, is floor((10.25 − 0.25) / 0.5) − 1 = 19). Up to 250 ms of lateness keeps it 17.
    const startEpochMs = Math.ceil(Date.now()) - 10_250;
    server = await startOrigin({ content: { catalog: eventCatalog(), live: { publishDelayMs: 250, dvrWindowMs: 30_000, startEpochMs } } });
    const out = await runLiveSession({
      url: server.urls[0] + 'manifest.mpd',
      policy: 'reference',
      player: { startupBufferMs: 500, resumeBufferMs: 500 },
      watchMs: 3000,
      live: { targetLatencyMs: 1500 },
    });
    const live = out.live;
    expect(live).toBeDefined();
    if (live === undefined) return;
    expect(out.title.dynamic).toBe(true);
    expect(out.title.live?.publishDelayMs).toBe(250);
    // 17; 18 only if loading took over 250 ms (a loaded machine).
    expect([17, 18]).toContain(live.joinSegment);
    // Joining segment 17 at media 10.25 s + load time: latency 1.75 s plus the time to the first frame, then
    // constant while nothing stalls (the player does not catch up). Whatever the join, it is within a segment
    // (0.5 s) above the target, plus the startup.
    expect(live.latency.meanMs).toBeGreaterThanOrEqual(1500);
    expect(live.latency.meanMs).toBeLessThan(1500 + 500 + 300);
    expect(live.latency.p95Ms - live.latency.meanMs).toBeLessThan(100);
    expect(live.latency.samples.length).toBeGreaterThanOrEqual(6); // every 0.5 s over 3 s of play
    expect(live.rebufferCount).toBe(0);
    // Never a 404: no request before publication, on either side, and no retries.
    expect(live.earlyRequests).toBe(0);
    expect(server.stats[0]?.notYetPublished).toBe(0);
    expect(out.result.delivery?.retries).toBe(0);
    // 3 s from the join: segments 17..22 play; the player fetches on (as published) until the viewer leaves.
    expect(out.result.summary.endReason).toBe('user-exit');
    expect(out.result.summary.playMs).toBe(3000);
    const fetched = out.result.segments.filter((r) => !r.abandoned).map((r) => r.index).sort((a, b) => a - b);
    const j = live.joinSegment;
    expect(fetched.slice(0, 6)).toEqual([j, j + 1, j + 2, j + 3, j + 4, j + 5]);
    expect(fetched).toEqual(fetched.map((_, i) => j + i));
  });

  it('HLS: the same join from PROGRAM-DATE-TIME, playlists reloaded for new segments, never a 404', async () => {
    // As the DASH case: join at media 10.25 s (+ load) − 1.5 s → segment 17.
    const startEpochMs = Math.ceil(Date.now()) - 10_250;
    server = await startOrigin({ content: { catalog: eventCatalog(), live: { publishDelayMs: 250, dvrWindowMs: 30_000, startEpochMs } } });
    const out = await runLiveSession({
      url: server.urls[0] + 'master.m3u8',
      policy: 'reference',
      player: { startupBufferMs: 500, resumeBufferMs: 500 },
      watchMs: 2000,
      live: { targetLatencyMs: 1500 },
    });
    const live = out.live;
    expect(live).toBeDefined();
    if (live === undefined) return;
    expect(out.title.kind).toBe('hls');
    // The encoder's start, from PROGRAM-DATE-TIME (whole ms), exactly.
    expect(out.title.live?.encoderStartEpochMs).toBe(startEpochMs);
    // The playlist does not carry the publishing delay: bounded from the window, at most one segment over 0.25 s.
    expect(out.title.live?.publishDelayMs).toBeGreaterThanOrEqual(250);
    expect(out.title.live?.publishDelayMs).toBeLessThan(750);
    expect([17, 18]).toContain(live.joinSegment);
    expect(live.latency.meanMs).toBeGreaterThanOrEqual(1500);
    expect(live.latency.meanMs).toBeLessThan(1500 + 500 + 300);
    expect(live.rebufferCount).toBe(0);
    expect(live.earlyRequests).toBe(0);
    expect(server.stats[0]?.notYetPublished).toBe(0);
    expect(out.result.delivery?.retries).toBe(0);
    const fetched = out.result.segments.filter((r) => !r.abandoned).map((r) => r.index).sort((a, b) => a - b);
    const j = live.joinSegment;
    expect(fetched.slice(0, 4)).toEqual([j, j + 1, j + 2, j + 3]);
    // Segments 20 on were not listed at the join (newest then: 19): each came after a playlist reload, so the
    // manifests fetched are the master, 2 variants, and at least one reload per such segment.
    const st = server.stats[0];
    const unlisted = fetched.filter((i) => i >= 20).length;
    expect(unlisted).toBeGreaterThan(0);
    expect((st?.requests ?? 0) - (st?.mediaRequests ?? 0)).toBeGreaterThanOrEqual(3 + unlisted);
  });

  it('a stall leaves the viewer further behind by its length (no catch-up), and says so', async () => {
    // 5 Mbit/s, then 2 s at 20 kbit/s from 1.5 s after the first request: a 0.5 s segment (25 kB at 400 kbit/s)
    // takes 10 s at that rate, and the player holds about 1 s of media: it stalls.
    const trace = traceFromPeriods({ name: 'outage', durationsMs: [1500, 2000, 20_000], ratesKbps: [5000, 20, 5000] });
    const startEpochMs = Math.ceil(Date.now()) - 10_250;
    server = await startOrigin({ content: { catalog: eventCatalog(), live: { publishDelayMs: 250, dvrWindowMs: 30_000, startEpochMs } }, trace });
    const out = await runLiveSession({
      url: server.urls[0] + 'manifest.mpd',
      policy: 'reference',
      player: { startupBufferMs: 500, resumeBufferMs: 500 },
      watchMs: 4000,
      trace,
      live: { targetLatencyMs: 1500 },
    });
    const live = out.live;
    if (live === undefined) throw new Error('no live figures');
    expect(live.stalls.length).toBeGreaterThanOrEqual(1);
    expect(live.rebufferCount).toBe(live.stalls.length);
    const before = live.latency.samples[0]?.latencyMs as number;
    // Latency only grows while the playhead is frozen: after the last stall it is the join latency plus every stall.
    const stalled = live.stalls.reduce((a, x) => a + x.durationMs, 0);
    expect(live.maxLatencyAfterStallMs).toBeCloseTo(before + stalled, -1);
    expect(live.latency.maxMs).toBeGreaterThan(before + stalled - 20);
    expect(live.earlyRequests).toBe(0);
  });

  it('the CLI: --target-latency, the live figures in summary.json under the simulator\'s field names', async () => {
    const startEpochMs = Math.ceil(Date.now()) - 6_250;
    server = await startOrigin({ content: { catalog: eventCatalog(), live: { publishDelayMs: 250, dvrWindowMs: 30_000, startEpochMs } } });
    const out = mkdtempSync(join(tmpdir(), 'abrlab-live-event-'));
    const url = server.urls[0] + 'manifest.mpd';
    const r = await runCli(['live', url, '--out', out, '--target-latency', '2', '--duration', '1', '--set', 'startupBufferMs=500', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { command: string; live: Record<string, unknown> & { live: { targetLatencyMs: number }; joinSegment: number } };
    expect(summary.command).toContain('--target-latency 2');
    expect(summary.live.live.targetLatencyMs).toBe(2000);
    // Media 6.25 s − 2 s = 4.25 s: segment 8 (9 only if loading took over 250 ms).
    expect([8, 9]).toContain(summary.live.joinSegment);
    for (const key of ['kind', 'joinAtMs', 'ttffMs', 'latency', 'buffer', 'rebufferCount', 'rebufferMs', 'stalls', 'maxLatencyAfterStallMs', 'earlyRequests']) {
      expect(summary.live).toHaveProperty(key);
    }
  });
});
