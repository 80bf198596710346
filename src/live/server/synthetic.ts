import { REFERENCE_THUMBNAILS, sheetCount, spriteMetadata } from '../../content/trickplay/layout.js';
import { writeThumbnailVtt } from '../../content/trickplay/webvtt.js';
import type { Catalog } from '../../origin/catalog.js';
import { titleSpriteSizes } from '../../origin/thumbnails.js';

/**
 * Synthetic content for `abrlab serve --catalog`: a DASH MPD and HLS playlists describing a catalog, and media
 * segments whose bodies are generated on the fly at the catalog's sizes (nothing is stored; a body is slices of
 * one shared filler buffer). Segment URLs are `v/<repId>/<n>.m4s` (DASH) and `v/<repId>/<n>.ts` (HLS), with
 * `n` starting at 1 (the MPD's `startNumber`), both naming the same body.
 *
 * Trick play (reference §2.5): `/thumbs/metadata.json`, `/thumbs/thumbnails.vtt` and `/thumbs/sprite_NN.jpg`, the
 * reference layout (320×180 every 10 s, 5×5 per sheet) with sheets of the simulator's sizes (150–250 KB, drawn
 * from the catalog's name: src/origin/thumbnails.ts `titleSpriteSizes`, so the simulator and the server agree). Sprite bodies are filler of the right size,
 * not pictures: they exist to load the link as real sheets would.
 */

/** A representation id usable in a URL path; other ids are replaced by the rung's index. */
export function pathId(catalog: Catalog, repIndex: number): string {
  const id = catalog.representations[repIndex]?.id ?? String(repIndex);
  return /^[A-Za-z0-9_.-]+$/.test(id) && id !== '.' && id !== '..' ? id : `r${repIndex}`;
}

/** ISO 8601 duration of `ms` (`PT12.345S`), as MPD@mediaPresentationDuration wants. */
export function isoDuration(ms: number): string {
  return `PT${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}S`;
}

