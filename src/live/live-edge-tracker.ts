import type { Clock, TimerId } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import { availableAtMs, joinSegment, latencyToEdgeMs, liveSchema, type LiveConfig } from '../content/live-edge.js';
import type { Catalog } from '../origin/catalog.js';
import type { PlayerSession } from '../player/session.js';
import type { TelemetryEvent } from '../player/telemetry.js';
import type { Transport } from '../player/transport.js';
import { meanP95 } from '../sim/content/common.js';
import type { LiveEventResult, LiveStall } from '../sim/content/live-event.js';
import type { LiveTiming } from './manifest/title.js';

/**
 * Latency to the live edge in live mode, measured exactly as the simulator's live-event driver measures it
 * (src/sim/content/live-event.ts), so a live session and a simulated one compare field by field: the same
 * join rule (src/content/live-edge.ts `joinSegment`), the same sampling (at the first frame, then every segment
 * duration), the same stall bookkeeping from the player's telemetry, and the same early-request check.
 *
 * The manifest gives the event's timing on the wall clock (epoch ms); this maps it once onto the session's
 * RealClock, so everything after runs on the monotonic clock.
 */
export type LiveEdgeStats = Omit<LiveEventResult, 'session'>;

export interface LiveEdgeSettings {
  /** Join this far behind the live edge, ms (default: live-edge.ts, 8 s). */
  targetLatencyMs?: number;
  /** How often latency is sampled, ms; default one segment duration (as the simulator). */
  sampleEveryMs?: number;
  /** Ask this long after a segment's publication time, ms (default 10). */
  availabilityGuardMs?: number;
}

/**
 * The client's copy of the wall clock can be off by a millisecond or so: the origin's and the client's epochs
 * each come from a whole-millisecond Date.now() and the manifest's date-times carry whole milliseconds. Asking
 * exactly at the publication time would then meet a 404 now and then; 10 ms is well above that and far below
 * anything that moves latency. (Across machines, clock offset needs DASH UTCTiming, which is not read.)
 */
const DEFAULT_AVAILABILITY_GUARD_MS = 10;

export class LiveEdgeTracker {
  readonly live: LiveConfig;
  readonly joinAtMs: number;
  readonly joinSegment: number;
  private readonly sampleEveryMs: number;
  private readonly lastPublishedMs: number;
  private readonly samples: { tMs: number; latencyMs: number }[] = [];
  private readonly buffers: number[] = [];
  private readonly stalls: LiveStall[] = [];
  private readonly indexByUrl = new Map<string, number>();
  private firstFrameMs: number | undefined;
  private session: PlayerSession | undefined;
  private timer: TimerId | undefined;
  private early = 0;
  private nextSampleAtMs = 0;
  private readonly guardMs: number;

