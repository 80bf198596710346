/**
 * Trick-play thumbnails of a made title (reference streaming-architecture.md §2.5.1–2.5.2), in the reference's
 * three formats, under `<outDir>/thumbs/`:
 *   frames/thumb_0001.jpg …  one 320×180 JPEG every interval (the reference's `fps=1/10,scale=320:180 -q:v 5`)
 *   sprite_00.jpg …          5×5 sprite sheets (1600×900) tiled by ffmpeg's `tile=5x5` filter
 *   metadata.json            the client metadata (layout.ts `spriteMetadata`)
 *   thumbnails.vtt           the WebVTT track with `#xywh` boxes (webvtt.ts)
 *   thumbnails.bif           the BIF file of the individual frames (bif.ts)
 * `abrlab serve --content <outDir>` then serves them at `/thumbs/…`.
 *
 * The frames come from the same synthetic source as the renditions (testsrc2 is deterministic), so they show
 * the pictures the segments hold. Sizes are exact 16:9 with `setsar=1` (TOOLCHAIN.md §4).
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { writeBif } from '../../content/trickplay/bif.js';
import { REFERENCE_THUMBNAILS, sheetCount, spriteMetadata, thumbnailCount, type ThumbnailLayout } from '../../content/trickplay/layout.js';
import { writeThumbnailVtt } from '../../content/trickplay/webvtt.js';
import { runFfmpeg } from './ffmpeg.js';

export interface MakeThumbnailsOptions {
  /** The title's output directory; thumbnails go to `<outDir>/thumbs/`. */
  outDir: string;
  /** ffmpeg input arguments of the source (e.g. `-f lavfi -i testsrc2=…`). */
  inputArgs: readonly string[];
  durationS: number;
  /** One thumbnail every this many seconds (reference: 10; short test titles use less). */
  intervalS?: number;
  contentId?: string;
  ffmpegPath?: string;
}

export interface MadeThumbnails {
  dir: string;
  thumbnails: number;
  sprites: string[];
  metadata: string;
  vtt: string;
  bif: string;
}

export async function makeThumbnails(opts: MakeThumbnailsOptions): Promise<MadeThumbnails> {
  const intervalS = opts.intervalS ?? REFERENCE_THUMBNAILS.intervalMs / 1000;
  if (!(intervalS > 0) || !Number.isFinite(intervalS)) throw new InputError(`thumbnail interval must be > 0 s, got ${intervalS}`, { field: '--thumb-interval' });
  const layout: ThumbnailLayout = { ...REFERENCE_THUMBNAILS, intervalMs: Math.round(intervalS * 1000) };
  const durationMs = Math.round(opts.durationS * 1000);
  const count = thumbnailCount(durationMs, layout);
  if (count === 0) throw new InputError(`a ${opts.durationS} s title has no thumbnail at one every ${intervalS} s`, { field: '--thumb-interval' });
  const ffmpeg = opts.ffmpegPath ?? 'ffmpeg';
  const dir = join(opts.outDir, 'thumbs');
  const framesDir = join(dir, 'frames');
  await mkdir(framesDir, { recursive: true });
  const { widthPx: w, heightPx: h, columns, rows } = layout;
  // 1. One frame per interval, at 0, interval, 2·interval, … (the fps filter's first output is the first frame).
  await runFfmpeg(
    ffmpeg,
    [...ffmpegHead(), ...opts.inputArgs, '-vf', `fps=1/${intervalS},scale=${w}:${h},setsar=1`, '-frames:v', String(count), '-q:v', '5', '-f', 'image2', 'frames/thumb_%04d.jpg'],
    dir,
  );
  const frames = (await readdir(framesDir)).filter((f) => /^thumb_\d{4}\.jpg$/.test(f)).sort();
  if (frames.length !== count) throw new Error(`ffmpeg made ${frames.length} thumbnails, expected ${count}`);
  // 2. Sprite sheets: tile=5x5 turns every 25 frames into one 1600×900 picture (the last one padded black).
  await runFfmpeg(
    ffmpeg,
    [...ffmpegHead(), '-framerate', '1', '-start_number', '1', '-i', 'frames/thumb_%04d.jpg', '-vf', `tile=${columns}x${rows}`, '-q:v', '5', '-start_number', '0', 'sprite_%02d.jpg'],
    dir,
  );
  const sprites = (await readdir(dir)).filter((f) => /^sprite_\d{2,}\.jpg$/.test(f)).sort();
  if (sprites.length !== sheetCount(durationMs, layout)) throw new Error(`ffmpeg made ${sprites.length} sprite sheets, expected ${sheetCount(durationMs, layout)}`);
  // 3. Metadata JSON, WebVTT track (URLs relative to the track) and BIF of the individual frames.
  const metadata = join(dir, 'metadata.json');
  const meta = spriteMetadata({ contentId: opts.contentId ?? 'abrlab-test', durationMs, baseUrl: 'thumbs/', layout });
  await writeFile(metadata, JSON.stringify(meta, null, 2) + '\n');
  const vtt = join(dir, 'thumbnails.vtt');
  await writeFile(vtt, writeThumbnailVtt({ durationMs, layout }));
  const bif = join(dir, 'thumbnails.bif');
  const jpegs = await Promise.all(frames.map((f) => readFile(join(framesDir, f))));
  await writeFile(bif, writeBif({ thumbnails: jpegs, intervalMs: layout.intervalMs }));
  return { dir, thumbnails: count, sprites: sprites.map((s) => join(dir, s)), metadata, vtt, bif };
}

function ffmpegHead(): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-y'];
}