/** A static DASH MPD (isoff-live profile) with one video AdaptationSet and a SegmentTemplate `$Number$`. */
export function syntheticMpd(catalog: Catalog): string {
  const reps = catalog.representations
    .map((r, i) => {
      const id = pathId(catalog, i);
      return `      <Representation id="${id}" bandwidth="${Math.round(r.bitrateKbps * 1000)}" width="${r.width}" height="${r.height}" codecs="${r.codecs}"/>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static" mediaPresentationDuration="${isoDuration(catalog.durationMs)}" minBufferTime="PT2S">
  <Period id="0" start="PT0S">
    <AdaptationSet contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
      <SegmentTemplate media="v/$RepresentationID$/$Number$.m4s" startNumber="1" timescale="1000" duration="${Math.round(catalog.segmentDurationMs)}"/>
${reps}
    </AdaptationSet>
  </Period>
</MPD>
`;
}

/** The HLS master (multivariant) playlist: one variant per rung, BANDWIDTH and AVERAGE-BANDWIDTH the nominal rate. */
export function syntheticMaster(catalog: Catalog): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  catalog.representations.forEach((r, i) => {
    const bps = Math.round(r.bitrateKbps * 1000);
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${bps},AVERAGE-BANDWIDTH=${bps},RESOLUTION=${r.width}x${r.height},CODECS="${r.codecs}"`);
    lines.push(`v/${pathId(catalog, i)}/index.m3u8`);
  });
  return lines.join('\n') + '\n';
}

/** The VOD media playlist of rung `repIndex` (URIs relative to it: `<n>.ts`). */
export function syntheticMedia(catalog: Catalog, repIndex: number): string {
  const target = Math.ceil(catalog.segmentDurationMs / 1000);
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD'];
  for (let i = 0; i < catalog.segmentCount; i++) {
    lines.push(`#EXTINF:${(catalog.segmentDurationAt(i) / 1000).toFixed(3)},`, `${i + 1}.ts`);
  }
  lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}

/** What a path of the synthetic origin names. */
export type SyntheticResource =
  | { kind: 'manifest'; contentType: string; text: string }
  | { kind: 'media'; contentType: string; sizeBytes: number; repIndex: number; segmentIndex: number }
  | { kind: 'thumbnail'; contentType: string; sizeBytes: number; sheet: number };

/** Sprite-sheet sizes of a catalog's synthetic thumbnails (the same stream as the simulator's for the title). */
export function syntheticSpriteSizes(catalog: Catalog): number[] {
  return titleSpriteSizes({ name: catalog.name, sheets: sheetCount(catalog.durationMs, REFERENCE_THUMBNAILS) });
}

/** Resolves request paths against a catalog; manifests are rendered once. */
export class SyntheticContent {
  private readonly mpd: string;
  private readonly master: string;
  private readonly media: string[];
  private readonly repByPathId = new Map<string, number>();
  private readonly thumbsMetadata: string;
  private readonly thumbsVtt: string;
  private readonly spriteBytes: number[];

  constructor(readonly catalog: Catalog) {
    this.mpd = syntheticMpd(catalog);
    this.master = syntheticMaster(catalog);
    this.media = catalog.representations.map((_, i) => syntheticMedia(catalog, i));
    catalog.representations.forEach((_, i) => this.repByPathId.set(pathId(catalog, i), i));
    this.thumbsMetadata = JSON.stringify(spriteMetadata({ contentId: catalog.name, durationMs: catalog.durationMs, baseUrl: 'thumbs/' }), null, 2) + '\n';
    this.thumbsVtt = writeThumbnailVtt({ durationMs: catalog.durationMs });
    this.spriteBytes = syntheticSpriteSizes(catalog);
  }

  /** The resource at a URL path (already decoded), or undefined (404). */
  resolve(path: string): SyntheticResource | undefined {
    if (path === '/manifest.mpd') return { kind: 'manifest', contentType: 'application/dash+xml', text: this.mpd };
    if (path === '/master.m3u8') return { kind: 'manifest', contentType: 'application/vnd.apple.mpegurl', text: this.master };
    if (path.startsWith('/thumbs/')) return this.thumbnail(path.slice('/thumbs/'.length));
    const m = /^\/v\/([^/]+)\/(index\.m3u8|(\d+)\.(m4s|ts))$/.exec(path);
    if (m === null) return undefined;
    const repIndex = this.repByPathId.get(m[1] as string);
    if (repIndex === undefined) return undefined;
    if (m[2] === 'index.m3u8') return { kind: 'manifest', contentType: 'application/vnd.apple.mpegurl', text: this.media[repIndex] as string };
    const n = Number(m[3]);
    if (!(n >= 1 && n <= this.catalog.segmentCount)) return undefined;
    const sizeBytes = this.catalog.sizesBytes[repIndex]?.[n - 1] ?? 0;
    return {
      kind: 'media',
      contentType: m[4] === 'ts' ? 'video/mp2t' : 'video/iso.segment',
      sizeBytes: Math.round(sizeBytes),
      repIndex,
      segmentIndex: n - 1,
    };
  }

  private thumbnail(name: string): SyntheticResource | undefined {
    if (name === 'metadata.json') return { kind: 'manifest', contentType: 'application/json', text: this.thumbsMetadata };
    if (name === 'thumbnails.vtt') return { kind: 'manifest', contentType: 'text/vtt', text: this.thumbsVtt };
    const m = /^sprite_(\d{2,})\.jpg$/.exec(name);
    const sheet = m === null ? undefined : Number(m[1]);
    const sizeBytes = sheet === undefined ? undefined : this.spriteBytes[sheet];
    if (sheet === undefined || sizeBytes === undefined) return undefined;
    return { kind: 'thumbnail', contentType: 'image/jpeg', sizeBytes, sheet };
  }
}
