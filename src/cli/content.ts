import { Command, InvalidArgumentError } from 'commander';
import { parseNonNegative } from './options.js';

interface ContentMakeFlags {
  out: string;
  duration: number;
  segmentS: number;
  format: ('dash' | 'hls')[];
  thumbnails: boolean;
  thumbInterval?: number;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number > 0, got "${value}"`);
  return n;
}

function parseFormats(value: string): ('dash' | 'hls')[] {
  const parts = value.split(',').map((p) => p.trim().toLowerCase());
  const bad = parts.find((p) => p !== 'dash' && p !== 'hls');
  if (bad !== undefined || parts.length === 0) throw new InvalidArgumentError(`expected dash, hls or dash,hls; got "${value}"`);
  return parts as ('dash' | 'hls')[];
}

/** `abrlab content make`: a small real DASH + HLS title made by ffmpeg, for `abrlab serve --content`. */
export function contentCommand(): Command {
  const content = new Command('content').description('make test content');
  content
    .command('make')
    .description('make a small multi-bitrate DASH and HLS title with ffmpeg from a synthetic source')
    .requiredOption('--out <dir>', 'output directory (dash/manifest.mpd, hls/master.m3u8)')
    .option('--duration <s>', 'title length, s (a whole number of segments)', parseNonNegative, 8)
    .option('--segment-s <s>', 'segment length, s (keyframes at every boundary)', parseNonNegative, 4)
    .option('--format <list>', 'dash, hls or dash,hls', parseFormats, ['dash', 'hls'] as ('dash' | 'hls')[])
    .option('--thumb-interval <s>', 'one trick-play thumbnail every this many seconds (default 10, the reference\'s)', parsePositive)
    .option('--no-thumbnails', 'skip the trick-play thumbnails (sprites, metadata.json, WebVTT, BIF under thumbs/)')
    .action(async (flags: ContentMakeFlags) => {
      const { makeContent } = await import('../live/content/make.js');
      const made = await makeContent({
        outDir: flags.out,
        durationS: flags.duration,
        segmentS: flags.segmentS,
        formats: flags.format,
        thumbnails: flags.thumbnails,
        ...(flags.thumbInterval === undefined ? {} : { thumbIntervalS: flags.thumbInterval }),
      });
      const t = made.thumbnails;
      const lines = [
        ...(made.dash === undefined ? [] : [`DASH: ${made.dash}`]),
        ...(made.hls === undefined ? [] : [`HLS:  ${made.hls}`]),
        ...(t === undefined ? [] : [`Thumbnails: ${t.thumbnails} in ${t.sprites.length} sprite sheets, metadata.json, thumbnails.vtt, thumbnails.bif in ${t.dir}`]),
        ...(made.thumbnailsSkipped === undefined ? [] : [`No thumbnails: ${made.thumbnailsSkipped}`]),
        `${made.files} files, ${(made.bytes / 1e6).toFixed(2)} MB — serve with: abrlab serve --content ${flags.out}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
  return content;
}
