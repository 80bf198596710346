import type { Clock, TimerId } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import { BITS_PER_BYTE } from '../core/units.js';
import { bitsBetween, latencyAt, timeToDeliver, type Trace } from './trace.js';
import { TransferHeap } from './transfer-heap.js';

/**
 * Fluid model of one shared bottleneck link: every request first waits its latency (request travel + server
 * think time, no capacity used), then all transfers that are receiving share the trace's capacity equally
 * (processor sharing, the usual fluid model of parallel TCP flows on one bottleneck).
 *
 * Exact completion times come from the virtual-time technique of Generalised Processor Sharing (Parekh and
 * Gallager, "A generalized processor sharing approach to flow control", IEEE/ACM ToN 1993): `virtualBits` is the
 * service one share has received since the link was last idle; it grows at rate(t)/n(t) while n transfers
 * receive. A transfer entering at virtual time V with S bits finishes when virtualBits reaches V + S, so the
 * finish tags never change after entry and the next completion is simply the smallest tag (a heap). With r =
 * tag - virtualBits remaining per share, the link must deliver n·r more bits, which `timeToDeliver` turns into an
 * exact time. Starts, completions and aborts only change n, so nothing per transfer is updated on an event.
 *
 * One clock timer serves the whole link: it is armed at the earlier of the next first byte and the next
 * completion, and moved (cancel + set) only when that time changes.
 *
 * Cost (the simulator aims at 1,000,000 segment downloads per second on one core): a transfer allocates only its
 * handle; each event is O(log n) heap work plus one `bitsBetween` and at most one `timeToDeliver` (binary searches
 * over the trace). Shortcuts, each marked where taken: cached completion time, reused batch arrays, virtual time
 * reset to 0 whenever the link goes idle (which also keeps its float precision).
 *
 * Per-CDN or per-transfer throughput caps (not needed yet) would turn equal sharing into max-min fair sharing:
 * keep a cap per transfer, and at every event (and at trace period boundaries, where the fair share crosses a
 * cap) water-fill: capped transfers get their cap, the others split the rest equally. Uncapped transfers still
 * share one virtual clock (advancing at leftover/n_uncapped), capped ones progress linearly at their cap, so the
 * heap of finish tags stays for the uncapped set and capped ones get a second heap keyed by finish time; the
 * timer is then the minimum of both heaps, the next first byte and the next period boundary.
 */

/** Callbacks of one link transfer (an object, not closures, so a start allocates nothing extra). */
export interface LinkListener {
  /** The first byte arrived (after the latency). */
  onLinkFirstByte(transfer: LinkTransfer, atMs: number): void;
  /** The last byte arrived. */
  onLinkDone(transfer: LinkTransfer, atMs: number): void;
}

export interface FluidLinkConfig {
  clock: Clock;
  trace: Trace;
  /**
   * Latency before the first byte of every request, ms. When undefined the trace's latency column is used (at
   * request time) if it has one, else 0.
   */
  latencyMs?: number;
  /** Trace time at clock time 0, ms (start the session part-way through the trace). Default 0. */
  traceOffsetMs?: number;
}

export interface LinkStartParams {
  sizeBytes: number;
  /** Overrides the link's latency for this request, ms. */
  latencyMs?: number;
  /** Added to the latency, ms: server or CDN time before the response starts (origin latency). Default 0. */
  extraDelayMs?: number;
  listener: LinkListener;
}

/** Lifecycle of a transfer: latency → receiving → done, or → aborted from either of the first two. */
type TransferState = 0 | 1 | 2 | 3;
const State = { Latency: 0, Receiving: 1, Done: 2, Aborted: 3 } as const;

/**
 * Completion tags within this relative distance of the virtual clock count as reached. Virtual bits are sums of
 * float products, so an exact tie (two equal transfers) or the transfer a timer was armed for may miss by a few
 * ulps; 1e-12 relative is ~4,500 ulps, far below one bit for any realistic transfer.
 */
const TIE_REL = 1e-12;
const TIE_ABS_BITS = 1e-9;

