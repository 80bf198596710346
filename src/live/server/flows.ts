import type { ServerResponse } from 'node:http';
import type { BodySource } from './body.js';
import type { ShapedFlow } from './shaper.js';

/** What hands bytes to flows: a `TraceShaper`, or `DirectPump` when no trace shapes the link. */
export interface FlowScheduler {
  add(flow: ShapedFlow): void;
  remove(flow: ShapedFlow): void;
  wake(): void;
}

/** Sends as fast as the socket takes it (no shaping), in 64 KiB writes, resuming on `drain` or new file bytes. */
export class DirectPump implements FlowScheduler {
  private readonly flows = new Set<ShapedFlow>();
  private scheduled = false;

  add(flow: ShapedFlow): void {
    this.flows.add(flow);
    this.wake();
  }

  remove(flow: ShapedFlow): void {
    this.flows.delete(flow);
  }

  wake(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Deferred so that a flow never re-enters the pump from inside its own send().
    setImmediate(this.run);
  }

  private readonly run = (): void => {
    this.scheduled = false;
    for (const f of [...this.flows]) {
      while (!f.blocked() && f.remainingBytes() > 0) f.send(Math.min(f.remainingBytes(), 64 * 1024));
    }
  };
}

export interface ResponseFlowOptions {
  res: ServerResponse;
  source: BodySource;
  /** Bytes to send through the scheduler. */
  sendBytes: number;
  /** After `sendBytes`, end the response (normal) or leave it open with nothing more sent (a stall fault). */
  thenEnd: boolean;
  scheduler: FlowScheduler;
  onBytes: (n: number) => void;
  /** A stalled response left open: the server destroys it when it closes. */
  onStalled: (res: ServerResponse) => void;
}

/** One response body going out through a scheduler. */
export class ResponseFlow implements ShapedFlow {
  private left: number;
  private finished = false;

  constructor(private readonly o: ResponseFlowOptions) {
    this.left = o.sendBytes;
    o.res.on('drain', this.onDrain);
    o.res.on('close', this.onClose);
  }

  start(): void {
    if (this.left === 0) return this.finish();
    this.o.scheduler.add(this);
  }

  remainingBytes(): number {
    return this.finished ? 0 : Math.min(this.left, this.o.source.available());
  }

  blocked(): boolean {
    return this.o.res.writableNeedDrain || this.o.res.destroyed;
  }

  send(bytes: number): void {
    const n = Math.min(bytes, this.left);
    for (const b of this.o.source.take(n)) this.o.res.write(b);
    this.left -= n;
    this.o.onBytes(n);
    if (this.left === 0) this.finish();
  }

  /** File bytes arrived: let the scheduler hand this flow capacity again. */
  readonly readable = (): void => this.o.scheduler.wake();

  private readonly onDrain = (): void => this.o.scheduler.wake();

  private readonly onClose = (): void => {
    // The client went away (abort, timeout) or the response ended: free the share and the file.
    if (!this.finished) this.finish(true);
  };

  private finish(aborted = false): void {
    this.finished = true;
    this.o.scheduler.remove(this);
    this.o.res.off('drain', this.onDrain);
    this.o.source.close();
    if (aborted) return;
    if (this.o.thenEnd) this.o.res.end();
    else this.o.onStalled(this.o.res);
  }
}
