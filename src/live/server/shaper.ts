import { BITS_PER_BYTE } from '../../core/units.js';
import { bitsBetween, type Trace } from '../../net/trace.js';

/** A response body being sent through a shaper. */
export interface ShapedFlow {
  /** Bytes still to send. */
  remainingBytes(): number;
  /** True while the socket is full (backpressure): the flow gets no share until it drains. */
  blocked(): boolean;
  /** Sends `bytes` now (at most `remainingBytes()`). */
  send(bytes: number): void;
}

/** Trace time shared by every shaper of a server: trace time 0 is the moment `start` is first called. */
export class TraceTime {
  private originMs: number | undefined;

  constructor(private readonly now: () => number) {}

  /** Starts trace time now unless already started. */
  start(): void {
    if (this.originMs === undefined) this.originMs = this.now();
  }

  get started(): boolean {
    return this.originMs !== undefined;
  }

  /** Trace time now, ms (0 before the start). */
  nowMs(): number {
    return this.originMs === undefined ? 0 : this.now() - this.originMs;
  }
}

export interface TraceShaperOptions {
  trace: Trace;
  time: TraceTime;
  /**
   * Tick of the shaper, ms. Each tick hands out exactly the trace's capacity since the previous one (integrated
   * from the trace, so a late wake-up sends more rather than losing capacity). 5 ms keeps quantisation error
   * below 1 % of a 1 s transfer while costing 200 wake-ups a second only while bodies are flowing.
   */
  tickMs?: number;
}

/**
 * A token bucket whose fill rate follows a trace, shared by its flows as a processor-sharing link: the capacity
 * of each tick is split equally among flows that can take it (water-filling: a flow that needs less than its
 * share leaves the rest to the others), the fluid model of the simulator (src/net/fluid-link.ts) in real time.
 * Capacity not used while no flow is active is lost, as on a real link; fractions of a byte carry over.
 */
export class TraceShaper {
  private readonly flows = new Set<ShapedFlow>();
  private readonly tickMs: number;
  private timer: NodeJS.Timeout | undefined;
  private lastTraceMs = 0;
  private carryBits = 0;

  constructor(private readonly opts: TraceShaperOptions) {
    this.tickMs = opts.tickMs ?? 5;
  }

  get activeFlows(): number {
    return this.flows.size;
  }

  add(flow: ShapedFlow): void {
    this.opts.time.start();
    if (this.flows.size === 0) {
      // The link was idle: capacity since the last tick is gone.
      this.lastTraceMs = this.opts.time.nowMs();
      this.carryBits = 0;
    }
    this.flows.add(flow);
    this.schedule();
  }

  remove(flow: ShapedFlow): void {
    this.flows.delete(flow);
    if (this.flows.size === 0) this.stop();
  }

  /** Kicks a flow that was blocked and has drained. */
  wake(): void {
    this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer === undefined && this.flows.size > 0) this.timer = setTimeout(this.tick, this.tickMs);
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    const now = this.opts.time.nowMs();
    let bits = this.carryBits + bitsBetween(this.opts.trace, this.lastTraceMs, now);
    this.lastTraceMs = now;
    // Water-filling over the flows that can take bytes now.
    let open = [...this.flows].filter((f) => !f.blocked() && f.remainingBytes() > 0);
    while (open.length > 0 && bits >= BITS_PER_BYTE) {
      const shareBits = bits / open.length;
      const next: ShapedFlow[] = [];
      let spentBits = 0;
      for (const f of open) {
        const want = f.remainingBytes();
        const give = Math.min(want, Math.floor(shareBits / BITS_PER_BYTE));
        if (give > 0) {
          f.send(give);
          spentBits += give * BITS_PER_BYTE;
        }
        if (give < want && !f.blocked()) next.push(f);
      }
      bits -= spentBits;
      // Nothing handed out (every share below one byte) or nobody left wanting: stop filling.
      if (spentBits === 0 || next.length === open.length) break;
      open = next;
    }
    // Carry at most what a flow could not take this tick because of rounding; an idle or blocked link
    // does not bank capacity (no bursts above the trace).
    this.carryBits = open.length > 0 ? Math.min(bits, this.flows.size * BITS_PER_BYTE * 1500) : 0;
    this.schedule();
  };
}
