import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Agent, errors as undiciErrors } from 'undici';
import type { Clock, TimerId } from '../core/clock.js';
import type {
  TransferHandle,
  TransferListener,
  Transport,
  TransportErrorKind,
  TransportRequest,
} from '../player/transport.js';

export interface HttpTransportOptions {
  clock: Clock;
  /**
   * Most connections kept open per origin (HTTP/1.1 keep-alive). Default 6, the per-host limit browsers use
   * (Chromium's `kMaxSocketsPerGroup`), which also covers the reference player's 3 parallel downloads.
   */
  connectionsPerOrigin?: number;
  /** Give up with `timeout` when a body makes no progress for this long, ms. Default: the request's `timeoutMs`. */
  idleTimeoutMs?: number;
  /** Keep every body under this directory (path of the URL, plus `.start-end` for a byte range). */
  saveDir?: string;
  /** Extra request headers (e.g. a user agent). */
  headers?: Record<string, string>;
}

/** What an error is, as the player's `TransportErrorKind` (socket-level codes from Node and undici). */
export function errorKindOf(err: unknown): TransportErrorKind {
  const code = (err as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection-refused';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timeout';
    case 'UND_ERR_ABORTED':
      return 'aborted';
    default:
      // ECONNRESET, EPIPE, UND_ERR_SOCKET ("other side closed"), a body shorter than its Content-Length, ...:
      // the connection broke under the transfer.
      return 'connection-reset';
  }
}

/** Maps an HTTP status to the error kind the player sees, or undefined for success (2xx). */
export function statusKind(status: number): TransportErrorKind | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 404) return 'http-404';
  if (status === 416) return 'http-416';
  if (status === 503) return 'http-503';
  return 'http-other';
}

/**
 * Live mode's `Transport`: real HTTP GETs with undici (keep-alive connection pools per origin), byte ranges as
 * `Range` headers, abort through an `AbortSignal`, and two timeouts measured on the session clock: no response
 * headers within `timeoutMs` (the reference 10 s rule, as the simulator applies it), or no body bytes for
 * `idleTimeoutMs`. The first byte is the arrival of the response headers, which is what the fluid model's
 * latency ends with.
 *
 * Like the simulated transport, no listener is called from inside `request()` or `abort()`.
 */
export class HttpTransport implements Transport {
  private readonly agent: Agent;

  constructor(private readonly opts: HttpTransportOptions) {
    this.agent = new Agent({
      connections: opts.connectionsPerOrigin ?? 6,
      // Our own timers decide timeouts (on the session clock); undici's are only a backstop against a leak.
      headersTimeout: 300_000,
      bodyTimeout: 300_000,
      keepAliveTimeout: 30_000,
    });
  }

  request(req: TransportRequest, listener: TransferListener): TransferHandle {
    const r = new HttpRequest(this.opts, this.agent, req, listener);
    r.start();
    return r;
  }

