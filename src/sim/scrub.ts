/**
 * The scrubbing user of trick play (reference streaming-architecture.md §2.5): the user grabs the seek bar at
 * media position `fromMs`, drags it to `toMs` over `dragMs` while the pointer reports a hover every ~100 ms (a
 * browser's mousemove rate under a steady drag), and then — optionally — lets go, which seeks the player there.
 * Every hover asks a `ThumbnailLoader` for the thumbnail under the pointer; the loader fetches sprite sheets over
 * the session's link, so they compete with the video.
 *
 * Episodes are drawn per user in src/experiment/plan.ts; this module only plays them out on the session clock
 * and sums up what the loader saw.
 */
import type { Clock, TimerId } from '../core/clock.js';
import { REFERENCE_THUMBNAILS, sheetCount } from '../content/trickplay/layout.js';
import type { FluidLink } from '../net/fluid-link.js';
import { SimTransport } from '../net/sim-transport.js';
import type { Catalog } from '../origin/catalog.js';
import { SingleOrigin, type Origin } from '../origin/origin.js';
import { SIM_THUMBS_PREFIX, ThumbnailOrigin, titleSpriteSizes, type SpriteSizesInput } from '../origin/thumbnails.js';
import { ThumbnailLoader, type ThumbnailStats } from '../player/trickplay/thumbnail-loader.js';
import type { Transport } from '../player/transport.js';
import type { TrickplaySummary } from '../qoe/types.js';

/** One scrub: a drag along the seek bar, then maybe a seek. */
export interface ScrubEpisode {
  /** Session (clock) time the drag starts, ms. */
  atMs: number;
  /** Media time under the pointer when the drag starts, ms. */
  fromMs: number;
  /** Media time under the pointer when the drag ends, ms. */
  toMs: number;
  /** How long the drag lasts, ms. */
  dragMs: number;
  /** Whether the user lets go on `toMs` (a seek there at `atMs + dragMs`) or gives up (no seek). */
  seek: boolean;
}

/** Trick-play settings of a simulated session (the loader's defaults are the reference's). */
export interface TrickplayOptions {
  /** Fetch thumbnails at all (false: the user still drags and seeks, but no sprite is loaded — an A/B control). */
  enabled?: boolean;
  /** Sprite sheets kept in the client's LRU (reference: 5). */
  cacheSheets?: number;
  /** Sheets preloaded each side of the one under the pointer (reference: 2). */
  preloadRadius?: number;
  /** Sheet downloads in flight at most (reference: 3). */
  maxParallel?: number;
  /** Time between two hover events of a drag, ms (default 100). */
  hoverEveryMs?: number;
  /** Sprite sheet size range (reference: 150–250 KB; each sheet's size drawn from the title's name). */
  sheetSizes?: SpriteSizesInput;
}

export const DEFAULT_HOVER_EVERY_MS = 100;

/**
 * Plays scrub episodes on the clock: a timer per episode start, then one chained timer per hover (so a long
 * session does not hold thousands of timers up front). `stop()` cancels whatever is pending.
 */
export class ScrubDriver {
  private readonly timers = new Set<TimerId>();
  private stopped = false;

  constructor(
    private readonly p: {
      clock: Clock;
      episodes: readonly ScrubEpisode[];
      /** Absent when thumbnails are off: the drags then only end in their seeks. */
      loader: ThumbnailLoader | undefined;
      seek: (toMs: number) => void;
      hoverEveryMs?: number;
    },
  ) {}

  start(): void {
    for (const e of this.p.episodes) this.at(e.atMs, () => this.hover(e, 0, hoverCount(e, this.every())));
  }

  /** Cancels pending hovers and seeks (the session ended). The loader is closed by its owner. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) this.p.clock.cancel(t);
    this.timers.clear();
  }

  private every(): number {
    return this.p.hoverEveryMs ?? DEFAULT_HOVER_EVERY_MS;
  }

  /** Hover `k` of `n + 1` (k = 0 at the start, k = n on the target), then the next, then the release. */
  private hover(e: ScrubEpisode, k: number, n: number): void {
    if (this.stopped) return;
    const f = n === 0 ? 1 : k / n;
    this.p.loader?.hover(e.fromMs + (e.toMs - e.fromMs) * f);
    if (k < n) {
      this.at(e.atMs + (e.dragMs * (k + 1)) / n, () => this.hover(e, k + 1, n));
    } else if (e.seek) {
      this.p.seek(e.toMs);
    }
  }