/** One request on the link; also its handle. */
export class LinkTransfer {
  /** @internal Heap key: first-byte time (ms) while in latency, finish tag (virtual bits) while receiving. */
  heapKey = 0;
  /** @internal Position in the heap it is in, or -1. */
  heapIndex = -1;
  /** @internal Virtual bits when the transfer started receiving. */
  startVirtualBits = 0;
  /** @internal Bits received when done or aborted. */
  finalBits = 0;
  /** @internal */
  state: TransferState = State.Latency;
  /** @internal Set by abort(): no more callbacks, even if already done at this instant. */
  silenced = false;
  readonly sizeBits: number;

  constructor(
    private readonly link: FluidLink,
    /** Start order on this link; ties are broken by it (first in, first out). */
    readonly seq: number,
    readonly sizeBytes: number,
    /** Clock time of the request, ms. */
    readonly requestMs: number,
    /** Clock time the first byte arrives (request time + latency), ms. */
    readonly firstByteMs: number,
    readonly listener: LinkListener,
  ) {
    this.sizeBits = sizeBytes * BITS_PER_BYTE;
  }

  /** Bytes received so far, exact at the current clock time (fractional: the model is fluid). */
  loadedBytes(): number {
    return this.link.loadedBits(this) / BITS_PER_BYTE;
  }

  /** True once the last byte arrived. */
  get done(): boolean {
    return this.state === State.Done;
  }

  /** True once aborted before completing. */
  get aborted(): boolean {
    return this.state === State.Aborted;
  }

  /** Stops the transfer and frees its share at once; no further callbacks (once done: mutes any still due). */
  abort(): void {
    this.link.abort(this);
  }
}

export class FluidLink {
  readonly trace: Trace;
  private readonly clock: Clock;
  private readonly latencyMs: number | undefined;
  private readonly offsetMs: number;

  /** Transfers waiting for their first byte, by (first-byte time, seq). */
  private readonly waiting = new TransferHeap<LinkTransfer>();
  /** Transfers receiving, by (finish tag, seq). */
  private readonly receivingHeap = new TransferHeap<LinkTransfer>();
  /** Service per share since the link was last idle, bits (GPS virtual time). */
  private virtualBits = 0;
  /** Clock time up to which `virtualBits` is brought, ms. */
  private virtualAtMs = 0;

  private timer: TimerId | undefined;
  private timerAtMs = Infinity;
  /** Finish tag the armed timer completes, or NaN when it is armed for a first byte only. */
  private timerTag = Number.NaN;
  /**
   * Clock time of the next completion, or NaN when it must be recomputed. It depends only on the receiving set
   * (not on when virtual time was last brought up to date), so a start, which only adds a waiting transfer,
   * re-arms without calling timeToDeliver again.
   */
  private completionAtMs = Number.NaN;
  private readonly onTimer = (): void => this.fire();
  private firing = false;
  private nextSeq = 0;
  /**
   * Reused between fires (a fire never nests), so an event allocates no arrays. Shortcut: entries past the
   * current batch are left in place rather than cleared (setting `length` costs more than a whole fire), which
   * keeps at most one past batch of finished transfers reachable.
   */
  private readonly doneBatch: LinkTransfer[] = [];
  private readonly firstByteBatch: LinkTransfer[] = [];

  private requested = 0;
  private delivered = 0;
  private abortedRemaining = 0;

  constructor(config: FluidLinkConfig) {
    this.clock = config.clock;
    this.trace = config.trace;
    if (config.latencyMs !== undefined && !(config.latencyMs >= 0 && Number.isFinite(config.latencyMs))) {
      throw new InputError(`link latency must be finite and >= 0, got ${config.latencyMs}`, { field: 'latencyMs' });
    }
    const offset = config.traceOffsetMs ?? 0;
    if (!Number.isFinite(offset)) throw new InputError(`trace offset must be finite, got ${offset}`, { field: 'traceOffsetMs' });
    this.latencyMs = config.latencyMs;
    this.offsetMs = offset;
    this.virtualAtMs = config.clock.nowMs();
  }

  /** Latency a request made at `atMs` waits before its first byte, ms (config, else trace column, else 0). */
  latencyAtMs(atMs: number): number {
    if (this.latencyMs !== undefined) return this.latencyMs;
    return latencyAt(this.trace, atMs + this.offsetMs) ?? 0;
  }

