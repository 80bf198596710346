import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContent, type MadeContent } from '../../src/live/content/make.js';
import { runLiveSession } from '../../src/live/run-live.js';
import { startOrigin, type OriginServer } from '../../src/live/server/origin-server.js';
import { constantTrace } from '../../src/net/trace.js';
import { runCli } from '../helpers/cli.js';

const FFMPEG = '/usr/bin/ffmpeg';
const hasFfmpeg = existsSync(FFMPEG);
const hasFfprobe = existsSync('/usr/bin/ffprobe');

describe.skipIf(hasFfmpeg)('abrlab content make', () => {
  it(`skipped: ${FFMPEG} is not installed (Debian package ffmpeg; .ci/run installs it)`, () => undefined);
});

describe.skipIf(!hasFfmpeg)('abrlab content make → serve --content → live (ffmpeg)', () => {
  let dir = '';
  let made: MadeContent;
  let server: OriginServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'abrlab-content-'));
    // 4 segments of 0.5 s (12 frames at 24 fps), two rungs: a couple of seconds of encoding.
    made = await makeContent({
      outDir: dir,
      durationS: 2,
      segmentS: 0.5,
      ladder: [
        { width: 384, height: 216, bitrateKbps: 300 },
        { width: 640, height: 360, bitrateKbps: 800 },
      ],
    });
    server = await startOrigin({ content: { dir }, trace: constantTrace(20_000), latencyMs: 5 });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  it('writes a DASH and an HLS title', () => {
    expect(made.dash).toBe(join(dir, 'dash', 'manifest.mpd'));
    expect(made.hls).toBe(join(dir, 'hls', 'master.m3u8'));
    for (const f of ['init-0.m4s', 'chunk-0-00004.m4s', 'chunk-1-00004.m4s']) expect(existsSync(join(dir, 'dash', f)), f).toBe(true);
    for (const f of ['v216p/index.m3u8', 'v360p/seg_00003.ts']) expect(existsSync(join(dir, 'hls', f)), f).toBe(true);
  });

  it.skipIf(!hasFfprobe)('puts one keyframe at the start of every segment', () => {
    for (const seg of ['seg_00000.ts', 'seg_00002.ts']) {
      const out = execFileSync('/usr/bin/ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=key_frame', '-of', 'json', join(dir, 'hls', 'v360p', seg)]).toString();
      const flags = (JSON.parse(out) as { frames: { key_frame: number }[] }).frames.map((f) => String(f.key_frame));
      // 0.5 s at 24 fps = 12 frames, the first (and only the first) a keyframe.
      expect(flags).toHaveLength(12);
      expect(flags[0]).toBe('1');
      expect(flags.slice(1).every((f) => f === '0')).toBe(true);
    }
  });

  for (const [format, manifest] of [['DASH', 'dash/manifest.mpd'], ['HLS', 'hls/master.m3u8']] as const) {
    it(`live plays the ${format} title over serve: every segment, bytes as on disk`, async () => {
      const { result, title } = await runLiveSession({
        url: (server.urls[0] as string) + manifest,
        policy: 'reference',
        player: { startupBufferMs: 500, resumeBufferMs: 500 },
      });
      expect(title.catalog.segmentCount).toBe(4);
      expect(title.catalog.representations).toHaveLength(2);
      expect(result.summary.endReason).toBe('finished');
      expect(result.summary.playMs).toBe(2000);
      const rows = result.segments.filter((r) => !r.abandoned);
      expect(rows.map((r) => r.index).sort()).toEqual([0, 1, 2, 3]);
      for (const r of rows) {
        const file =
          format === 'DASH'
            ? join(dir, 'dash', `chunk-${r.repIndex}-${String(r.index + 1).padStart(5, '0')}.m4s`)
            : join(dir, 'hls', r.repIndex === 0 ? 'v216p' : 'v360p', `seg_${String(r.index).padStart(5, '0')}.ts`);
        expect(r.sizeBytes, file).toBe(statSync(file).size);
      }
    });
  }
});

describe('abrlab content make: user mistakes', () => {
  it('a duration that is not a whole number of segments exits 2 before running ffmpeg', async () => {
    const r = await runCli(['content', 'make', '--out', join(tmpdir(), 'never'), '--duration', '5', '--segment-s', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/whole number of 2 s segments/);
  });
});
