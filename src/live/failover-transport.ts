import type {
  TransferHandle,
  TransferListener,
  TransferTiming,
  Transport,
  TransportErrorKind,
  TransportRequest,
} from '../player/transport.js';

/** Errors that move a request to the next CDN: the server or the path to it is unwell, not the request. */
const FAILOVER_KINDS: ReadonlySet<TransportErrorKind> = new Set<TransportErrorKind>([
  'http-503',
  'http-other',
  'timeout',
  'connection-reset',
  'connection-refused',
]);

export interface FailoverEvent {
  atMs: number;
  fromBase: string;
  toBase: string;
  kind: TransportErrorKind;
}

export interface FailoverTransportOptions {
  inner: Transport;
  /**
   * Base URLs of the same content on several CDNs, in order of preference (the reference design's OCA →
   * CloudFront → S3). A request whose URL starts with any of them is sent to the preferred base instead.
   */
  baseUrls: readonly string[];
  onFailover?: (e: FailoverEvent) => void;
}

/**
 * Minimal multi-CDN failover in the live transport layer (the player's own failover policy is future work): each
 * request goes to the currently preferred base URL; when it fails with a server or connection error it is
 * re-issued at once on the next base, each base tried at most once per request, and the base that answered
 * becomes the preferred one for later requests (sticky, like a player that stays on the CDN that works). Only
 * when every base has failed does the player see the error, and then its own back-off retry (1/2/4 s) applies.
 * 404 and 416 do not fail over: they are answers about the object, the same on every CDN.
 */
export class FailoverTransport implements Transport {
  private preferred = 0;
  readonly bases: readonly string[];

  constructor(private readonly opts: FailoverTransportOptions) {
    if (opts.baseUrls.length === 0) throw new RangeError('FailoverTransport needs at least one base URL');
    this.bases = opts.baseUrls;
  }

  /** Index of the base requests go to first. */
  get preferredIndex(): number {
    return this.preferred;
  }

  request(req: TransportRequest, listener: TransferListener): TransferHandle {
    const base = this.bases.findIndex((b) => req.url.startsWith(b));
    if (base < 0 || this.bases.length === 1) return this.opts.inner.request(req, listener);
    const r = new FailoverRequest(this, req, req.url.slice((this.bases[base] as string).length), listener);
    r.attempt(this.preferred);
    return r;
  }

  /** @internal */
  send(req: TransportRequest, listener: TransferListener): TransferHandle {
    return this.opts.inner.request(req, listener);
  }

  /** @internal */
  succeeded(baseIndex: number): void {
    this.preferred = baseIndex;
  }

  /** @internal */
  failedOver(e: FailoverEvent): void {
    this.opts.onFailover?.(e);
  }

  /** @internal */
  isFailoverKind(kind: TransportErrorKind): boolean {
    return FAILOVER_KINDS.has(kind);
  }
}

class FailoverRequest implements TransferHandle, TransferListener {
  private current: TransferHandle | undefined;
  private baseIndex = 0;
  private tried = 0;
  private done = false;

  constructor(
    private readonly owner: FailoverTransport,
    private readonly req: TransportRequest,
    private readonly path: string,
    private readonly listener: TransferListener,
  ) {}

  attempt(baseIndex: number): void {
    this.baseIndex = baseIndex;
    this.tried++;
    const url = (this.owner.bases[baseIndex] as string) + this.path;
    this.current = this.owner.send({ ...this.req, url }, this);
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
    this.owner.succeeded(this.baseIndex);
    this.listener.onDone(timing);
  }

  onError(kind: TransportErrorKind, atMs: number): void {
    if (this.done) return;
    const n = this.owner.bases.length;
    if (this.owner.isFailoverKind(kind) && this.tried < n) {
      const from = this.baseIndex;
      const to = (from + 1) % n;
      this.owner.failedOver({ atMs, fromBase: this.owner.bases[from] as string, toBase: this.owner.bases[to] as string, kind });
      this.attempt(to);
      return;
    }
    this.done = true;
    this.listener.onError(kind, atMs);
  }

  loadedBytes(): number {
    return this.current?.loadedBytes() ?? 0;
  }

  totalBytes(): number | undefined {
    return this.current?.totalBytes();
  }

  firstByteMs(): number | undefined {
    return this.current?.firstByteMs();
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    this.current?.abort();
  }
}
