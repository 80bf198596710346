/**
 * Abandonment polling: while downloads are in flight and the policy has an abandonment rule, ask it every
 * `abandonPollMs` whether to give up each download for a lower rung (BOLA, BOLA-E, throughput, hls.js, shaka).
 * The player carries the decision out (`host.abandon`); this module only decides when to ask and what to tell.
 */
import type { AbrContext, AbrPolicy } from '../abr/types.js';
import type { Clock } from '../core/clock.js';
import type { Download } from './download.js';
import type { TimerSlots } from './timer-slots.js';
import type { TransferHandle } from './transport.js';

/** What the poller needs from the player. */
export interface AbandonHost {
  readonly inFlight: readonly Download[];
  readonly ended: boolean;
  /** The policy's context, refreshed to now. */
  context(): AbrContext & { segmentIndex: number };
  abandon(d: Download, newIndex: number, reason: string): void;
}

export class AbandonPoller {
  constructor(
    private readonly clock: Clock,
    private readonly timers: TimerSlots,
    private readonly policy: AbrPolicy,
    private readonly pollMs: number,
    private readonly host: AbandonHost,
  ) {}

  /** Arms the next poll, unless one is pending or the policy never abandons. */
  arm(): void {
    if (this.policy.shouldAbandon === undefined || this.timers.poll !== undefined) return;
    this.timers.poll = this.clock.setTimer(this.clock.nowMs() + this.pollMs, this.onPoll);
  }

  private readonly onPoll = (): void => {
    this.timers.poll = undefined;
    const host = this.host;
    if (host.ended || host.inFlight.length === 0) return;
    const ctx = host.context();
    // A copy: abandoning replaces the download in the host's list.
    for (const d of [...host.inFlight]) {
      const handle = d.handle as TransferHandle;
      ctx.segmentIndex = d.segmentIndex;
      const verdict = this.policy.shouldAbandon?.(ctx, {
        segmentIndex: d.segmentIndex,
        repIndex: d.repIndex,
        loadedBytes: handle.loadedBytes(),
        totalBytes: handle.totalBytes() ?? d.expectedBytes,
        requestMs: d.requestMs,
        firstByteMs: handle.firstByteMs(),
      });
      if (verdict !== undefined && verdict.index < d.repIndex) host.abandon(d, verdict.index, verdict.reason);
    }
    if (host.inFlight.length > 0) this.arm();
  };
}
