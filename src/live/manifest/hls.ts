import HLS from 'hls-parser';
import type { types as HlsTypes } from 'hls-parser';
import { InputError } from '../../core/errors.js';
import { bpsToKbps, sToMs } from '../../core/units.js';
import { manifestSecondsToMs, type ManifestRendition, type ManifestSegment } from './title.js';

/** A variant of a master playlist: where its media playlist is and what it claims. */
export interface HlsVariant {
  id: string;
  url: string;
  bitrateKbps: number;
  width: number;
  height: number;
  codecs: string;
}

export interface HlsMediaInfo {
  segments: ManifestSegment[];
  init?: { url: string; range?: { start: number; end: number } };
  /** No EXT-X-ENDLIST: a live playlist (its current window). */
  live: boolean;
  /** Media sequence number of each listed segment (EXT-X-MEDIA-SEQUENCE + position). */
  sequence: number[];
  /** EXT-X-PROGRAM-DATE-TIME of the first listed segment that has one, as [its sequence number, epoch ms]. */
  programDateTime?: { sequence: number; epochMs: number };
  /** EXT-X-TARGETDURATION, ms. */
  targetDurationMs: number;
  /** What was left out (LL-HLS parts of a segment still being built). */
  notes: string[];
}

/**
 * Runs hls-parser (kuu/hls-parser: typed, no dependencies, master and media playlists, EXT-X-BYTERANGE with
 * implicit offsets, EXT-X-MAP, LL-HLS tags) in its lenient mode, with its console warnings silenced for this
 * one synchronous call. Its options are module-wide, so they are put back at once; nothing else can run between.
 */
function parseText(text: string, source: string): HlsTypes.MasterPlaylist | HlsTypes.MediaPlaylist {
  if (!/^\s*(#[^\n]*\n\s*)*#EXTM3U/.test(text) && !text.includes('#EXTM3U')) {
    throw new InputError('not an HLS playlist (no #EXTM3U line)', { file: source });
  }
  const saved = HLS.getOptions();
  HLS.setOptions({ ...saved, silent: true, strictMode: false });
  try {
    return HLS.parse(text) as HlsTypes.MasterPlaylist | HlsTypes.MediaPlaylist;
  } catch (err) {
    throw new InputError(`hls-parser could not read the playlist: ${(err as Error).message}`, { file: source });
  } finally {
    HLS.setOptions(saved);
  }
}

/** True when `text` is a master (multivariant) playlist. */
export function isHlsMaster(text: string, source: string): boolean {
  return parseText(text, source).isMasterPlaylist;
}

/**
 * Video variants of a master playlist, with absolute media playlist URLs. I-frame-only (trick play) variants and
 * audio-only variants (no RESOLUTION and an audio-only CODECS) are left out.
 */
export function parseHlsMaster(text: string, url: string): { variants: HlsVariant[]; notes: string[] } {
  const p = parseText(text, url);
  if (!p.isMasterPlaylist) throw new InputError('expected a master playlist, got a media playlist', { file: url });
  const notes: string[] = [];
  const variants: HlsVariant[] = [];
  let iframes = 0;
  let audioOnly = 0;
  for (const [i, v] of p.variants.entries()) {
    if (v.isIFrameOnly) {
      iframes++;
      continue;
    }
    const codecs = v.codecs ?? '';
    if (v.resolution === undefined && codecs !== '' && !/avc|hvc|hev|av01|vp0?9|vp8/i.test(codecs)) {
      audioOnly++;
      continue;
    }
    if (!(v.bandwidth > 0)) throw new InputError(`variant ${i + 1} (${v.uri}) has no BANDWIDTH`, { file: url });
    variants.push({
      id: `${i}`,
      url: new URL(v.uri, url).href,
      bitrateKbps: bpsToKbps(v.averageBandwidth ?? v.bandwidth),
      width: v.resolution?.width ?? 1,
      height: v.resolution?.height ?? 1,
      codecs,
    });
  }
  if (iframes > 0) notes.push(`${iframes} I-frame (trick play) variant(s) ignored`);
  if (audioOnly > 0) notes.push(`${audioOnly} audio-only variant(s) ignored`);
  if (variants.length === 0) throw new InputError('the master playlist has no video variant', { file: url });
  return { variants, notes };
}

/** Segments of a media playlist, with absolute URLs and byte ranges. */
export function parseHlsMedia(text: string, url: string): HlsMediaInfo {
  const p = parseText(text, url);
  if (p.isMasterPlaylist) throw new InputError('expected a media playlist, got a master playlist', { file: url });
  // LL-HLS: the last entry may be only EXT-X-PARTs of a segment still being built (no URI, no EXTINF yet);
  // abrlab fetches whole segments, so it is left out.
  const whole = p.segments.filter((s) => s.uri !== undefined && s.uri !== '');
  const notes = whole.length < p.segments.length ? [`${p.segments.length - whole.length} partial (LL-HLS parts only) segment(s) ignored`] : [];
  const segments: ManifestSegment[] = whole.map((s, i) => {
    if (!(s.duration > 0)) throw new InputError(`segment ${i + 1} (${s.uri}) has EXTINF duration ${s.duration}`, { file: url });
    const seg: ManifestSegment = { url: new URL(s.uri, url).href, durationMs: manifestSecondsToMs(s.duration) };
    if (s.byterange !== undefined) seg.range = { start: s.byterange.offset, end: s.byterange.offset + s.byterange.length - 1 };
    return seg;
  });
  const map = whole[0]?.map ?? undefined;
  const info: HlsMediaInfo = { segments, live: !p.endlist, notes, sequence: whole.map((s) => s.mediaSequenceNumber), targetDurationMs: sToMs(p.targetDuration) };
  const dated = whole.find((s) => s.programDateTime !== undefined);
  if (dated?.programDateTime !== undefined) info.programDateTime = { sequence: dated.mediaSequenceNumber, epochMs: dated.programDateTime.getTime() };
  if (map !== undefined) {
    info.init = {
      url: new URL(map.uri, url).href,
      ...(map.byterange === undefined ? {} : { range: { start: map.byterange.offset, end: map.byterange.offset + map.byterange.length - 1 } }),
    };
  }
  return info;
}

/** A variant with its media playlist read: one rendition of the title. */
export function hlsRendition(v: HlsVariant, media: HlsMediaInfo): ManifestRendition {
  return {
    id: v.id,
    bitrateKbps: v.bitrateKbps,
    width: v.width,
    height: v.height,
    codecs: v.codecs,
    segments: media.segments,
    ...(media.init === undefined ? {} : { init: media.init }),
  };
}
