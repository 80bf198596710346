/**
 * Player telemetry (reference streaming-architecture.md §6.1): the player emits events as they happen and sends
 * them in batches every 30 s, plus a final batch when the session ends. The simulator writes each batch as one
 * line of `telemetry.jsonl`; live mode uses the same schema, so a pipeline that reads one reads the other.
 *
 * Times are session-clock ms. Field names are a contract: add fields, never rename them.
 */
import type { Clock, TimerId } from '../core/clock.js';

export type TelemetryEvent =
  | {
      type: 'startup';
      atMs: number;
      /** Time to first frame, ms, and its parts when the startup flow ran (auth, manifest, licence, ...). */
      ttffMs: number;
      stepsMs?: Record<string, number>;
    }
  | { type: 'quality-change'; atMs: number; segmentIndex: number; fromKbps: number; toKbps: number; reason: string }
  | { type: 'rebuffer'; atMs: number; durationMs: number; segmentIndex: number }
  | { type: 'error'; atMs: number; kind: string; fatal: boolean; message: string }
  | { type: 'failover' | 'failback'; atMs: number; fromCdn: string; toCdn: string; reason: string }
  | { type: 'seek'; atMs: number; fromMs: number; toMs: number; latencyMs: number }
  | { type: 'end'; atMs: number; reason: string };

/** One batch as sent: `seq` counts batches from 0 within the session. */
export interface TelemetryBatch {
  session: string;
  seq: number;
  sentAtMs: number;
  events: TelemetryEvent[];
}

/** Reference batching interval: 30 s. */
export const TELEMETRY_BATCH_MS = 30_000;

export class TelemetryBatcher {
  private pending: TelemetryEvent[] = [];
  private seq = 0;
  private timer: TimerId | undefined;
  private closed = false;

  constructor(
    private readonly p: {
      clock: Clock;
      session: string;
      send: (batch: TelemetryBatch) => void;
      intervalMs?: number;
    },
  ) {}

  emit(e: TelemetryEvent): void {
    if (this.closed) return;
    this.pending.push(e);
    // Batches go out on a fixed grid (every 30 s from session start). The timer is armed only while something
    // waits to be sent, so an idle batcher leaves the clock empty and a simulation can end.
    if (this.timer === undefined) {
      const interval = this.p.intervalMs ?? TELEMETRY_BATCH_MS;
      const nextMs = (Math.floor(this.p.clock.nowMs() / interval) + 1) * interval;
      this.timer = this.p.clock.setTimer(nextMs, () => {
        this.timer = undefined;
        this.flush();
      });
    }
  }

  /** Sends what is pending now (no-op when nothing is). */
  flush(): void {
    if (this.timer !== undefined) this.p.clock.cancel(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch: TelemetryBatch = { session: this.p.session, seq: this.seq++, sentAtMs: this.p.clock.nowMs(), events: this.pending };
    this.pending = [];
    this.p.send(batch);
  }

  /** Sends the last batch; later events are dropped. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
