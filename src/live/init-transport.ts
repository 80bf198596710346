import type {
  TransferHandle,
  TransferListener,
  TransferTiming,
  Transport,
  TransportErrorKind,
  TransportRequest,
} from '../player/transport.js';
import type { ByteRange } from './manifest/title.js';

/** The initialization segment (fMP4 `moov`) that must precede media segments of a rendition. */
export interface InitSegment {
  url: string;
  range?: ByteRange;
}

/**
 * Fetches a rendition's initialization segment before its first media segment, as a real player must before it
 * can append (and again never: the init of each rendition is fetched once per session). The player knows nothing
 * of init segments; the media request it made simply starts after the init arrives, so the init's time shows in
 * that segment's request-to-first-byte time, as it would in a browser. Init bytes are not counted as media.
 */
export class InitFirstTransport implements Transport {
  private readonly fetched = new Set<string>();
  /** Init requests in flight, with the media requests waiting for each (parallel requests share one init). */
  private readonly waiting = new Map<string, { handle: TransferHandle; waiters: Set<InitThenMedia> }>();

  constructor(
    private readonly inner: Transport,
    /** The init segment a media request needs, or undefined when none. */
    private readonly initOf: (req: TransportRequest) => InitSegment | undefined,
  ) {}

  request(req: TransportRequest, listener: TransferListener): TransferHandle {
    const init = this.initOf(req);
    if (init === undefined || this.fetched.has(initKey(init))) return this.inner.request(req, listener);
    const r = new InitThenMedia(this, req, listener);
    const key = initKey(init);
    const pending = this.waiting.get(key);
    if (pending !== undefined) {
      pending.waiters.add(r);
      return r;
    }
    const waiters = new Set<InitThenMedia>([r]);
    const initReq: TransportRequest = { url: init.url };
    if (init.range !== undefined) initReq.rangeBytes = init.range;
    if (req.timeoutMs !== undefined) initReq.timeoutMs = req.timeoutMs;
    const handle = this.inner.request(initReq, {
      onDone: () => {
        this.waiting.delete(key);
        this.fetched.add(key);
        for (const w of waiters) w.sendMedia();
      },
      onError: (kind, atMs) => {
        this.waiting.delete(key);
        for (const w of waiters) w.onError(kind, atMs);
      },
    });
    this.waiting.set(key, { handle, waiters });
    return r;
  }

  /** @internal */
  send(req: TransportRequest, listener: TransferListener): TransferHandle {
    return this.inner.request(req, listener);
  }

  /** @internal A waiting request was aborted: the init is aborted too once nobody waits for it. */
  leave(r: InitThenMedia): void {
    for (const [key, p] of this.waiting) {
      if (!p.waiters.delete(r)) continue;
      if (p.waiters.size === 0) {
        this.waiting.delete(key);
        p.handle.abort();
      }
      return;
    }
  }
}

function initKey(init: InitSegment): string {
  return init.range === undefined ? init.url : `${init.url}#${init.range.start}-${init.range.end}`;
}

/** A media request waiting for its rendition's init segment, then forwarding the media transfer. */
class InitThenMedia implements TransferHandle, TransferListener {
  private media: TransferHandle | undefined;
  private done = false;

  constructor(
    private readonly owner: InitFirstTransport,
    private readonly req: TransportRequest,
    private readonly listener: TransferListener,
  ) {}

  sendMedia(): void {
    if (!this.done) this.media = this.owner.send(this.req, this);
  }

  onFirstByte(atMs: number): void {
    if (!this.done) this.listener.onFirstByte?.(atMs);
  }

  onProgress(loadedBytes: number): void {
    if (!this.done) this.listener.onProgress?.(loadedBytes);
  }

  onDone(timing: TransferTiming): void {
    if (this.done) return;
    this.done = true;
    this.listener.onDone(timing);
  }

  onError(kind: TransportErrorKind, atMs: number): void {
    if (this.done) return;
    this.done = true;
    this.listener.onError(kind, atMs);
  }

  loadedBytes(): number {
    return this.media?.loadedBytes() ?? 0;
  }

  totalBytes(): number | undefined {
    return this.media?.totalBytes();
  }

  firstByteMs(): number | undefined {
    return this.media?.firstByteMs();
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    if (this.media !== undefined) this.media.abort();
    else this.owner.leave(this);
  }
}