  private at(atMs: number, fn: () => void): void {
    const id: TimerId = this.p.clock.setTimer(atMs, () => {
      this.timers.delete(id);
      fn();
    });
    this.timers.add(id);
  }
}

/** Hover steps of a drag: about one per `everyMs`, at least one step so the start and the target are both shown. */
export function hoverCount(e: Pick<ScrubEpisode, 'dragMs'>, everyMs: number): number {
  return Math.max(1, Math.round(e.dragMs / everyMs));
}

/** The `trickplay` field of a session result, from the loader's counters. */
export function trickplaySummary(p: { episodes: number; stats: ThumbnailStats | undefined }): TrickplaySummary {
  const s = p.stats;
  if (s === undefined) return { enabled: false, episodes: p.episodes, requests: 0, hits: 0, hitRate: 0, shown: 0, sheetDownloads: 0, bytes: 0, failures: 0 };
  const sorted = [...s.latenciesMs].sort((a, b) => a - b);
  const out: TrickplaySummary = {
    enabled: true,
    episodes: p.episodes,
    requests: s.requests,
    hits: s.hits,
    hitRate: s.requests > 0 ? s.hits / s.requests : 0,
    shown: sorted.length,
    sheetDownloads: s.sheetDownloads,
    bytes: s.bytes,
    failures: s.failures,
  };
  if (sorted.length > 0) {
    out.latencyMeanMs = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    out.latencyP95Ms = quantileType7(sorted, 0.95);
  }
  return out;
}

/** Quantile of sorted values, Hyndman–Fan type 7 (numpy's default), as summary.json's figures are computed. */
function quantileType7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[Math.ceil(h)] as number) - a);
}

/** What a session with scrub episodes needs: the episodes, the settings and the title's sprite sizes. */
export interface ScrubSetup {
  episodes: readonly ScrubEpisode[];
  options: TrickplayOptions;
  /** Bytes of sprite sheet k of the title (reference layout: 320×180 every 10 s, 25 per sheet). */
  sheetBytes: number[];
}

/** The setup of a session, or undefined when it has no scrub episodes (nothing changes on the plain path). */
export function scrubSetup(p: { scrubs: readonly ScrubEpisode[] | undefined; trickplay: TrickplayOptions | undefined; catalog: Catalog }): ScrubSetup | undefined {
  if (p.scrubs === undefined || p.scrubs.length === 0) return undefined;
  const options = p.trickplay ?? {};
  const sheets = sheetCount(p.catalog.durationMs, REFERENCE_THUMBNAILS);
  const sheetBytes = titleSpriteSizes({ name: p.catalog.name, sheets, ...(options.sheetSizes === undefined ? {} : { sizes: options.sheetSizes }) });
  return { episodes: p.scrubs, options, sheetBytes };
}

/** `inner` answering sprite sheets too, when the session scrubs. */
export function withThumbnails(inner: Origin, setup: ScrubSetup | undefined): Origin {
  return setup === undefined ? inner : new ThumbnailOrigin({ inner, sheetBytes: setup.sheetBytes });
}

/** Starts the scrubbing user (and the loader, unless thumbnails are off); `stop()` at the session's end. */
export function startScrubbing(p: { clock: Clock; setup: ScrubSetup; transport: Transport; catalog: Catalog; seek: (toMs: number) => void }): {
  stop(): void;
  summary(): TrickplaySummary;
} {
  const o = p.setup.options;
  const loader =
    o.enabled === false
      ? undefined
      : new ThumbnailLoader(p.clock, p.transport, {
          layout: REFERENCE_THUMBNAILS,
          durationMs: p.catalog.durationMs,
          baseUrl: SIM_THUMBS_PREFIX,
          ...(o.cacheSheets === undefined ? {} : { cacheSheets: o.cacheSheets }),
          ...(o.preloadRadius === undefined ? {} : { preloadRadius: o.preloadRadius }),
          ...(o.maxParallel === undefined ? {} : { maxParallel: o.maxParallel }),
        });
  const driver = new ScrubDriver({
    clock: p.clock,
    episodes: p.setup.episodes,
    loader,
    seek: p.seek,
    ...(o.hoverEveryMs === undefined ? {} : { hoverEveryMs: o.hoverEveryMs }),
  });
  driver.start();
  return {
    stop() {
      driver.stop();
      loader?.close();
    },
    summary: () => trickplaySummary({ episodes: p.setup.episodes.length, stats: loader?.stats }),
  };
}
