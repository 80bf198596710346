/**
 * Fetching the first segments of a title before its player exists, and handing them to that player later: the
 * "separate buffer" of the reference's next-episode prefetch (§3.2 step 4) and of the interactive branches (§3.4
 * step 2). The prefetcher is a second user of the shared link; the player's transport is wrapped so a request for a
 * prefetched segment is served from the store (at once when it is in, on completion when it is still in flight),
 * and everything else goes to the network. Whatever the player never asks for is the waste.
 */
import type { Clock, TimerId } from '../../core/clock.js';
import type { FluidLink } from '../../net/fluid-link.js';
import { parseSimSegmentUrl, simSegmentUrl } from '../../origin/urls.js';
import type { TransferHandle, TransferListener, TransferTiming, Transport, TransportErrorKind, TransportRequest } from '../../player/transport.js';

/** One prefetched segment and what became of it. */
export interface PrefetchEntry {
  index: number;
  repIndex: number;
  state: 'queued' | 'in-flight' | 'done' | 'failed' | 'aborted' | 'skipped';
  requestMs?: number;
  doneMs?: number;
  /** Bytes that crossed the link for it (all of a done one, the part an aborted one got). */
  bytes: number;
  /** The player took it from the store. */
  used: boolean;
}

export interface PrefetcherConfig {
  clock: Clock;
  /** Transport of the title being prefetched (over the shared link). */
  transport: Transport;
  link: FluidLink;
  repIndex: number;
  /** Segment indices to fetch, in order. */
  segments: readonly number[];
  /**
   * Only use idle bandwidth (§3.2 "use idle bandwidth during current playback"): a request starts only when no
   * other transfer is on the link, re-checked every `idlePollMs`. Otherwise requests start at once.
   */
  idleOnly: boolean;
  /** Most prefetch requests in flight at once. Default 1. */
  maxParallel?: number;
  /** Shortcut: how often a waiting idle-only prefetcher looks at the link again, ms (the link has no idle event). */
  idlePollMs?: number;
}

/** Fetches a list of segments of one title at one rung; see the module comment. */
export class SegmentPrefetcher {
  readonly entries: PrefetchEntry[];
  private readonly handles = new Map<PrefetchEntry, TransferHandle>();
  /** The player's listener waiting for an entry still in flight. */
  private readonly attached = new Map<PrefetchEntry, { listener: TransferListener; atMs: number }>();
  private pollTimer: TimerId | undefined;
  private closed = false;
  private started = false;
  startedAtMs: number | undefined;

  constructor(private readonly config: PrefetcherConfig) {
    this.entries = config.segments.map((index) => ({ index, repIndex: config.repIndex, state: 'queued', bytes: 0, used: false }));
  }

  /** Starts fetching (now, or when the link is idle). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.startedAtMs = this.config.clock.nowMs();
    this.fill();
  }

  /** Starts no more requests; those in flight finish (the player may still take them). Queued ones are skipped. */
  close(): void {
    this.closed = true;
    this.cancelPoll();
    for (const e of this.entries) if (e.state === 'queued') e.state = 'skipped';
  }

  /** Stops everything: queued ones skipped, in-flight ones aborted (their bytes so far are kept as waste). */
  abort(): void {
    this.close();
    for (const [e, h] of this.handles) {
      e.bytes = h.loadedBytes();
      e.state = 'aborted';
      h.abort();
    }
    this.handles.clear();
    this.attached.clear();
  }

  get inFlight(): number {
    return this.handles.size;
  }

  /** Bytes fetched (or partly fetched) that the player never took. */
  wastedBytes(): number {
    let bytes = 0;
    for (const e of this.entries) {
      if (!e.used) bytes += e.state === 'in-flight' ? (this.handles.get(e)?.loadedBytes() ?? 0) : e.bytes;
    }
    return bytes;
  }

  /** Bytes that crossed the link for this prefetch so far. */
  fetchedBytes(): number {
    let bytes = 0;
    for (const e of this.entries) bytes += e.state === 'in-flight' ? (this.handles.get(e)?.loadedBytes() ?? 0) : e.bytes;
    return bytes;
  }