  /** Closes pooled connections; requests still running are destroyed. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

class HttpRequest implements TransferHandle {
  private readonly controller = new AbortController();
  private readonly requestMs: number;
  private loaded = 0;
  private total: number | undefined;
  private firstByteAtMs: number | undefined;
  private finished = false;
  private timer: TimerId | undefined;
  private lastProgressMs: number;
  private timedOut = false;
  private sink: WriteStream | undefined;

  constructor(
    private readonly opts: HttpTransportOptions,
    private readonly agent: Agent,
    private readonly req: TransportRequest,
    private readonly listener: TransferListener,
  ) {
    this.requestMs = opts.clock.nowMs();
    this.lastProgressMs = this.requestMs;
  }

  start(): void {
    const { clock } = this.opts;
    let url: URL;
    try {
      url = new URL(this.req.url);
    } catch {
      // An unusable URL fails like any request would, asynchronously.
      this.timer = clock.setTimer(clock.nowMs(), () => this.fail('http-other'));
      return;
    }
    if (this.req.timeoutMs !== undefined) this.timer = clock.setTimer(this.requestMs + this.req.timeoutMs, this.onTimer);
    const headers: Record<string, string> = { ...this.opts.headers };
    const range = this.req.rangeBytes;
    if (range !== undefined) headers.range = `bytes=${range.start}-${range.end}`;
    this.agent
      .request({ origin: url.origin, path: url.pathname + url.search, method: 'GET', headers, signal: this.controller.signal })
      .then(
        (res) => {
          if (this.finished) {
            res.body.destroy();
            return;
          }
          const kind = statusKind(res.statusCode);
          if (kind !== undefined) {
            res.body.resume();
            res.body.on('error', () => undefined);
            this.fail(kind);
            return;
          }
          const now = clock.nowMs();
          this.firstByteAtMs = now;
          this.lastProgressMs = now;
          const length = Number(res.headers['content-length']);
          this.total = Number.isFinite(length) ? length : undefined;
          this.rearm();
          if (this.opts.saveDir !== undefined) this.sink = openSink(this.opts.saveDir, url, range);
          this.listener.onFirstByte?.(now);
          res.body.on('data', (chunk: Buffer) => {
            if (this.finished) return;
            this.loaded += chunk.length;
            this.lastProgressMs = clock.nowMs();
            this.sink?.write(chunk);
            this.listener.onProgress?.(this.loaded);
          });
          res.body.on('end', () => this.succeed());
          res.body.on('error', (err) => this.fail(this.timedOut ? 'timeout' : errorKindOf(err)));
        },
        (err: unknown) => {
          if (err instanceof undiciErrors.RequestAbortedError && !this.timedOut) return;
          this.fail(this.timedOut ? 'timeout' : errorKindOf(err));
        },
      );
  }

  /** First-byte deadline, then the idle deadline while the body flows. */
  private readonly onTimer = (): void => {
    this.timer = undefined;
    if (this.finished) return;
    const now = this.opts.clock.nowMs();
    if (this.firstByteAtMs !== undefined) {
      const idle = this.idleMs();
      if (idle === undefined) return;
      if (now - this.lastProgressMs < idle) {
        this.timer = this.opts.clock.setTimer(this.lastProgressMs + idle, this.onTimer);
        return;
      }
    }
    this.timedOut = true;
    this.fail('timeout');
  };

  private idleMs(): number | undefined {
    return this.opts.idleTimeoutMs ?? this.req.timeoutMs;
  }

  private rearm(): void {
    if (this.timer !== undefined) this.opts.clock.cancel(this.timer);
    this.timer = undefined;
    const idle = this.idleMs();
    if (idle !== undefined) this.timer = this.opts.clock.setTimer(this.lastProgressMs + idle, this.onTimer);
  }

  private succeed(): void {
    if (this.finished) return;
    this.finish();
    const now = this.opts.clock.nowMs();
    this.listener.onDone({ requestMs: this.requestMs, firstByteMs: this.firstByteAtMs ?? now, doneMs: now, bytes: this.loaded });
  }

  private fail(kind: TransportErrorKind): void {
    if (this.finished) return;
    this.finish();
    this.controller.abort();
    this.listener.onError(kind, this.opts.clock.nowMs());
  }

  private finish(): void {
    this.finished = true;
    if (this.timer !== undefined) this.opts.clock.cancel(this.timer);
    this.timer = undefined;
    this.sink?.end();
    this.sink = undefined;
  }

  loadedBytes(): number {
    return this.loaded;
  }

  totalBytes(): number | undefined {
    return this.total;
  }

  firstByteMs(): number | undefined {
    return this.firstByteAtMs;
  }

  abort(): void {
    if (this.finished) return;
    this.finish();
    this.controller.abort();
  }
}

/** Where a saved body goes: the URL's host and path under `dir`, never outside it. */
export function savePath(dir: string, url: URL, range: { start: number; end: number } | undefined): string {
  const segments = url.pathname
    .split('/')
    .map((p) => safeDecode(p).replace(/[\\/\0]/g, '_'))
    .filter((p) => p !== '' && p !== '.' && p !== '..');
  const host = url.host.replace(/[^A-Za-z0-9.-]/g, '_');
  const last = segments.pop() ?? 'index';
  const name = range === undefined ? last : `${last}.${range.start}-${range.end}`;
  return join(dir, host, ...segments, name);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function openSink(dir: string, url: URL, range: { start: number; end: number } | undefined): WriteStream {
  const path = savePath(dir, url, range);
  mkdirSync(dirname(path), { recursive: true });
  const sink = createWriteStream(path);
  sink.on('error', () => undefined);
  return sink;
}
