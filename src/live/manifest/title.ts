import { InputError } from '../../core/errors.js';
import { nominalSegmentBytes, sToMs } from '../../core/units.js';
import type { Catalog, Representation } from '../../origin/catalog.js';

/** An inclusive byte range, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

/** One media segment of a rendition, as the manifest gives it. */
export interface ManifestSegment {
  /** Absolute URL. */
  url: string;
  range?: ByteRange;
  durationMs: number;
}

/** One video rendition (a DASH Representation, an HLS variant). */
export interface ManifestRendition {
  id: string;
  bitrateKbps: number;
  width: number;
  height: number;
  codecs: string;
  segments: ManifestSegment[];
  /** Initialization segment (fMP4 `moov`), fetched once before the rendition's first media segment. */
  init?: { url: string; range?: ByteRange };
}

/**
 * A title read from a real manifest: the player's catalog plus where each segment lives. `segmentUrl` and
 * `segmentRange` are the hooks `PlayerSession` takes, so the player itself never sees a manifest.
 */
export interface LiveTitle {
  kind: 'dash' | 'hls';
  manifestUrl: string;
  catalog: Catalog;
  /** Renditions in catalog order (ascending bitrate). */
  renditions: readonly ManifestRendition[];
  segmentUrl: (repIndex: number, segmentIndex: number) => string;
  segmentRange: (repIndex: number, segmentIndex: number) => ByteRange | undefined;
  /**
   * True for a live manifest (DASH `type="dynamic"`, HLS without ENDLIST): without `live`, the catalog is the
   * window available now; with it, the whole event (segment i at media i·D from the encoder's start).
   */
  dynamic: boolean;
  /** A live event whose segments' publication times are known: live mode plays it at the edge. */
  live?: LiveTiming;
  /** What was left out or approximated (audio, trick play, mismatched segment counts...), for the user. */
  notes: string[];
}

/**
 * When a live event's segments exist, on the wall clock: segment i covers media [i·D, (i+1)·D) from the
 * encoder's start and is published `publishDelayMs` after its end (the model of src/content/live-edge.ts).
 */
export interface LiveTiming {
  /** Wall-clock epoch ms of media time 0 at the encoder. */
  encoderStartEpochMs: number;
  /** How long after its end a segment is published, ms. */
  publishDelayMs: number;
  segmentDurationMs: number;
  /** How far behind the edge segments stay available, ms; undefined when the manifest does not say. */
  dvrWindowMs?: number;
  /** The manifest's suggested refresh period, ms (DASH minimumUpdatePeriod, HLS target duration). */
  minimumUpdatePeriodMs?: number;
  /** The event's length from media time 0, ms, when the manifest gives it. */
  durationMs?: number;
  /** How the timing was learnt, for the user (template arithmetic, a playlist window...). */
  source: string;
}

/** A rendition's size of segment i: the byte range's length when the manifest gives one, else nominal. */
function segmentBytes(r: ManifestRendition, s: ManifestSegment): number {
  if (s.range !== undefined) return s.range.end - s.range.start + 1;
  // Template and per-file segments carry no size: the nominal bitrate × duration is what players assume
  // too (dash.js's and hls.js's estimates before a download).
  return Math.max(1, Math.round(nominalSegmentBytes(r.bitrateKbps, s.durationMs)));
}

/**
 * Builds the catalog of a title from its video renditions: sorted by ascending bitrate, duplicates (same
 * bitrate and frame size, e.g. a low-delay copy of the ladder) dropped, segment counts aligned to the shortest
 * rendition. Segment durations come from the lowest rendition (ABR ladders are segment-aligned by design).
 */
export function buildTitle(args: {
  kind: 'dash' | 'hls';
  manifestUrl: string;
  name: string;
  renditions: ManifestRendition[];
  dynamic: boolean;
  notes?: string[];
  live?: LiveTiming;
}): LiveTitle {
  const notes = [...(args.notes ?? [])];
  const seen = new Set<string>();
  const renditions = [...args.renditions]
    .sort((a, b) => a.bitrateKbps - b.bitrateKbps)
    .filter((r) => {
      const key = `${r.bitrateKbps}/${r.width}x${r.height}/${r.codecs}`;
      if (seen.has(key)) {
        notes.push(`rendition "${r.id}" duplicates another (${r.bitrateKbps} kbps, ${r.width}x${r.height}) and was skipped`);
        return false;
      }
      seen.add(key);
      return true;
    });
  if (renditions.length === 0) throw new InputError('the manifest has no video rendition to play', { file: args.manifestUrl });
  for (const r of renditions) {
    if (!(r.bitrateKbps > 0)) throw new InputError(`rendition "${r.id}" has no usable bandwidth`, { file: args.manifestUrl });
  }
  const counts = renditions.map((r) => r.segments.length);
  const segmentCount = Math.min(...counts);
  if (segmentCount === 0) {
    const empty = renditions.find((r) => r.segments.length === 0) as ManifestRendition;
    throw new InputError(`rendition "${empty.id}" has no media segments`, { file: args.manifestUrl });
  }
  if (Math.max(...counts) !== segmentCount) {
    notes.push(`renditions have ${Math.min(...counts)}–${Math.max(...counts)} segments; only the first ${segmentCount} are played`);
  }
  const base = renditions[0] as ManifestRendition;
  const durations = new Float64Array(segmentCount);
  for (let i = 0; i < segmentCount; i++) {
    const d = (base.segments[i] as ManifestSegment).durationMs;
    if (!(d > 0)) throw new InputError(`segment ${i} of rendition "${base.id}" has duration ${d} ms`, { file: args.manifestUrl });
    durations[i] = d;
  }
  let durationMs = 0;
  for (const d of durations) durationMs += d;
  const representations: Representation[] = renditions.map((r) => ({
    id: r.id,
    bitrateKbps: r.bitrateKbps,
    width: r.width,
    height: r.height,
    codecs: r.codecs,
  }));
  const sizesBytes = renditions.map((r) => {
    const sizes = new Float64Array(segmentCount);
    for (let i = 0; i < segmentCount; i++) sizes[i] = segmentBytes(r, r.segments[i] as ManifestSegment);
    return sizes;
  });
  const catalog: Catalog = {
    name: args.name,
    segmentDurationMs: durations[0] as number,
    segmentCount,
    durationMs,
    representations,
    sizesBytes,
    segmentDurationAt: (index: number) => durations[index] ?? (durations[0] as number),
  };
  return {
    kind: args.kind,
    manifestUrl: args.manifestUrl,
    catalog,
    renditions,
    segmentUrl: (rep, seg) => (renditions[rep]?.segments[seg] as ManifestSegment).url,
    segmentRange: (rep, seg) => renditions[rep]?.segments[seg]?.range,
    dynamic: args.dynamic,
    notes,
    ...(args.live === undefined ? {} : { live: args.live }),
  };
}

/** Seconds (as manifests give them) to ms, rounded to the microsecond so sums of 2.002 s stay clean. */
export function manifestSecondsToMs(s: number): number {
  return Math.round(sToMs(s) * 1000) / 1000;
}

/** A title's name from its manifest URL: the last path part without extension, or its folder for index files. */
export function titleNameFromUrl(url: string): string {
  const parts = new URL(url).pathname.split('/').filter((p) => p !== '');
  const last = (parts[parts.length - 1] ?? 'title').replace(/\.[^.]*$/, '');
  if (['manifest', 'master', 'index', 'playlist', 'main', 'stream'].includes(last.toLowerCase()) && parts.length > 1) {
    return parts[parts.length - 2] as string;
  }
  return last;
}