  /**
   * The player asks for `index` at `repIndex`: a handle when the store has it (served now or on completion), else
   * undefined (a queued entry is dropped from the queue: the player fetches it itself).
   */
  take(index: number, repIndex: number, listener: TransferListener): TransferHandle | undefined {
    const e = this.entries.find((x) => x.index === index && x.repIndex === repIndex);
    if (e === undefined) return undefined;
    const now = this.config.clock.nowMs();
    if (e.state === 'queued') {
      e.state = 'skipped';
      return undefined;
    }
    if (e.state === 'done' && !e.used) {
      e.used = true;
      return servedNow(this.config.clock, e.bytes, listener);
    }
    if (e.state === 'in-flight' && !this.attached.has(e)) {
      e.used = true;
      this.attached.set(e, { listener, atMs: now });
      const h = this.handles.get(e) as TransferHandle;
      return {
        loadedBytes: () => h.loadedBytes(),
        totalBytes: () => h.totalBytes(),
        firstByteMs: () => h.firstByteMs(),
        abort: () => {
          e.used = false;
          this.attached.delete(e);
        },
      };
    }
    return undefined;
  }

  /** Starts queued requests while allowed; when only the link's idleness is missing, looks again later. */
  private fill(): void {
    if (this.closed) return;
    const max = this.config.maxParallel ?? 1;
    for (const e of this.entries) {
      if (this.handles.size >= max) return;
      if (e.state !== 'queued') continue;
      if (this.config.idleOnly && this.config.link.activeCount > this.handles.size) return this.pollLater();
      this.request(e);
    }
    if (this.entries.every((x) => x.state !== 'queued' && x.state !== 'in-flight')) this.cancelPoll();
  }

  private pollLater(): void {
    if (this.pollTimer !== undefined) return;
    const clock = this.config.clock;
    this.pollTimer = clock.setTimer(clock.nowMs() + (this.config.idlePollMs ?? 250), () => {
      this.pollTimer = undefined;
      this.fill();
    });
  }

  private cancelPoll(): void {
    if (this.pollTimer !== undefined) this.config.clock.cancel(this.pollTimer);
    this.pollTimer = undefined;
  }

  private request(e: PrefetchEntry): void {
    e.state = 'in-flight';
    e.requestMs = this.config.clock.nowMs();
    const req: TransportRequest = { url: simSegmentUrl(e.repIndex, e.index) };
    const listener: TransferListener = {
      onDone: (timing: TransferTiming) => this.onDone(e, timing),
      onError: (kind: TransportErrorKind, atMs: number) => this.onError(e, kind, atMs),
    };
    this.handles.set(e, this.config.transport.request(req, listener));
  }

  private onDone(e: PrefetchEntry, timing: TransferTiming): void {
    this.handles.delete(e);
    e.state = 'done';
    e.doneMs = timing.doneMs;
    e.bytes = timing.bytes;
    const waiting = this.attached.get(e);
    this.attached.delete(e);
    // The player asked while it was in flight: its download took from its request to now. The throughput
    // sample this gives is optimistic (part of the body came before the request); it is one segment per title.
    if (waiting !== undefined) {
      waiting.listener.onFirstByte?.(Math.max(waiting.atMs, timing.firstByteMs));
      waiting.listener.onDone({ requestMs: waiting.atMs, firstByteMs: Math.max(waiting.atMs, timing.firstByteMs), doneMs: timing.doneMs, bytes: timing.bytes });
    }
    this.fill();
  }

  private onError(e: PrefetchEntry, kind: TransportErrorKind, atMs: number): void {
    this.handles.delete(e);
    e.state = 'failed';
    const waiting = this.attached.get(e);
    this.attached.delete(e);
    if (waiting !== undefined) waiting.listener.onError(kind, atMs);
    this.fill();
  }
}

/** A stored segment handed over at once (from a clock timer, never inside `request`, as the transports promise). */
function servedNow(clock: Clock, bytes: number, listener: TransferListener): TransferHandle {
  const now = clock.nowMs();
  let delivered = false;
  // Zero transfer time: the estimators drop the sample (a cache hit says nothing about the network).
  const timer = clock.setTimer(now, () => {
    delivered = true;
    listener.onFirstByte?.(now);
    listener.onDone({ requestMs: now, firstByteMs: now, doneMs: now, bytes });
  });
  return {
    loadedBytes: () => (delivered ? bytes : 0),
    totalBytes: () => bytes,
    firstByteMs: () => (delivered ? now : undefined),
    abort: () => clock.cancel(timer),
  };
}

/** The player's transport for a title with prefetched segments: the store first, then the network. */
export class PrefetchingTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly stores: readonly SegmentPrefetcher[],
  ) {}

  request(req: TransportRequest, listener: TransferListener): TransferHandle {
    const seg = req.rangeBytes === undefined ? parseSimSegmentUrl(req.url) : undefined;
    if (seg !== undefined) {
      for (const s of this.stores) {
        const h = s.take(seg.segmentIndex, seg.repIndex, listener);
        if (h !== undefined) return h;
      }
    }
    return this.inner.request(req, listener);
  }
}
