import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readBif, writeBif } from '../../src/content/trickplay/bif.js';
import { REFERENCE_THUMBNAILS, sheetCount, spriteMetadata, thumbnailAt, thumbnailCount, tile } from '../../src/content/trickplay/layout.js';
import { parseThumbnailVtt, vttTimestamp, writeThumbnailVtt } from '../../src/content/trickplay/webvtt.js';

const L = REFERENCE_THUMBNAILS;

describe('thumbnail layout (reference §2.5.1: 320×180 every 10 s, 5×5 sprites)', () => {
  it('a 10-minute title has 60 thumbnails on 3 sheets', () => {
    expect(thumbnailCount(600_000, L)).toBe(60);
    expect(sheetCount(600_000, L)).toBe(3);
    // The reference's sprite_00 covers 0:00–4:10: 25 thumbnails of 10 s.
    expect(tile(24, L)).toEqual({ index: 24, sheet: 0, x: 1280, y: 720, w: 320, h: 180, startMs: 240_000, endMs: 250_000 });
    expect(tile(26, L)).toMatchObject({ sheet: 1, x: 320, y: 0, startMs: 260_000 });
  });

  it('maps media time to the thumbnail on screen, clamped to the title', () => {
    expect(thumbnailAt(9_999, 600_000, L)).toBe(0);
    expect(thumbnailAt(10_000, 600_000, L)).toBe(1);
    expect(thumbnailAt(10_000_000, 600_000, L)).toBe(59);
    expect(thumbnailAt(-5, 600_000, L)).toBe(0);
  });

  it('writes the metadata JSON with the reference field names', () => {
    expect(spriteMetadata({ contentId: '12345678', durationMs: 600_000, baseUrl: 'thumbs/' })).toEqual({
      content_id: '12345678',
      thumbnail_interval: 10,
      thumbnail_width: 320,
      thumbnail_height: 180,
      sprite_columns: 5,
      sprite_rows: 5,
      total_thumbnails: 60,
      total_sprites: 3,
      thumbnails_per_sprite: 25,
      base_url: 'thumbs/',
      format: 'sprite',
      version: 2,
    });
  });
});

describe('WebVTT thumbnail track', () => {
  it('formats timestamps as hh:mm:ss.mmm', () => {
    expect(vttTimestamp(3_723_004)).toBe('01:02:03.004');
  });

  it('writes one cue per thumbnail with its sprite box, and reads it back', () => {
    const vtt = writeThumbnailVtt({ durationMs: 30_000, urlPrefix: 'thumbnails/' });
    expect(vtt.split('\n').slice(0, 7)).toEqual([
      'WEBVTT',
      '',
      '00:00:00.000 --> 00:00:10.000',
      'thumbnails/sprite_00.jpg#xywh=0,0,320,180',
      '',
      '00:00:10.000 --> 00:00:20.000',
      'thumbnails/sprite_00.jpg#xywh=320,0,320,180',
    ]);
    const cues = parseThumbnailVtt(vtt);
    expect(cues).toHaveLength(3);
    expect(cues[2]).toEqual({ startMs: 20_000, endMs: 30_000, url: 'thumbnails/sprite_00.jpg', box: { x: 640, y: 0, w: 320, h: 180 } });
  });

  it('names the line of a bad cue', () => {
    expect(() => parseThumbnailVtt('WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nsprite.jpg\n', 'f.vtt')).toThrow(/f\.vtt:4/);
    expect(() => parseThumbnailVtt('WEBVTT\n\n00:00:0x.000 --> 00:00:10.000\nsprite.jpg#xywh=0,0,1,1\n', 'f.vtt')).toThrow(/f\.vtt:3/);
    expect(() => parseThumbnailVtt('hello', 'f.vtt')).toThrow(InputError);
  });
});

describe('BIF (reference §2.5.2 layout)', () => {
  const jpegs = [Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5, 6, 7, 8]), Uint8Array.from([9, 10])];

  it('header, 8-byte index entries and the images back to back', () => {
    const bif = writeBif({ thumbnails: jpegs });
    // 512 header + 3 × 8 index = 536; images at 536, 539, 544; 546 bytes in all.
    expect(bif.length).toBe(546);
    expect(bif.subarray(0, 4).toString('latin1')).toBe('BIF\0');
    expect([bif.readUInt32LE(8), bif.readUInt32LE(12)]).toEqual([3, 10_000]);
    expect([bif.readUInt32LE(512), bif.readUInt32LE(516), bif.readUInt32LE(520), bif.readUInt32LE(524), bif.readUInt32LE(528), bif.readUInt32LE(532)]).toEqual([
      0, 536, 10_000, 539, 20_000, 544,
    ]);
    const read = readBif(bif);
    expect(read.intervalMs).toBe(10_000);
    expect(read.thumbnails.map((t) => [t.timestampMs, [...t.jpeg]])).toEqual([
      [0, [1, 2, 3]],
      [10_000, [4, 5, 6, 7, 8]],
      [20_000, [9, 10]],
    ]);
  });

  it('refuses a wrong magic, a short file and an index past the end', () => {
    const bif = writeBif({ thumbnails: jpegs });
    const bad = Buffer.from(bif);
    bad.write('GIF', 0, 'latin1');
    expect(() => readBif(bad, 'x.bif')).toThrow(/x\.bif.*not a BIF/);
    expect(() => readBif(bif.subarray(0, 100))).toThrow(/too short/);
    const lying = Buffer.from(bif);
    lying.writeUInt32LE(1000, 8);
    expect(() => readBif(lying)).toThrow(/past the end/);
  });
});
