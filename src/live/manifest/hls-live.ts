import type { Clock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import { sToMs } from '../../core/units.js';
import type { TransferHandle, Transport, TransportErrorKind } from '../../player/transport.js';
import type { Fetcher } from './load.js';
import { hlsRendition, parseHlsMedia, type HlsMediaInfo, type HlsVariant } from './hls.js';
import { buildTitle, type LiveTiming, type LiveTitle, type ManifestSegment } from './title.js';

/**
 * A live HLS event (media playlists without EXT-X-ENDLIST, with EXT-X-PROGRAM-DATE-TIME) played at the edge.
 *
 * Unlike a DASH template, an HLS playlist names only the segments published so far: the client must reload it
 * to learn each new segment's URI (RFC 8216 §6.3.4). Catalog index = media sequence number. Segments not yet
 * listed get a placeholder URL (`<playlist>#abrlab-msn=<n>`) that `HlsWindowTransport` resolves by reloading
 * that variant's playlist just before the request — what hls.js does for the level it is loading.
 *
 * Timing: PROGRAM-DATE-TIME maps media to the encoder's wall clock (segment n starts at PDT(first) +
 * (n − first)·D), so latency to the edge is measured from it as for DASH. The publishing delay is not in the
 * playlist: it is bounded from the window instead. The newest segment N listed in a playlist fetched at T was
 * published by T, so delay ≤ T − (encoder start + (N + 1)·D); the tightest bound over the variants is used. It
 * is an upper bound (up to one segment late), so the client never asks before publication: it may ask later
 * than needed, which costs buffer, not latency (latency is fixed at the join).
 */
export const MSN_MARK = '#abrlab-msn=';

export function hlsLiveTitle(args: {
  url: string;
  name: string;
  variants: readonly HlsVariant[];
  medias: readonly HlsMediaInfo[];
  /** Wall-clock epoch ms when each media playlist's response arrived. */
  fetchedAtEpochMs: readonly number[];
  /** List segments up to this long past now, ms (HLS never says when an event ends). */
  liveWatchMs?: number;
  notes: string[];
}): LiveTitle | undefined {
  const { medias } = args;
  if (medias.some((m) => !m.live || m.programDateTime === undefined || m.segments.length === 0)) return undefined;
  const first = medias[0] as HlsMediaInfo;
  const D = first.segments[0]?.durationMs as number;
  // The arithmetic needs one segment length throughout (a live encoder's fixed GOP cadence).
  if (medias.some((m) => m.segments.some((s) => Math.abs(s.durationMs - D) > 1))) return undefined;
  const pdt = first.programDateTime as { sequence: number; epochMs: number };
  const encoderStartEpochMs = pdt.epochMs - pdt.sequence * D;
  let publishDelayMs = Infinity;
  medias.forEach((m, i) => {
    const newest = m.sequence[m.sequence.length - 1] as number;
    publishDelayMs = Math.min(publishDelayMs, (args.fetchedAtEpochMs[i] as number) - (encoderStartEpochMs + (newest + 1) * D));
  });
  if (args.liveWatchMs === undefined) {
    throw new InputError('a live HLS playlist does not say when the event ends: say how long to watch with --duration', { file: args.url });
  }
  const nowEpochMs = Math.max(...args.fetchedAtEpochMs);
  // Up to now plus the watch time and a minute of slack for stalls.
  const count = Math.ceil((nowEpochMs - encoderStartEpochMs + args.liveWatchMs + sToMs(60)) / D);
  const timing: LiveTiming = {
    encoderStartEpochMs,
    publishDelayMs: Math.max(0, publishDelayMs),
    segmentDurationMs: D,
    minimumUpdatePeriodMs: first.targetDurationMs,
    source: 'HLS EXT-X-PROGRAM-DATE-TIME; publishing delay bounded from the playlist window',
  };
  const renditions = args.variants.map((v, i) => {
    const m = medias[i] as HlsMediaInfo;
    const known = new Map<number, ManifestSegment>();
    m.segments.forEach((s, k) => known.set(m.sequence[k] as number, s));
    const segments: ManifestSegment[] = [];
    for (let n = 0; n < count; n++) segments.push(known.get(n) ?? { url: `${v.url}${MSN_MARK}${n}`, durationMs: D });
    return hlsRendition(v, { ...m, segments });
  });
  const notes = [...args.notes, 'live playlist: played as a live event at the edge; playlists reloaded for segments not yet listed'];
  return buildTitle({ kind: 'hls', manifestUrl: args.url, name: args.name, renditions, dynamic: true, notes, live: timing });
}

/**
 * Resolves placeholder URLs of a live HLS title: reloads the variant's playlist, then requests the segment it
 * now lists. The reload's time counts in the request's time to first byte, as it does for a real player.
 */
export class HlsWindowTransport implements Transport {
  private readonly known = new Map<string, string>();
  private endedAt: number | undefined;

  /**
   * @param onEndList called once, with the last segment's sequence number, when a reloaded playlist has
   *   EXT-X-ENDLIST: the event is over, and a request past its end is left pending (the caller ends the session
   *   when the playhead reaches the end; the player's catalog cannot shrink).
   */
  constructor(
    private readonly inner: Transport,
    private readonly fetch: Fetcher,
    private readonly clock: Clock,
    private readonly onEndList?: (lastSequence: number) => void,
  ) {}

  request(req: Parameters<Transport['request']>[0], listener: Parameters<Transport['request']>[1]): TransferHandle {
    const at = req.url.indexOf(MSN_MARK);
    if (at < 0) return this.inner.request(req, listener);
    const cached = this.known.get(req.url);
    if (cached !== undefined) return this.inner.request({ ...req, url: cached }, listener);
    const playlistUrl = req.url.slice(0, at);
    let aborted = false;
    let handle: TransferHandle | undefined;
    const fail = (kind: TransportErrorKind): void => {
      if (!aborted) listener.onError(kind, this.clock.nowMs());
    };
    this.fetch(playlistUrl)
      .then((bytes) => {
        if (aborted) return;
        const media = parseHlsMedia(new TextDecoder().decode(bytes), playlistUrl);
        media.sequence.forEach((n, k) => this.known.set(`${playlistUrl}${MSN_MARK}${n}`, (media.segments[k] as ManifestSegment).url));
        const url = this.known.get(req.url);
        if (!media.live && this.endedAt === undefined) {
          this.endedAt = media.sequence[media.sequence.length - 1] ?? -1;
          this.onEndList?.(this.endedAt);
        }
        if (url === undefined && this.endedAt !== undefined) return;
        if (url === undefined) return fail('http-404');
        handle = this.inner.request({ ...req, url }, listener);
      })
      .catch((err: unknown) => fail(/HTTP 404/.test(String(err)) ? 'http-404' : /HTTP 503/.test(String(err)) ? 'http-503' : 'http-other'));
    return {
      loadedBytes: () => handle?.loadedBytes() ?? 0,
      totalBytes: () => handle?.totalBytes(),
      firstByteMs: () => handle?.firstByteMs(),
      abort: () => {
        aborted = true;
        handle?.abort();
      },
    };
  }
}