  /**
   * @param epochAtClockZeroMs the wall-clock epoch when `clock` read 0 (read once by the caller).
   */
  constructor(
    private readonly clock: Clock,
    args: { timing: LiveTiming; epochAtClockZeroMs: number; catalog: Catalog; segmentUrls: readonly (readonly string[])[]; settings?: LiveEdgeSettings },
  ) {
    const { timing, settings } = args;
    const parsed = liveSchema.safeParse({
      segmentDurationMs: timing.segmentDurationMs,
      availabilityStartMs: timing.encoderStartEpochMs - args.epochAtClockZeroMs,
      publishDelayMs: timing.publishDelayMs,
      ...(settings?.targetLatencyMs === undefined ? {} : { targetLatencyMs: settings.targetLatencyMs }),
      ...(timing.dvrWindowMs === undefined || !(timing.dvrWindowMs > 0) ? {} : { dvrWindowMs: timing.dvrWindowMs }),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(issue?.message ?? 'invalid live settings', { field: `live.${issue?.path.join('.') ?? ''}` });
    }
    this.live = parsed.data;
    this.sampleEveryMs = settings?.sampleEveryMs ?? this.live.segmentDurationMs;
    if (!(this.sampleEveryMs > 0)) throw new InputError(`sampleEveryMs must be > 0, got ${this.sampleEveryMs}`, { field: 'sampleEveryMs' });
    this.guardMs = settings?.availabilityGuardMs ?? DEFAULT_AVAILABILITY_GUARD_MS;
    this.joinAtMs = clock.nowMs();
    this.lastPublishedMs = availableAtMs(args.catalog.segmentCount - 1, this.live);
    if (this.joinAtMs >= this.lastPublishedMs) {
      throw new InputError('the live event has ended (its last segment is published): nothing is left to play at the edge', { field: 'url' });
    }
    this.joinSegment = Math.min(joinSegment(this.joinAtMs, this.live), args.catalog.segmentCount - 1);
    for (const urls of args.segmentUrls) urls.forEach((u, i) => this.indexByUrl.set(u, i));
  }

  /** The player's availability hook: segment i is published at this clock time. */
  readonly segmentAvailableAtMs = (index: number): number => availableAtMs(index, this.live) + this.guardMs;

  /** Counts requests made before their segment's publication (the availability hook keeps this at 0). */
  wrap(inner: Transport): Transport {
    return {
      request: (req, listener) => {
        const seg = this.indexByUrl.get(req.url);
        // The half millisecond: RealClock may fire a wake-up that much early (it rounds to whole ms).
        if (seg !== undefined && this.clock.nowMs() < availableAtMs(seg, this.live) - 0.5) this.early++;
        return inner.request(req, listener);
      },
    };
  }

  /** Telemetry observer: the first frame, and each stall as it closes (the playhead is still where it stopped). */
  readonly observe = (e: TelemetryEvent): void => {
    const session = this.session;
    if (session === undefined) return;
    const now = this.clock.nowMs();
    if (e.type === 'startup') {
      this.firstFrameMs = now;
      this.samples.push({ tMs: now, latencyMs: latencyToEdgeMs(now, session.playheadNow(), this.live) });
    } else if (e.type === 'rebuffer' && e.durationMs > 0) {
      this.stalls.push({ startMs: e.atMs, durationMs: e.durationMs, latencyAfterMs: latencyToEdgeMs(now, session.playheadNow(), this.live) });
    } else if (e.type === 'end') {
      const last = this.stalls[this.stalls.length - 1];
      if (last !== undefined && last.startMs + last.durationMs >= now - 1e-9) this.stalls.pop();
      if (this.timer !== undefined) this.clock.cancel(this.timer);
      this.timer = undefined;
    }
  };

  /** Starts sampling the session (call right before `session.start()`). */
  attach(session: PlayerSession): void {
    this.session = session;
    this.nextSampleAtMs = this.clock.nowMs();
    this.sample();
  }

  private readonly sample = (): void => {
    const session = this.session;
    this.timer = undefined;
    if (session === undefined || session.ended) return;
    const now = this.clock.nowMs();
    if (this.firstFrameMs !== undefined && now > this.firstFrameMs) {
      this.samples.push({ tMs: now, latencyMs: latencyToEdgeMs(now, session.playheadNow(), this.live) });
      if (session.currentPhase === 'playing' && now < this.lastPublishedMs) this.buffers.push(session.bufferMs());
    }
    // The next point of the grid from the join (the clock may fire a hair early or late: lateness does not
    // accumulate, and a grid point already passed is skipped rather than sampled twice).
    this.nextSampleAtMs += this.sampleEveryMs;
    while (this.nextSampleAtMs <= now) this.nextSampleAtMs += this.sampleEveryMs;
    this.timer = this.clock.setTimer(this.nextSampleAtMs, this.sample);
  };

  /** The simulator's live-event figures, from the session's summary. */
  stats(summary: { rebufferCount: number; rebufferMs: number }): LiveEdgeStats {
    const b = this.buffers;
    return {
      kind: 'live',
      live: this.live,
      joinAtMs: this.joinAtMs,
      joinSegment: this.joinSegment,
      ttffMs: this.firstFrameMs === undefined ? 0 : this.firstFrameMs - this.joinAtMs,
      latency: { samples: this.samples, ...meanP95(this.samples.map((s) => s.latencyMs)) },
      buffer: {
        meanMs: b.length === 0 ? 0 : b.reduce((x, y) => x + y, 0) / b.length,
        minMs: b.length === 0 ? 0 : Math.min(...b),
        maxMs: b.length === 0 ? 0 : Math.max(...b),
      },
      rebufferCount: summary.rebufferCount,
      rebufferMs: summary.rebufferMs,
      stalls: this.stalls,
      maxLatencyAfterStallMs: this.stalls.reduce((m, s) => Math.max(m, s.latencyAfterMs), 0),
      earlyRequests: this.early,
    };
  }
}
