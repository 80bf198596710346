import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBif } from '../../src/content/trickplay/bif.js';
import { parseThumbnailVtt } from '../../src/content/trickplay/webvtt.js';
import { ffmpegAvailable, makeContent, type MadeContent } from '../../src/live/content/make.js';
import { startOrigin, type OriginServer } from '../../src/live/server/origin-server.js';
import { parseCatalog } from '../../src/origin/catalog.js';

function get(port: number, path: string): Promise<{ status: number; body: Buffer; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Width and height of a JPEG, read by ffprobe (an independent decoder). */
function probe(file: string): { codec: string; width: number; height: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', file]).toString().trim();
  const [codec = '', width = '0', height = '0'] = out.split(',');
  return { codec, width: Number(width), height: Number(height) };
}

let server: OriginServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const hasFfmpeg = ffmpegAvailable();

describe.skipIf(!hasFfmpeg)('abrlab content make: trick-play thumbnails with ffmpeg (needs /usr/bin/ffmpeg)', () => {
  // 16 s title, one thumbnail every 0.5 s → floor(16 / 0.5) = 32 thumbnails → sheets of 25: 2 (the second has 7).
  let dir = '';
  let made: MadeContent;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'abrlab-thumbs-'));
    made = await makeContent({ outDir: dir, durationS: 16, formats: [], thumbIntervalS: 0.5 });
  }, 60_000);

  it('makes 5×5 sprite sheets that are 1600×900 JPEGs', () => {
    const thumbs = join(dir, 'thumbs');
    expect(readdirSync(thumbs).filter((f) => f.startsWith('sprite_')).sort()).toEqual(['sprite_00.jpg', 'sprite_01.jpg']);
    for (const s of ['sprite_00.jpg', 'sprite_01.jpg']) expect(probe(join(thumbs, s))).toEqual({ codec: 'mjpeg', width: 1600, height: 900 });
    expect(probe(join(thumbs, 'frames', 'thumb_0001.jpg'))).toEqual({ codec: 'mjpeg', width: 320, height: 180 });
    expect(made.thumbnails?.thumbnails).toBe(32);
  });

  it('writes the metadata JSON of the reference layout', () => {
    const meta = JSON.parse(readFileSync(join(dir, 'thumbs', 'metadata.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ thumbnail_interval: 0.5, thumbnail_width: 320, thumbnail_height: 180, sprite_columns: 5, sprite_rows: 5, total_thumbnails: 32, total_sprites: 2, thumbnails_per_sprite: 25 });
  });

  it('writes a WebVTT track that parses back with the right boxes', () => {
    const cues = parseThumbnailVtt(readFileSync(join(dir, 'thumbs', 'thumbnails.vtt'), 'utf8'));
    expect(cues).toHaveLength(32);
    // Thumbnail 7: sheet 0, column 7 % 5 = 2, row floor(7 / 5) = 1 → x 640, y 180; shown 3.5 s – 4 s.
    expect(cues[7]).toEqual({ startMs: 3500, endMs: 4000, url: 'sprite_00.jpg', box: { x: 640, y: 180, w: 320, h: 180 } });
    // Thumbnail 25 opens the second sheet at its top-left corner; the last (31) is column 1, row 1 of it.
    expect(cues[25]).toEqual({ startMs: 12_500, endMs: 13_000, url: 'sprite_01.jpg', box: { x: 0, y: 0, w: 320, h: 180 } });
    expect(cues[31]?.box).toEqual({ x: 320, y: 180, w: 320, h: 180 });
  });

  it('writes a BIF that reads back with 32 JPEGs at 0, 500, 1000 … ms', () => {
    const bif = readBif(readFileSync(join(dir, 'thumbs', 'thumbnails.bif')));
    expect(bif.intervalMs).toBe(500);
    expect(bif.thumbnails).toHaveLength(32);
    expect(bif.thumbnails.map((t) => t.timestampMs)).toEqual(Array.from({ length: 32 }, (_, i) => i * 500));
    // Each entry is a whole JPEG (SOI … EOI), byte-identical to the frame file it came from.
    const frame5 = readFileSync(join(dir, 'thumbs', 'frames', 'thumb_0006.jpg'));
    expect(Buffer.from(bif.thumbnails[5]?.jpeg ?? []).equals(frame5)).toBe(true);
    const tmp = join(dir, 'bif-entry.jpg');
    writeFileSync(tmp, bif.thumbnails[31]?.jpeg ?? new Uint8Array());
    expect(probe(tmp)).toEqual({ codec: 'mjpeg', width: 320, height: 180 });
  });

  it('abrlab serve --content serves them under /thumbs/', async () => {
    server = await startOrigin({ content: { dir } });
    const port = server.ports[0] as number;
    const sprite = await get(port, '/thumbs/sprite_01.jpg');
    expect(sprite.status).toBe(200);
    expect(sprite.type).toBe('image/jpeg');
    expect(sprite.body.equals(readFileSync(join(dir, 'thumbs', 'sprite_01.jpg')))).toBe(true);
    expect((await get(port, '/thumbs/thumbnails.vtt')).type).toBe('text/vtt');
    expect(JSON.parse((await get(port, '/thumbs/metadata.json')).body.toString()).total_sprites).toBe(2);
  });
});

describe('abrlab serve (synthetic catalog): trick-play files of the reference layout', () => {
  it('serves metadata.json, thumbnails.vtt and sprite sheets of 150–250 KB at /thumbs/', async () => {
    // 600 s title: 60 thumbnails every 10 s → 3 sheets (25, 25, 10).
    const catalog = parseCatalog({ name: 'ten-min', segmentDurationMs: 4000, durationMs: 600_000, representations: [{ id: 'low', bitrateKbps: 400, width: 640, height: 360 }] });
    server = await startOrigin({ content: { catalog } });
    const port = server.ports[0] as number;
    const meta = JSON.parse((await get(port, '/thumbs/metadata.json')).body.toString()) as Record<string, unknown>;
    expect(meta).toMatchObject({ content_id: 'ten-min', thumbnail_interval: 10, total_thumbnails: 60, total_sprites: 3 });
    const vtt = await get(port, '/thumbs/thumbnails.vtt');
    expect(vtt.type).toBe('text/vtt');
    const cues = parseThumbnailVtt(vtt.body.toString());
    expect(cues).toHaveLength(60);
    expect(cues[59]).toEqual({ startMs: 590_000, endMs: 600_000, url: 'sprite_02.jpg', box: { x: 1280, y: 180, w: 320, h: 180 } });
    const sizes: number[] = [];
    for (const n of ['00', '01', '02']) {
      const r = await get(port, `/thumbs/sprite_${n}.jpg`);
      expect(r.status).toBe(200);
      expect(r.type).toBe('image/jpeg');
      sizes.push(r.body.length);
    }
    for (const b of sizes) expect(b >= 150_000 && b <= 250_000).toBe(true);
    expect((await get(port, '/thumbs/sprite_03.jpg')).status).toBe(404);
  });
});
