import { availableAtMs, dvrStartMs, liveSchema, type LiveConfig } from '../../content/live-edge.js';
import { InputError } from '../../core/errors.js';
import type { Catalog } from '../../origin/catalog.js';
import { isoDuration, pathId, SyntheticContent, type SyntheticResource } from './synthetic.js';

/**
 * `abrlab serve --live`: a catalog served as a live event (reference streaming-architecture.md §3.3). The
 * encoder starts media time 0 at `startEpochMs` (the server's start); segment i covers media [i·D, (i+1)·D) and
 * is published at its end plus the publishing delay (src/content/live-edge.ts `availableAtMs`). Before that a
 * request for it is answered 404, as a packager that has not written the file yet would.
 *
 * The event ENDS after the catalog's duration (it does not loop): the last segment is published at
 * `availableAtMs(segmentCount − 1)`, the HLS playlists then gain EXT-X-ENDLIST, and the MPD says how long the
 * event is from the start (`mediaPresentationDuration`, allowed in a dynamic MPD when the end is known).
 *
 * DASH signalling (ISO/IEC 23009-1): a segment of a SegmentTemplate is available at availabilityStartTime +
 * its end time. The packager publishes `publishDelayMs` after the end, so availabilityStartTime is the encoder's
 * start PLUS the publishing delay: a conforming client (dash.js, shaka, abrlab live) then never asks early.
 * The encoder's own start, which latency to the live edge is measured from, is given by a ProducerReferenceTime
 * (presentation time 0 ↔ its wall-clock time), the element DASH defines for exactly this.
 *
 * HLS: a sliding window of the segments published and still inside the DVR window; EXT-X-MEDIA-SEQUENCE is the
 * first one's index (0-based, as in the catalog) and EXT-X-PROGRAM-DATE-TIME its encoder wall-clock time.
 */
export interface LiveServeOptions {
  /** Encoding + packaging delay after a segment ends, ms (default: live-edge.ts, 2 s). */
  publishDelayMs?: number;
  /** How far behind the edge segments stay listed and served, ms (default: live-edge.ts, 4 h). */
  dvrWindowMs?: number;
  /** Wall-clock (epoch) ms when the encoder starts segment 0; default the server's start. */
  startEpochMs?: number;
}

/** What a path names on a live origin: as the synthetic origin, or a segment not published yet / gone. */
export type LiveResource = SyntheticResource | { kind: 'not-yet'; segmentIndex: number } | { kind: 'gone'; segmentIndex: number };

export class LiveEventContent {
  readonly live: LiveConfig;
  private readonly synthetic: SyntheticContent;
  private readonly masterText: string;

