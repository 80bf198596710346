/**
 * A `Transport` decorator that carries out the reference retry policy (retry-policy.ts) and CDN failover
 * (cdn-selector.ts) with the session `Clock`: the player asks for a segment once and sees either its bytes or a
 * final error. Shared by the simulator and live mode (DESIGN.md "One player, two drivers"): both wrap their own
 * transport in it.
 *
 * Retries are rare, so this path allocates freely (one closure per scheduled retry); the success path adds one
 * small object per request.
 */
import type { Clock, TimerId } from '../../core/clock.js';
import type { TransferHandle, TransferListener, TransferTiming, Transport, TransportErrorKind, TransportRequest } from '../transport.js';
import { CdnSelector, type CdnEndpoint, type CdnSwitch } from './cdn-selector.js';
import { decideRetry, type RetryPolicy } from './retry-policy.js';

/** Telemetry of the resilience layer, in the order it happens. */
export type ResilienceEvent =
  | { kind: 'attempt-failed'; atMs: number; url: string; cdn: string; error: TransportErrorKind; wastedBytes: number }
  | { kind: 'retry'; atMs: number; url: string; cdn: string; delayMs: number; reason: string }
  | { kind: 'failover' | 'failback'; atMs: number; fromCdn: string; toCdn: string; reason: string }
  | { kind: 'gave-up'; atMs: number; url: string; error: TransportErrorKind; reason: string };

export interface ResilientTransportOptions {
  inner: Transport;
  clock: Clock;
  policy: RetryPolicy;
  /** The failover order; one entry with baseUrl '' means a single origin (retries only). */
  cdns: readonly CdnEndpoint[];
  onEvent?: (e: ResilienceEvent) => void;
}

/** Counters for the session summary. */
export interface ResilienceStats {
  attempts: number;
  retries: number;
  failovers: number;
  failbacks: number;
  /** Bytes received by attempts that then failed (they cost bandwidth and money, and play nothing). */
  wastedBytes: number;
  /** Requests whose error reached the player. */
  gaveUp: number;
  /**
   * Bytes received from each CDN, keyed by CDN name: successful attempts, failed ones and those the player
   * aborted (every byte a CDN sends is billed, played or not).
   */
  bytesByCdn: Record<string, number>;
  /** Attempts sent to each CDN. */
  requestsByCdn: Record<string, number>;
}

export class ResilientTransport implements Transport {
  readonly selector: CdnSelector;
  readonly stats: ResilienceStats;
  private budgetLeft: number;

  constructor(private readonly opts: ResilientTransportOptions) {
    this.selector = new CdnSelector(opts.cdns, opts.policy.failBackAfterMs);
    this.budgetLeft = opts.policy.retryBudget;
    this.stats = {
      attempts: 0,
      retries: 0,
      failovers: 0,
      failbacks: 0,
      wastedBytes: 0,
      gaveUp: 0,
      bytesByCdn: Object.fromEntries(opts.cdns.map((c) => [c.name, 0])),
      requestsByCdn: Object.fromEntries(opts.cdns.map((c) => [c.name, 0])),
    };
  }

  /** True once the session's retry budget is spent: the next failure is final. */
  get budgetSpent(): boolean {
    return this.budgetLeft <= 0;
  }

  request(req: TransportRequest, listener: TransferListener): TransferHandle {
    const now = this.opts.clock.nowMs();
    const pick = this.selector.forNewRequest(now);
    if (pick.change !== undefined) this.noteSwitch(pick.change, now, 'fail-back interval passed');
    const r = new ResilientRequest(this, req, listener, now, pick.index);
    r.attempt();
    return r;
  }

  /** @internal */
  inner(): Transport {
    return this.opts.inner;
  }

  /** @internal */
  get clock(): Clock {
    return this.opts.clock;
  }

  /** @internal */
  get policy(): RetryPolicy {
    return this.opts.policy;
  }

  /** @internal Spends one retry of the session budget. */
  spendRetry(): void {
    this.budgetLeft--;
    this.stats.retries++;
  }

  /** @internal */
  get retriesLeft(): number {
    return this.budgetLeft;
  }

  /** @internal */
  emit(e: ResilienceEvent): void {
    this.opts.onEvent?.(e);
  }

  /** @internal */
  noteSwitch(change: CdnSwitch, atMs: number, reason: string): void {
    if (change.kind === 'failover') this.stats.failovers++;
    else this.stats.failbacks++;
    const cdns = this.opts.cdns;
    this.emit({ kind: change.kind, atMs, fromCdn: cdns[change.from]?.name ?? '?', toCdn: cdns[change.to]?.name ?? '?', reason });
  }
}

