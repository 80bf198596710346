/**
 * The client side of trick play (reference streaming-architecture.md §2.5.3–2.5.4): while the user scrubs, the
 * player shows the thumbnail under the pointer, keeping an LRU cache of 5 sprite sheets, preloading the sheets
 * within ±2 of the one in view, with at most 3 sheet downloads in flight. The downloads go through the session's
 * `Transport`, so in the simulator they compete with the video for the link.
 *
 * Departure from the reference sketch: it loads its queue in batches of 3 and waits for a whole batch before the
 * next; we keep a pool of 3 in flight (a slot is refilled as soon as one finishes), and the sheet under the pointer
 * jumps the queue. Both stay within "≤ 3 parallel"; the pool never idles a slot behind a slow sheet.
 */
import type { Clock } from '../../core/clock.js';
import { spriteFileName, thumbnailAt, type ThumbnailLayout } from '../../content/trickplay/layout.js';
import type { TransferHandle, TransferListener, TransferTiming, Transport, TransportErrorKind } from '../transport.js';

export interface ThumbnailLoaderConfig {
  layout: ThumbnailLayout;
  durationMs: number;
  /** URL prefix of the sprite files (sim: `thumbs/`). */
  baseUrl: string;
  /** Sheets kept (reference: 5). */
  cacheSheets?: number;
  /** Sheets preloaded each side of the one in view (reference: 2). */
  preloadRadius?: number;
  /** Sheet downloads in flight at most (reference: 3). */
  maxParallel?: number;
}

export interface ThumbnailStats {
  /** Hovers that needed a thumbnail. */
  requests: number;
  /** Hovers whose sheet was already cached. */
  hits: number;
  /** Time from hover to the thumbnail being shown, ms, for every hover that was eventually shown. */
  latenciesMs: number[];
  sheetDownloads: number;
  bytes: number;
  failures: number;
}

export class ThumbnailLoader {
  readonly stats: ThumbnailStats = { requests: 0, hits: 0, latenciesMs: [], sheetDownloads: 0, bytes: 0, failures: 0 };
  /** Cached sheets, least recently used first (Map keeps insertion order). */
  private readonly cache = new Map<number, true>();
  private readonly inFlight = new Map<number, TransferHandle>();
  private queue: number[] = [];
  /** Hovers waiting for a sheet: sheet → hover times. */
  private readonly waiting = new Map<number, number[]>();
  private readonly cacheSheets: number;
  private readonly radius: number;
  private readonly maxParallel: number;
  private readonly sheets: number;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly transport: Transport,
    private readonly config: ThumbnailLoaderConfig,
  ) {
    this.cacheSheets = config.cacheSheets ?? 5;
    this.radius = config.preloadRadius ?? 2;
    this.maxParallel = config.maxParallel ?? 3;
    const perSheet = config.layout.columns * config.layout.rows;
    this.sheets = Math.ceil(Math.floor(config.durationMs / config.layout.intervalMs) / perSheet);
  }

  /** The pointer is over media time `mediaMs`. */
  hover(mediaMs: number): void {
    if (this.closed || this.sheets === 0) return;
    const perSheet = this.config.layout.columns * this.config.layout.rows;
    const sheet = Math.floor(thumbnailAt(mediaMs, this.config.durationMs, this.config.layout) / perSheet);
    const now = this.clock.nowMs();
    this.stats.requests++;
    if (this.cache.has(sheet)) {
      this.touch(sheet);
      this.stats.hits++;
      this.stats.latenciesMs.push(0);
    } else {
      const list = this.waiting.get(sheet) ?? [];
      list.push(now);
      this.waiting.set(sheet, list);
    }
    // The sheet in view first, then its neighbours nearest first; older queued sheets after them.
    const wanted = [sheet];
    for (let d = 1; d <= this.radius; d++) wanted.push(sheet - d, sheet + d);
    const fresh = wanted.filter((s) => s >= 0 && s < this.sheets && !this.cache.has(s) && !this.inFlight.has(s));
    this.queue = [...fresh, ...this.queue.filter((s) => !fresh.includes(s))];
    this.pump();
  }

  /** Stops: aborts sheet downloads and forgets the queue (the user left the seek bar, or the session ended). */
  close(): void {
    this.closed = true;
    this.queue = [];
    for (const h of this.inFlight.values()) h.abort();
    this.inFlight.clear();
  }

  get cachedSheets(): number[] {
    return [...this.cache.keys()];
  }

  private pump(): void {
    while (this.inFlight.size < this.maxParallel && this.queue.length > 0) {
      const sheet = this.queue.shift() as number;
      const listener: TransferListener = {
        onDone: (t: TransferTiming) => this.loaded(sheet, t),
        onError: (_kind: TransportErrorKind) => this.failed(sheet),
      };
      this.inFlight.set(sheet, this.transport.request({ url: this.config.baseUrl + spriteFileName(sheet), priority: 1 }, listener));
    }
  }

  private loaded(sheet: number, t: TransferTiming): void {
    this.inFlight.delete(sheet);
    this.stats.sheetDownloads++;
    this.stats.bytes += t.bytes;
    this.touch(sheet);
    while (this.cache.size > this.cacheSheets) this.cache.delete(this.cache.keys().next().value as number);
    for (const at of this.waiting.get(sheet) ?? []) this.stats.latenciesMs.push(t.doneMs - at);
    this.waiting.delete(sheet);
    this.pump();
  }

  private failed(sheet: number): void {
    this.inFlight.delete(sheet);
    this.stats.failures++;
    this.waiting.delete(sheet);
    this.pump();
  }

  private touch(sheet: number): void {
    this.cache.delete(sheet);
    this.cache.set(sheet, true);
  }
}
