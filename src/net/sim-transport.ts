import type { Clock, TimerId } from '../core/clock.js';
import type { Origin, OriginResponse } from '../origin/origin.js';
import type {
  TransferHandle,
  TransferListener,
  Transport,
  TransportErrorKind,
  TransportRequest,
} from '../player/transport.js';
import type { FluidLink, LinkListener, LinkTransfer } from './fluid-link.js';

export interface SimTransportConfig {
  clock: Clock;
  link: FluidLink;
  origin: Origin;
}

/**
 * The simulator's `Transport`: asks the origin what each request gets, then moves the body over the fluid link.
 *
 * Time to first byte = link latency (at request time) + origin latency. Errors (404, 416, ...) arrive after that
 * same delay with no body, and take no link capacity. Because the first-byte time is known when the request is
 * made (bodies never share capacity before their first byte), a `timeoutMs` shorter than it is decided at
 * request time: the request then fails with `timeout` at request + timeoutMs and never touches the link. A first
 * byte exactly at the timeout counts as in time.
 *
 * No listener is ever called from inside `request()` or `abort()`: every callback comes from a clock timer,
 * so player code sees the same re-entrancy as with real HTTP.
 *
 * Faults (src/origin/faults.ts): an answer that never comes (infinite latency) only ends by the request's
 * timeout; an answer may carry an `interrupt` — the connection resets some time after the first byte (the bytes
 * so far count as received), or delivery stalls for a while (the transfer leaves the link, freeing its share,
 * and resumes with the remaining bytes).
 */
export class SimTransport implements Transport {
  constructor(private readonly config: SimTransportConfig) {}

  request(req: TransportRequest, listener: TransferListener): TransferHandle {
    const { clock, link, origin } = this.config;
    const now = clock.nowMs();
    const timeoutMs = req.timeoutMs;
    if (timeoutMs !== undefined && !(timeoutMs >= 0)) throw new RangeError(`timeoutMs must be >= 0, got ${timeoutMs}`);
    const answer = origin.resolve(req, now);
    const linkLatencyMs = link.latencyAtMs(now);
    const firstByteDelayMs = linkLatencyMs + answer.latencyMs;
    const r = new SimRequest(clock, now, listener);
    if (timeoutMs !== undefined && firstByteDelayMs > timeoutMs) {
      r.failAt(now + timeoutMs, 'timeout');
    } else if (!answer.ok) {
      // An answer that never comes (a hung server) with no timeout leaves the request pending for good.
      if (Number.isFinite(firstByteDelayMs)) r.failAt(now + firstByteDelayMs, answer.kind);
    } else {
      r.sizeBytes = answer.sizeBytes;
      r.link = link;
      r.interrupt = (answer as InterruptibleResponse).interrupt;
      r.maxKbps = (answer as InterruptibleResponse).maxKbps;
      r.transfer = link.start({ sizeBytes: answer.sizeBytes, latencyMs: linkLatencyMs, extraDelayMs: answer.latencyMs, listener: r });
    }
    return r;
  }
}

/** An origin answer that may carry a mid-transfer fault (src/origin/cdn.ts `CdnResponse`). */
type InterruptibleResponse = OriginResponse & {
  interrupt?: { kind: 'reset'; afterMs: number } | { kind: 'stall'; afterMs: number; durationMs: number };
  /** The server's own throughput cap for this response, kbps (a CDN's cap). */
  maxKbps?: number;
};

/** One request: the player's handle, and the link's listener (one object, no per-event closures). */
class SimRequest implements TransferHandle, LinkListener {
  sizeBytes = 0;
  transfer: LinkTransfer | undefined;
  link: FluidLink | undefined;
  interrupt: InterruptibleResponse['interrupt'];
  maxKbps: number | undefined;
  /** Bytes received by transfers before a stall (the current transfer carries the rest). */
  private carriedBytes = 0;
  private firstByteAtMs: number | undefined;
  private errorTimer: TimerId | undefined;
  private errorKind: TransportErrorKind = 'http-other';
  /** Set on done, error or abort: nothing more is reported. */
  private finished = false;

  constructor(
    private readonly clock: Clock,
    private readonly requestMs: number,
    private readonly listener: TransferListener,
  ) {}