  /** Starts a transfer now. Callbacks always come later, from the clock, never from inside `start`. */
  start(p: LinkStartParams): LinkTransfer {
    const now = this.clock.nowMs();
    const size = p.sizeBytes;
    if (!(size >= 0) || !Number.isFinite(size)) throw new RangeError(`transfer size must be finite and >= 0, got ${size}`);
    const latency = (p.latencyMs ?? this.latencyAtMs(now)) + (p.extraDelayMs ?? 0);
    if (!(latency >= 0) || !Number.isFinite(latency)) throw new RangeError(`latency must be finite and >= 0, got ${latency}`);
    const t = new LinkTransfer(this, this.nextSeq++, size, now, now + latency, p.listener);
    t.heapKey = t.firstByteMs;
    this.waiting.push(t);
    this.requested += size;
    this.rearm();
    return t;
  }

  /** Transfers waiting for their first byte or receiving. */
  get activeCount(): number {
    return this.waiting.size + this.receivingHeap.size;
  }

  /** Transfers currently sharing the capacity. */
  get receivingCount(): number {
    return this.receivingHeap.size;
  }

  /** Bytes asked for by every `start`. */
  get requestedBytes(): number {
    return this.requested;
  }

  /** Bytes that crossed the link for transfers that ended (all of a completed one, the part an aborted one got). */
  get deliveredBytes(): number {
    return this.delivered;
  }

  /** Bytes aborted transfers never received. With nothing active, delivered + this = requested. */
  get abortedRemainingBytes(): number {
    return this.abortedRemaining;
  }

  /** Aborts every transfer silently and disarms the timer (end of session). */
  close(): void {
    while (this.receivingHeap.size > 0) this.abort(this.receivingHeap.peek() as LinkTransfer);
    while (this.waiting.size > 0) this.abort(this.waiting.peek() as LinkTransfer);
    this.disarm();
  }

  /** @internal Bits `t` has received at the current clock time. */
  loadedBits(t: LinkTransfer): number {
    switch (t.state) {
      case State.Latency:
        return 0;
      case State.Receiving: {
        this.advance(this.clock.nowMs());
        const got = this.virtualBits - t.startVirtualBits;
        return got < 0 ? 0 : got > t.sizeBits ? t.sizeBits : got;
      }
      default:
        return t.finalBits;
    }
  }

  /** @internal */
  abort(t: LinkTransfer): void {
    t.silenced = true;
    if (t.state === State.Latency) {
      this.waiting.remove(t);
      this.endAborted(t, 0);
    } else if (t.state === State.Receiving) {
      // Bring the shared progress to now with the old share count, then drop this share.
      const got = this.loadedBits(t);
      this.receivingHeap.remove(t);
      this.completionAtMs = Number.NaN;
      this.endAborted(t, got);
      // Shortcut: nobody holds a tag when idle, so virtual time restarts at 0 (and stays small and precise).
      if (this.receivingHeap.size === 0) this.virtualBits = 0;
    } else {
      return;
    }
    this.rearm();
  }

  private endAborted(t: LinkTransfer, gotBits: number): void {
    t.state = State.Aborted;
    t.finalBits = gotBits;
    const gotBytes = gotBits / BITS_PER_BYTE;
    this.delivered += gotBytes;
    this.abortedRemaining += t.sizeBytes - gotBytes;
  }

  /** Brings `virtualBits` to clock time `nowMs` with the current share count. */
  private advance(nowMs: number): void {
    if (nowMs <= this.virtualAtMs) return;
    const n = this.receivingHeap.size;
    if (n > 0) {
      const bits = bitsBetween(this.trace, this.virtualAtMs + this.offsetMs, nowMs + this.offsetMs);
      // Float rounding can make a tiny negative difference; service never goes backwards.
      if (bits > 0) this.virtualBits += bits / n;
    }
    this.virtualAtMs = nowMs;
  }

