import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { runFfmpeg } from './ffmpeg.js';
import { makeThumbnails, type MadeThumbnails } from './thumbnails.js';

/**
 * One rendition of the made title. Sizes must be exact, even 16:9 sizes (TOOLCHAIN.md §4: 426x240 gives a
 * sample aspect ratio the DASH muxer refuses to mix with the others).
 */
export interface MakeRendition {
  width: number;
  height: number;
  bitrateKbps: number;
}

/** The default ladder: three small rungs, enough for ABR to choose and quick to encode. */
export const DEFAULT_LADDER: readonly MakeRendition[] = [
  { width: 384, height: 216, bitrateKbps: 300 },
  { width: 640, height: 360, bitrateKbps: 800 },
  { width: 960, height: 540, bitrateKbps: 1500 },
];

export interface MakeContentOptions {
  outDir: string;
  /** Title length, s; a whole number of segments. Default 8. */
  durationS?: number;
  /** Segment length, s. Default 4 (the reference design's). */
  segmentS?: number;
  formats?: ('dash' | 'hls')[];
  ladder?: readonly MakeRendition[];
  /** Frame rate of the synthetic source. Default 24. */
  fps?: number;
  ffmpegPath?: string;
  /** Make trick-play thumbnails under `thumbs/` (default true). */
  thumbnails?: boolean;
  /** One thumbnail every this many seconds (default 10, the reference's; short test titles need less). */
  thumbIntervalS?: number;
}

export interface MadeContent {
  /** `<outDir>/dash/manifest.mpd`, when DASH was made. */
  dash?: string;
  /** `<outDir>/hls/master.m3u8`, when HLS was made. */
  hls?: string;
  /** The trick-play files, when made (a title shorter than one default interval gets none: see `skipped`). */
  thumbnails?: MadeThumbnails;
  /** Why no thumbnails were made, when they were asked for. */
  thumbnailsSkipped?: string;
  files: number;
  bytes: number;
}

/**
 * Makes a small real multi-bitrate title with ffmpeg from a synthetic source (testsrc2, video only): H.264 CBR
 * renditions with a keyframe exactly at every segment boundary (fixed GOP of fps × segment, no scene-cut
 * keyframes, and forced keyframes at multiples of the segment length), packaged as DASH (SegmentTemplate with
 * `$Number$`, fMP4) and HLS (MPEG-TS, master + media playlists). Audio is left out: live mode plays the video
 * ladder only.
 */
export async function makeContent(opts: MakeContentOptions): Promise<MadeContent> {
  const durationS = opts.durationS ?? 8;
  const segmentS = opts.segmentS ?? 4;
  const fps = opts.fps ?? 24;
  const ladder = opts.ladder ?? DEFAULT_LADDER;
  const formats = opts.formats ?? ['dash', 'hls'];
  const ffmpeg = opts.ffmpegPath ?? 'ffmpeg';
  if (!(segmentS > 0) || !Number.isInteger(segmentS * fps)) {
    throw new InputError(`segment length ${segmentS} s must be a positive whole number of frames at ${fps} fps`, { field: '--segment-s' });
  }
  if (!(durationS > 0) || Math.abs(durationS / segmentS - Math.round(durationS / segmentS)) > 1e-9) {
    throw new InputError(`duration ${durationS} s must be a whole number of ${segmentS} s segments`, { field: '--duration' });
  }
  for (const r of ladder) {
    if (r.width % 2 !== 0 || r.height % 2 !== 0 || r.width * 9 !== r.height * 16) {
      throw new InputError(`rendition ${r.width}x${r.height} is not an exact, even 16:9 size (e.g. 384x216, 640x360, 960x540)`, { field: 'ladder' });
    }
  }
  const out = resolve(opts.outDir);
  const gop = Math.round(segmentS * fps);
  const source = ['-f', 'lavfi', '-i', `testsrc2=size=${ladder.at(-1)?.width ?? 640}x${ladder.at(-1)?.height ?? 360}:rate=${fps}:duration=${durationS}`];
  const input = ['-hide_banner', '-loglevel', 'error', '-y', ...source];
  const split = `[0:v]split=${ladder.length}${ladder.map((_, i) => `[v${i}]`).join('')};` + ladder.map((r, i) => `[v${i}]scale=${r.width}:${r.height},setsar=1[o${i}]`).join(';');
  const maps = ladder.flatMap((_, i) => ['-map', `[o${i}]`]);
  const codec = [
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
    '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${segmentS})`,
    '-x264-params', 'nal-hrd=cbr:force-cfr=1',
    ...ladder.flatMap((r, i) => [`-b:v:${i}`, `${r.bitrateKbps}k`, `-maxrate:v:${i}`, `${r.bitrateKbps}k`, `-bufsize:v:${i}`, `${2 * r.bitrateKbps}k`]),
  ];
  const made: MadeContent = { files: 0, bytes: 0 };
  if (formats.includes('dash')) {
    const dir = join(out, 'dash');
    await mkdir(dir, { recursive: true });
    await runFfmpeg(ffmpeg, [
      ...input, '-filter_complex', split, ...maps, ...codec,
      '-f', 'dash', '-seg_duration', String(segmentS), '-use_template', '1', '-use_timeline', '0',
      '-adaptation_sets', 'id=0,streams=v',
      '-init_seg_name', 'init-$RepresentationID$.m4s', '-media_seg_name', 'chunk-$RepresentationID$-$Number%05d$.m4s',
      'manifest.mpd',
    ], dir);
    made.dash = join(dir, 'manifest.mpd');
  }
  if (formats.includes('hls')) {
    const dir = join(out, 'hls');
    await mkdir(dir, { recursive: true });
    await runFfmpeg(ffmpeg, [
      ...input, '-filter_complex', split, ...maps, ...codec,
      '-f', 'hls', '-hls_time', String(segmentS), '-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments',
      '-hls_segment_filename', 'v%v/seg_%05d.ts', '-master_pl_name', 'master.m3u8',
      '-var_stream_map', ladder.map((r, i) => `v:${i},name:${r.height}p`).join(' '),
      'v%v/index.m3u8',
    ], dir);
    made.hls = join(dir, 'master.m3u8');
  }
  if (opts.thumbnails !== false) {
    if (opts.thumbIntervalS === undefined && durationS < 10) {
      made.thumbnailsSkipped = `the ${durationS} s title is shorter than the reference's 10 s thumbnail interval: give --thumb-interval`;
    } else {
      made.thumbnails = await makeThumbnails({
        outDir: out,
        inputArgs: source,
        durationS,
        ffmpegPath: ffmpeg,
        ...(opts.thumbIntervalS === undefined ? {} : { intervalS: opts.thumbIntervalS }),
      });
    }
  }
  const counted = await countFiles(out);
  made.files = counted.files;
  made.bytes = counted.bytes;
  return made;
}

/** True when an ffmpeg binary can be found (the Debian package installs /usr/bin/ffmpeg). */
export function ffmpegAvailable(path = '/usr/bin/ffmpeg'): boolean {
  return existsSync(path);
}

async function countFiles(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const sub = await countFiles(p);
      files += sub.files;
      bytes += sub.bytes;
    } else if (e.isFile()) {
      files++;
      bytes += (await stat(p)).size;
    }
  }
  return { files, bytes };
}