  /** Schedules a failure (error answers and timeouts are rare, so the one closure here is fine). */
  failAt(atMs: number, kind: TransportErrorKind): void {
    this.errorKind = kind;
    this.errorTimer = this.clock.setTimer(atMs, () => this.fail());
  }

  private fail(): void {
    this.errorTimer = undefined;
    if (this.finished) return;
    this.finished = true;
    this.listener.onError(this.errorKind, this.clock.nowMs());
  }

  onLinkFirstByte(_t: LinkTransfer, atMs: number): void {
    if (this.finished || this.firstByteAtMs !== undefined) return;
    this.firstByteAtMs = atMs;
    this.listener.onFirstByte?.(atMs);
    if (this.interrupt !== undefined) this.armInterrupt(atMs + this.interrupt.afterMs);
  }

  /** Hot path: the closure lives here, not in onLinkFirstByte, so first bytes allocate no closure context. */
  private armInterrupt(atMs: number): void {
    this.errorTimer = this.clock.setTimer(atMs, () => this.interruptNow());
  }

  /** Plays out the answer's mid-transfer fault (rare: closures are fine here). */
  private interruptNow(): void {
    this.errorTimer = undefined;
    const cut = this.interrupt;
    const t = this.transfer;
    if (this.finished || cut === undefined || t === undefined || t.done) return;
    this.interrupt = undefined;
    t.abort();
    this.carriedBytes += t.loadedBytes();
    this.transfer = undefined;
    if (cut.kind === 'reset') {
      this.finished = true;
      this.listener.onError('connection-reset', this.clock.nowMs());
      return;
    }
    this.errorTimer = this.clock.setTimer(this.clock.nowMs() + cut.durationMs, () => {
      this.errorTimer = undefined;
      if (this.finished || this.link === undefined) return;
      const rest = Math.max(0, this.sizeBytes - this.carriedBytes);
      this.transfer = this.link.start({ sizeBytes: rest, latencyMs: 0, listener: this });
    });
  }

  onLinkDone(_t: LinkTransfer, atMs: number): void {
    // The first-byte listener may have aborted us; the link honours that, this guard is belt and braces.
    if (this.finished) return;
    // A server cap (CDN throughput limit) is a second bottleneck: the body cannot end before the cap allows.
    // Shortcut: the link share is given back when the link part ends, a little early (an approximation of
    // max-min sharing with a per-flow cap, which the fluid link does not model).
    if (this.maxKbps !== undefined && this.firstByteAtMs !== undefined && !this.capWaited) {
      const capDoneMs = this.firstByteAtMs + (this.sizeBytes * 8) / this.maxKbps;
      if (capDoneMs > atMs) return this.holdUntilCap(_t, capDoneMs);
    }
    this.finished = true;
    this.listener.onDone({
      requestMs: this.requestMs,
      firstByteMs: this.firstByteAtMs ?? atMs,
      doneMs: atMs,
      bytes: this.sizeBytes,
    });
  }

  /**
   * Delivers at `capDoneMs` instead. Hot path: the closure lives here, not in onLinkDone, so V8 does not allocate
   * a closure context on every completion.
   */
  private holdUntilCap(t: LinkTransfer, capDoneMs: number): void {
    this.capWaited = true;
    this.errorTimer = this.clock.setTimer(capDoneMs, () => {
      this.errorTimer = undefined;
      this.onLinkDone(t, capDoneMs);
    });
  }

  loadedBytes(): number {
    const linkBytes = this.carriedBytes + (this.transfer === undefined ? 0 : this.transfer.loadedBytes());
    if (this.maxKbps === undefined || this.firstByteAtMs === undefined) return linkBytes;
    return Math.min(linkBytes, ((this.clock.nowMs() - this.firstByteAtMs) * this.maxKbps) / 8);
  }

  /** Set once a capped body has been held back to its cap's finishing time. */
  private capWaited = false;

  /** Known once the response headers (the first byte) arrive, as Content-Length would be. */
  totalBytes(): number | undefined {
    return this.firstByteAtMs === undefined ? undefined : this.sizeBytes;
  }

  firstByteMs(): number | undefined {
    return this.firstByteAtMs;
  }

  abort(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.errorTimer !== undefined) this.clock.cancel(this.errorTimer);
    this.errorTimer = undefined;
    this.transfer?.abort();
  }
}