/** One player request across its attempts. It is the inner transfers' listener (one object per request). */
class ResilientRequest implements TransferHandle, TransferListener {
  private handle: TransferHandle | undefined;
  private retryTimer: TimerId | undefined;
  private retries = 0;
  private dropRange = false;
  private readonly tried = new Set<number>();
  private finished = false;

  constructor(
    private readonly owner: ResilientTransport,
    private readonly req: TransportRequest,
    private readonly listener: TransferListener,
    private readonly requestMs: number,
    private cdn: number,
  ) {}

  attempt(): void {
    this.retryTimer = undefined;
    const { selector, stats, policy } = this.owner;
    this.tried.add(this.cdn);
    stats.attempts++;
    const name = selector.cdns[this.cdn]?.name ?? '?';
    stats.requestsByCdn[name] = (stats.requestsByCdn[name] ?? 0) + 1;
    const url = selector.urlOn(this.cdn, this.req.url);
    const range = this.dropRange ? undefined : this.req.rangeBytes;
    const next: TransportRequest = { url, timeoutMs: this.req.timeoutMs ?? policy.timeoutMs };
    if (range !== undefined) next.rangeBytes = range;
    if (this.req.priority !== undefined) next.priority = this.req.priority;
    this.handle = this.owner.inner().request(next, this);
  }

  onFirstByte(atMs: number): void {
    if (!this.finished) this.listener.onFirstByte?.(atMs);
  }

  onProgress(loadedBytes: number): void {
    if (!this.finished) this.listener.onProgress?.(loadedBytes);
  }

  onDone(timing: TransferTiming): void {
    if (this.finished) return;
    this.finished = true;
    const { selector, stats } = this.owner;
    selector.succeeded(this.cdn);
    this.addBytes(timing.bytes);
    // The player measures from its own request: retry waits are part of what this segment cost.
    this.listener.onDone(timing.requestMs === this.requestMs ? timing : { ...timing, requestMs: this.requestMs });
  }

  onError(error: TransportErrorKind, atMs: number): void {
    if (this.finished) return;
    const { selector, stats, policy } = this.owner;
    const wastedBytes = this.handle?.loadedBytes() ?? 0;
    stats.wastedBytes += wastedBytes;
    this.addBytes(wastedBytes);
    this.handle = undefined;
    const failedCdn = this.cdn;
    const cdnName = selector.cdns[failedCdn]?.name ?? '?';
    this.owner.emit({ kind: 'attempt-failed', atMs, url: this.req.url, cdn: cdnName, error, wastedBytes });
    const action = decideRetry(
      {
        error,
        retries: this.retries,
        cdnFailures: selector.failed(failedCdn),
        cdnCount: selector.cdns.length,
        cdnsTried: this.tried.size,
        budgetLeft: this.owner.retriesLeft,
      },
      policy,
    );
    if (action.kind === 'give-up') {
      this.finished = true;
      stats.gaveUp++;
      this.owner.emit({ kind: 'gave-up', atMs, url: this.req.url, error, reason: action.reason });
      this.listener.onError(error, atMs);
      return;
    }
    this.retries++;
    this.owner.spendRetry();
    if (action.dropRange) this.dropRange = true;
    if (action.cdn === 'next') {
      const moved = selector.failover(failedCdn, atMs);
      this.cdn = moved.index;
      if (moved.change !== undefined) this.owner.noteSwitch(moved.change, atMs, action.reason);
    }
    this.owner.emit({ kind: 'retry', atMs, url: this.req.url, cdn: selector.cdns[this.cdn]?.name ?? '?', delayMs: action.delayMs, reason: action.reason });
    this.retryTimer = this.owner.clock.setTimer(atMs + action.delayMs, () => this.attempt());
  }

  loadedBytes(): number {
    return this.handle?.loadedBytes() ?? 0;
  }

  totalBytes(): number | undefined {
    return this.handle?.totalBytes();
  }

  firstByteMs(): number | undefined {
    return this.handle?.firstByteMs();
  }

  abort(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.retryTimer !== undefined) this.owner.clock.cancel(this.retryTimer);
    this.retryTimer = undefined;
    if (this.handle !== undefined) {
      this.addBytes(this.handle.loadedBytes());
      this.handle.abort();
    }
  }

  private addBytes(bytes: number): void {
    const { selector, stats } = this.owner;
    const name = selector.cdns[this.cdn]?.name ?? '?';
    stats.bytesByCdn[name] = (stats.bytesByCdn[name] ?? 0) + bytes;
  }
}