  /** Arms the link's one timer at the next first byte or completion, moving it only if that time changed. */
  private rearm(): void {
    const next = this.waiting.peek();
    let atMs = next === undefined ? Infinity : next.heapKey;
    let tag = Number.NaN;
    const top = this.receivingHeap.peek();
    if (top !== undefined) {
      if (Number.isNaN(this.completionAtMs)) {
        // n shares of r bits each remain until the smallest tag: n·r bits of link capacity from now.
        const perShare = top.heapKey - this.virtualBits;
        this.completionAtMs =
          perShare > 0
            ? timeToDeliver(this.trace, this.virtualAtMs + this.offsetMs, this.receivingHeap.size * perShare) - this.offsetMs
            : this.virtualAtMs;
      }
      if (this.completionAtMs <= atMs) {
        atMs = this.completionAtMs;
        tag = top.heapKey;
      }
    }
    this.timerTag = tag;
    if (atMs === this.timerAtMs && this.timer !== undefined) return;
    this.disarm();
    if (atMs !== Infinity) {
      this.timerAtMs = atMs;
      this.timer = this.clock.setTimer(atMs, this.onTimer);
    }
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.timerAtMs = Infinity;
  }

  /**
   * The timer: first settle the state (completions, then first bytes: a transfer starting now shares nothing
   * with one ending now), re-arm, and only then call listeners, completions first, each batch in start order.
   * Listeners may start or abort transfers; those see a consistent link.
   */
  private fire(): void {
    if (this.firing) throw new Error('FluidLink timer re-entered (a listener drove the clock)');
    this.firing = true;
    this.timer = undefined;
    this.timerAtMs = Infinity;
    const now = this.clock.nowMs();
    this.advance(now);
    // The timer was computed to land exactly on this tag; absorb the rounding of the two computations.
    if (!Number.isNaN(this.timerTag) && this.timerTag > this.virtualBits) this.virtualBits = this.timerTag;

    const done = this.doneBatch;
    let nDone = 0;
    const limit = this.virtualBits + TIE_REL * Math.abs(this.virtualBits) + TIE_ABS_BITS;
    for (let top = this.receivingHeap.peek(); top !== undefined && top.heapKey <= limit; top = this.receivingHeap.peek()) {
      this.receivingHeap.pop();
      top.state = State.Done;
      top.finalBits = top.sizeBits;
      this.delivered += top.sizeBytes;
      done[nDone++] = top;
    }
    if (this.receivingHeap.size === 0) this.virtualBits = 0; // idle: restart virtual time (see abort)
    // Within one batch, ties broken by start order (FIFO) rather than by ulps of their tags.
    if (nDone > 1) sortBySeq(done, nDone);

    const started = this.firstByteBatch;
    let nStarted = 0;
    for (let top = this.waiting.peek(); top !== undefined && top.heapKey <= now; top = this.waiting.peek()) {
      this.waiting.pop();
      started[nStarted++] = top;
      if (top.sizeBits === 0) {
        // Zero-size transfers complete at their first byte and never take a share.
        top.state = State.Done;
      } else {
        top.state = State.Receiving;
        top.startVirtualBits = this.virtualBits;
        top.heapKey = this.virtualBits + top.sizeBits;
        this.receivingHeap.push(top);
      }
    }
    this.completionAtMs = Number.NaN;
    this.rearm();
    this.firing = false;

    for (let i = 0; i < nDone; i++) {
      const t = done[i] as LinkTransfer;
      if (!t.silenced) t.listener.onLinkDone(t, now);
    }
    for (let i = 0; i < nStarted; i++) {
      const t = started[i] as LinkTransfer;
      if (t.silenced) continue;
      t.listener.onLinkFirstByte(t, now);
      if (t.state === State.Done && !t.silenced) t.listener.onLinkDone(t, now);
    }
  }
}

/** Insertion sort by seq: batches are tiny (usually one), so this beats Array.prototype.sort and allocates nothing. */
function sortBySeq(a: LinkTransfer[], n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i] as LinkTransfer;
    let j = i - 1;
    while (j >= 0 && (a[j] as LinkTransfer).seq > x.seq) {
      a[j + 1] = a[j] as LinkTransfer;
      j--;
    }
    a[j + 1] = x;
  }
}