  /**
   * @param nowEpochMs the server's wall clock (epoch ms); the caller keeps it monotonic (performance.now based).
   */
  constructor(
    readonly catalog: Catalog,
    opts: LiveServeOptions & { startEpochMs: number },
    private readonly nowEpochMs: () => number,
  ) {
    const parsed = liveSchema.safeParse({
      segmentDurationMs: catalog.segmentDurationMs,
      availabilityStartMs: opts.startEpochMs,
      ...(opts.publishDelayMs === undefined ? {} : { publishDelayMs: opts.publishDelayMs }),
      ...(opts.dvrWindowMs === undefined ? {} : { dvrWindowMs: opts.dvrWindowMs }),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(issue?.message ?? 'invalid live settings', { field: `--live ${issue?.path.join('.') ?? ''}` });
    }
    this.live = parsed.data;
    for (let i = 0; i < catalog.segmentCount; i++) {
      // $Number$ and the live-edge arithmetic assume equal segments (the reference's live encoder: 2 s each).
      if (Math.abs(catalog.segmentDurationAt(i) - catalog.segmentDurationMs) > 1e-6) {
        throw new InputError(`a live event needs equal segments, but segment ${i} is ${catalog.segmentDurationAt(i)} ms, not ${catalog.segmentDurationMs}`, { field: 'segmentDurationMs' });
      }
    }
    this.synthetic = new SyntheticContent(catalog);
    const master = this.synthetic.resolve('/master.m3u8');
    this.masterText = master?.kind === 'manifest' ? master.text : '';
  }

  /** Index of the newest published segment at `nowEpochMs` (-1 before the first), capped at the event's last. */
  newestPublished(nowEpochMs: number): number {
    const D = this.live.segmentDurationMs;
    const n = Math.floor((nowEpochMs - this.live.availabilityStartMs - this.live.publishDelayMs) / D) - 1;
    return Math.min(n, this.catalog.segmentCount - 1);
  }

  /** Oldest segment still inside the DVR window at `nowEpochMs`. */
  oldestListed(nowEpochMs: number): number {
    return Math.round(dvrStartMs(nowEpochMs, this.live) / this.live.segmentDurationMs);
  }

  resolve(path: string): LiveResource | undefined {
    const now = this.nowEpochMs();
    if (path === '/manifest.mpd') return { kind: 'manifest', contentType: 'application/dash+xml', text: this.mpd(now) };
    if (path === '/master.m3u8') return { kind: 'manifest', contentType: 'application/vnd.apple.mpegurl', text: this.masterText };
    const playlist = /^\/v\/([^/]+)\/index\.m3u8$/.exec(path);
    if (playlist !== null) {
      const exists = this.catalog.representations.some((_, i) => pathId(this.catalog, i) === playlist[1]);
      return exists ? { kind: 'manifest', contentType: 'application/vnd.apple.mpegurl', text: this.mediaPlaylist(now) } : undefined;
    }
    const r = this.synthetic.resolve(path);
    if (r?.kind !== 'media') return r;
    if (now < availableAtMs(r.segmentIndex, this.live)) return { kind: 'not-yet', segmentIndex: r.segmentIndex };
    if (r.segmentIndex < this.oldestListed(now)) return { kind: 'gone', segmentIndex: r.segmentIndex };
    return r;
  }

  /** The dynamic MPD as of `nowEpochMs` (only publishTime changes: the template describes every segment). */
  mpd(nowEpochMs: number): string {
    const c = this.catalog;
    const l = this.live;
    const reps = c.representations
      .map((r, i) => `      <Representation id="${pathId(c, i)}" bandwidth="${Math.round(r.bitrateKbps * 1000)}" width="${r.width}" height="${r.height}" codecs="${r.codecs}"/>`)
      .join('\n');
    const iso = (ms: number): string => new Date(ms).toISOString();
    // Refresh once a segment: nothing but publishTime changes, so a client computing from the template need not.
    return `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="dynamic" availabilityStartTime="${iso(l.availabilityStartMs + l.publishDelayMs)}" publishTime="${iso(nowEpochMs)}" minimumUpdatePeriod="${isoDuration(l.segmentDurationMs)}" timeShiftBufferDepth="${isoDuration(l.dvrWindowMs)}" mediaPresentationDuration="${isoDuration(c.durationMs)}" minBufferTime="PT2S">
  <Period id="0" start="PT0S">
    <AdaptationSet contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
      <ProducerReferenceTime id="0" type="encoder" wallClockTime="${iso(l.availabilityStartMs)}" presentationTime="0"/>
      <SegmentTemplate media="v/$RepresentationID$/$Number$.m4s" startNumber="1" timescale="1000" duration="${Math.round(l.segmentDurationMs)}"/>
${reps}
    </AdaptationSet>
  </Period>
</MPD>
`;
  }

  /** A rung's live media playlist as of `nowEpochMs` (every rung lists the same window; URIs `<index+1>.ts`). */
  mediaPlaylist(nowEpochMs: number): string {
    const D = this.live.segmentDurationMs;
    const newest = this.newestPublished(nowEpochMs);
    const first = Math.min(this.oldestListed(nowEpochMs), Math.max(0, newest));
    const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${Math.ceil(D / 1000)}`, `#EXT-X-MEDIA-SEQUENCE:${first}`];
    if (newest >= first) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(this.live.availabilityStartMs + first * D).toISOString()}`);
    for (let i = first; i <= newest; i++) lines.push(`#EXTINF:${(D / 1000).toFixed(3)},`, `${i + 1}.ts`);
    if (newest === this.catalog.segmentCount - 1) lines.push('#EXT-X-ENDLIST');
    return lines.join('\n') + '\n';
  }
}
