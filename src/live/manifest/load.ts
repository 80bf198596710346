import { Agent } from 'undici';
import { InputError } from '../../core/errors.js';
import { sToMs } from '../../core/units.js';
import { readDashLive } from './dash-live.js';
import { hlsLiveTitle } from './hls-live.js';
import { parseMpd, applySidx, mpdTitle, checkWellFormedXml } from './mpd.js';
import { hlsRendition, isHlsMaster, parseHlsMaster, parseHlsMedia } from './hls.js';
import { buildTitle, titleNameFromUrl, type ByteRange, type LiveTitle } from './title.js';

/** Fetches a URL (or a byte range of it) as bytes; live mode uses HTTP, tests may pass a map of texts. */
export type Fetcher = (url: string, range?: ByteRange) => Promise<Uint8Array>;

/** Manifests and indexes larger than this are refused (a manifest is kilobytes; this bounds memory). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** A `Fetcher` over undici with a timeout per request and a size cap; errors name the URL. */
export function httpFetcher(opts: { timeoutMs?: number; agent?: Agent } = {}): Fetcher {
  const agent = opts.agent ?? new Agent({ connections: 4 });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return async (url, range) => {
    const u = new URL(url);
    let res;
    try {
      res = await agent.request({
        origin: u.origin,
        path: u.pathname + u.search,
        method: 'GET',
        headers: range === undefined ? {} : { range: `bytes=${range.start}-${range.end}` },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (err) {
      throw new InputError(`cannot fetch (${(err as { code?: string }).code ?? (err as Error).message})`, { file: url });
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump();
      throw new InputError(`HTTP ${res.statusCode}`, { file: url });
    }
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const chunk of res.body) {
      n += (chunk as Buffer).length;
      if (n > MAX_MANIFEST_BYTES) {
        res.body.destroy();
        throw new InputError(`larger than ${MAX_MANIFEST_BYTES} bytes; not a manifest`, { file: url });
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };
}

const decoder = new TextDecoder('utf-8');

/**
 * Loads a title from a DASH MPD or an HLS master (or single media) playlist URL: the manifest is fetched and
 * recognised by its content (`#EXTM3U` or XML), HLS media playlists are fetched (at most 4 at a time), and
 * DASH SegmentBase indexes (`sidx`) are fetched and read.
 */
export async function loadTitle(
  url: string,
  opts: {
    fetch: Fetcher;
    nowEpochMs?: number;
    name?: string;
    /** A live event without a known end is listed up to now + this, ms. */
    liveWatchMs?: number;
    /** The wall clock (epoch ms) as each live HLS playlist arrives; without it a live playlist is a fixed window. */
    epochNowMs?: () => number;
  },
): Promise<LiveTitle> {
  const text = decoder.decode(await opts.fetch(url));
  const name = opts.name ?? titleNameFromUrl(url);
  if (text.includes('#EXTM3U')) return loadHls(url, text, name, opts);
  if (/<MPD[\s>]/.test(text)) {
    if (opts.nowEpochMs !== undefined) {
      const live = dashLiveTitle(text, url, name, { nowEpochMs: opts.nowEpochMs, ...(opts.liveWatchMs === undefined ? {} : { liveWatchMs: opts.liveWatchMs }) });
      if (live !== undefined) return live;
    }
    const parsed = parseMpd(text, url, opts.nowEpochMs === undefined ? {} : { nowEpochMs: opts.nowEpochMs });
    await mapLimit(parsed.pendingIndex, 4, async (p) => applySidx(parsed, p, await opts.fetch(p.url, p.range)));
    return mpdTitle(parsed, url, name);
  }
  throw new InputError('neither an HLS playlist (#EXTM3U) nor a DASH MPD (<MPD>)', { file: url });
}

/**
 * A dynamic MPD with a SegmentTemplate@duration as a live event: every segment of the event (its scheduled
 * length, or up to now + the watch time when the MPD gives no end), published per the template's timing.
 */
function dashLiveTitle(text: string, url: string, name: string, opts: { nowEpochMs: number; liveWatchMs?: number }): LiveTitle | undefined {
  const read = readDashLive(checkWellFormedXml(text, url), url);
  if (read === undefined) return undefined;
  const { info } = read;
  let endMs = info.durationMs;
  if (endMs === undefined) {
    if (opts.liveWatchMs === undefined) {
      throw new InputError('the live MPD gives no mediaPresentationDuration (an open-ended event): say how long to watch with --duration', { file: url });
    }
    // Open-ended: list what can be reached — up to now plus the watch time and a minute of slack for stalls.
    endMs = opts.nowEpochMs - info.encoderStartEpochMs + opts.liveWatchMs + sToMs(60);
  }
  const count = Math.max(1, Math.ceil(endMs / info.segmentDurationMs - 1e-9));
  const notes = ['dynamic MPD: played as a live event at the edge; segment availability computed from the SegmentTemplate (no MPD refresh)'];
  return buildTitle({ kind: 'dash', manifestUrl: url, name, renditions: read.renditions(count), dynamic: true, notes, live: info });
}

async function loadHls(url: string, text: string, name: string, opts: { fetch: Fetcher; liveWatchMs?: number; epochNowMs?: () => number }): Promise<LiveTitle> {
  if (!isHlsMaster(text, url)) {
    throw new InputError('a media playlist carries no bitrate ladder: give the master (multivariant) playlist', { file: url });
  }
  const master = parseHlsMaster(text, url);
  const fetchedAtEpochMs: number[] = [];
  const medias = await mapLimit(master.variants, 4, async (v) => {
    const bytes = await opts.fetch(v.url);
    fetchedAtEpochMs[master.variants.indexOf(v)] = opts.epochNowMs?.() ?? NaN;
    return parseHlsMedia(decoder.decode(bytes), v.url);
  });
  const live = medias.some((m) => m.live);
  const mediaNotes = [...new Set(medias.flatMap((m) => m.notes))];
  if (live && opts.epochNowMs !== undefined) {
    const event = hlsLiveTitle({ url, name, variants: master.variants, medias, fetchedAtEpochMs, ...(opts.liveWatchMs === undefined ? {} : { liveWatchMs: opts.liveWatchMs }), notes: [...master.notes, ...mediaNotes] });
    if (event !== undefined) return event;
  }
  const notes = [...master.notes, ...mediaNotes, ...(live ? ['live playlist (no ENDLIST): the segments listed now are played as a fixed window'] : [])];
  return buildTitle({
    kind: 'hls',
    manifestUrl: url,
    name,
    renditions: master.variants.map((v, i) => hlsRendition(v, medias[i] as ReturnType<typeof parseHlsMedia>)),
    dynamic: live,
    notes,
  });
}

/** Runs `fn` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
