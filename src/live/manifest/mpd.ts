import { DOMParser } from '@xmldom/xmldom';
import { parse as parseMpdText, type MpdPlaylist } from 'mpd-parser';
import { InputError } from '../../core/errors.js';
import { bpsToKbps } from '../../core/units.js';
import { parseSidx } from './sidx.js';
import { buildTitle, manifestSecondsToMs, type ByteRange, type LiveTitle, type ManifestRendition, type ManifestSegment } from './title.js';

/** A SegmentBase rendition whose segments are listed in a `sidx` box still to be fetched. */
export interface PendingIndex {
  renditionId: string;
  url: string;
  range: ByteRange;
}

export interface ParsedMpd {
  /** Video renditions; those listed in `pendingIndex` have no segments until `applySidx`. */
  renditions: ManifestRendition[];
  pendingIndex: PendingIndex[];
  dynamic: boolean;
  notes: string[];
}

/**
 * Checks that the MPD is well-formed XML before mpd-parser sees it: mpd-parser's XML reader (xmldom) only warns
 * about some malformations (attributes without whitespace between them) and then guesses, and a manifest that
 * is not XML should be refused with its position, not half read.
 */
export function checkWellFormedXml(text: string, source: string): Document {
  // The first problem is kept and thrown after parsing: an error thrown inside xmldom's handler is caught by
  // xmldom and reported again, nested, as an "element parse error".
  let first: InputError | undefined;
  const note = (level: string) => (msg: string): void => {
    if (first !== undefined) return;
    const pos = /\[line:(\d+),col:(\d+)\]/.exec(msg);
    const clean = msg.replace(/\s*@#\[line:\d+,col:\d+\]\s*$/s, '').replace(/^\[xmldom \w+\]\s*/, '').trim();
    const where = pos === null ? {} : { line: Number(pos[1]) };
    first = new InputError(`MPD is not well-formed XML (${level}: ${clean}${pos === null ? '' : `, column ${pos[2]}`})`, { file: source, ...where });
  };
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: note('warning'), error: note('error'), fatalError: note('fatal error') },
  }).parseFromString(text, 'application/xml');
  if (first !== undefined) throw first;
  const root = doc.documentElement;
  if (root === null || root.localName !== 'MPD') {
    throw new InputError(`not a DASH MPD (root element is ${root === null ? 'missing' : `<${root.nodeName}>`})`, { file: source });
  }
  return doc as unknown as Document;
}

/**
 * Reads a DASH MPD with mpd-parser (video.js's parser: SegmentTemplate with `$Number$` / `$Time$` and printf
 * widths, SegmentTimeline, SegmentList, SegmentBase, BaseURL resolution, multiple periods joined in order) into
 * video renditions with absolute segment URLs and byte ranges. `nowEpochMs` is the wall-clock time that decides
 * which segments of a dynamic (live) MPD exist.
 */
export function parseMpd(text: string, manifestUrl: string, opts: { nowEpochMs?: number } = {}): ParsedMpd {
  const doc = checkWellFormedXml(text, manifestUrl);
  const dynamic = doc.documentElement.getAttribute('type') === 'dynamic';
  if (dynamic && opts.nowEpochMs === undefined) {
    throw new InputError('a dynamic (live) MPD needs the current time to know which segments exist', { file: manifestUrl });
  }
  let manifest;
  try {
    manifest = parseMpdText(text, { manifestUri: manifestUrl, ...(opts.nowEpochMs === undefined ? {} : { NOW: opts.nowEpochMs }) });
  } catch (err) {
    throw new InputError(`mpd-parser could not read the MPD: ${(err as Error).message}`, { file: manifestUrl });
  }
  const notes: string[] = [];
  const audioGroups = Object.values(manifest.mediaGroups?.AUDIO ?? {}).reduce((n, g) => n + Object.keys(g).length, 0);
  if (audioGroups > 0) notes.push(`${audioGroups} audio adaptation(s) not fetched: abrlab plays the video ladder only`);
  if (dynamic) notes.push('dynamic MPD: the segments available now are played as a fixed window');
  const renditions: ManifestRendition[] = [];
  const pendingIndex: PendingIndex[] = [];
  for (const [i, p] of (manifest.playlists ?? []).entries()) {
    const r = renditionOf(p, i, manifestUrl);
    renditions.push(r);
    if (p.sidx !== undefined && p.segments.length === 0) {
      const b = p.sidx.byterange;
      pendingIndex.push({ renditionId: r.id, url: p.sidx.resolvedUri, range: { start: b.offset, end: b.offset + b.length - 1 } });
    }
  }
  if (renditions.length === 0) throw new InputError('the MPD has no video Representation', { file: manifestUrl });
  return { renditions, pendingIndex, dynamic, notes };
}

function renditionOf(p: MpdPlaylist, i: number, source: string): ManifestRendition {
  const a = p.attributes;
  const id = a.NAME ?? String(i);
  if (a.BANDWIDTH === undefined || !(a.BANDWIDTH > 0)) {
    throw new InputError(`Representation "${id}" has no @bandwidth`, { file: source });
  }
  const segments: ManifestSegment[] = p.segments.map((s) => ({
    url: s.resolvedUri,
    durationMs: manifestSecondsToMs(s.duration),
    ...(s.byterange === undefined ? {} : { range: { start: s.byterange.offset, end: s.byterange.offset + s.byterange.length - 1 } }),
  }));
  const map = p.segments[0]?.map ?? p.sidx?.map;
  const r: ManifestRendition = {
    id,
    bitrateKbps: bpsToKbps(a.BANDWIDTH),
    width: a.RESOLUTION?.width ?? 1,
    height: a.RESOLUTION?.height ?? 1,
    codecs: a.CODECS ?? '',
    segments,
  };
  if (map !== undefined && map.resolvedUri !== '') {
    r.init = {
      url: map.resolvedUri,
      ...(map.byterange === undefined ? {} : { range: { start: map.byterange.offset, end: map.byterange.offset + map.byterange.length - 1 } }),
    };
  }
  return r;
}

/** Fills a SegmentBase rendition's segments from its fetched `sidx` bytes (the index range's content). */
export function applySidx(parsed: ParsedMpd, pending: PendingIndex, bytes: Uint8Array): void {
  const r = parsed.renditions.find((x) => x.id === pending.renditionId);
  if (r === undefined) throw new RangeError(`no rendition ${pending.renditionId}`);
  const refs = parseSidx(bytes, pending.range.start, pending.url);
  if (refs.some((x) => x.isIndex)) {
    throw new InputError('hierarchical sidx (an index referencing other indexes) is not supported', { file: pending.url });
  }
  r.segments = refs.map((x) => ({
    url: pending.url,
    range: { start: x.offset, end: x.offset + x.sizeBytes - 1 },
    durationMs: x.durationMs,
  }));
}

/** The title of a parsed MPD, once every pending index has been applied. */
export function mpdTitle(parsed: ParsedMpd, manifestUrl: string, name: string): LiveTitle {
  return buildTitle({ kind: 'dash', manifestUrl, name, renditions: parsed.renditions, dynamic: parsed.dynamic, notes: parsed.notes });
}
