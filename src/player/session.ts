import type { Clock } from '../core/clock.js';
import type { AbrContext, AbrPolicy, DownloadRecord, PlaybackPhase, ThroughputEstimator } from '../abr/types.js';
import type { Catalog } from '../origin/catalog.js';
import { simSegmentUrl } from '../origin/urls.js';
import type { PlayerConfig } from './config.js';
import { mayStartRequest, nextFilling } from './scheduler.js';
import { SessionLog } from './session-log.js';
import type { TransferHandle, TransferTiming, Transport, TransportErrorKind } from './transport.js';
import { Download, type DownloadOwner } from './download.js';
import type { TelemetryEvent } from './telemetry.js';
import { AggregateMeter } from './throughput-sample.js';
import { AbandonPoller, type AbandonHost } from './abandonment.js';
import { deviceMaxIndex, highestAtOrBelow } from './ladder.js';
import { TimerSlots } from './timer-slots.js';

export interface PlayerSessionOptions {
  clock: Clock;
  transport: Transport;
  catalog: Catalog;
  policy: AbrPolicy;
  estimator: ThroughputEstimator;
  config: PlayerConfig;
  /** URL of a segment; defaults to the simulated origin's scheme. Live mode passes the manifest's URLs. */
  segmentUrl?: (repIndex: number, segmentIndex: number) => string;
  /** Byte range of a segment inside its URL (DASH SegmentList/SegmentBase, HLS EXT-X-BYTERANGE); default none. */
  segmentRange?: (repIndex: number, segmentIndex: number) => { start: number; end: number } | undefined;
  /**
   * When segment `index` may first be requested, clock ms (live: the packager has not published it before). The
   * player never requests a segment earlier; it arms a wake-up for that time instead. Default: always available.
   */
  segmentAvailableAtMs?: (index: number) => number;
  /** Segment playback starts at (live: the join point behind the edge; series: after a skipped intro). Default 0. */
  startSegment?: number;
  /** Called once when the session ends (title finished, user left, fatal error, or the time guard). */
  onEnd?: (reason: SessionEndReason) => void;
  /** Telemetry sink (src/player/telemetry.ts): startup, quality changes with reasons, rebuffers, errors, seeks, end. */
  telemetry?: (e: TelemetryEvent) => void;
}

export type SessionEndReason = 'finished' | 'user-exit' | 'fatal-error' | 'time-limit';

/**
 * The player: startup, playback, rebuffering and seek over a `Clock` and a `Transport`, asking an `AbrPolicy`
 * for each segment and the reference scheduler for when to fetch. It does no I/O and never reads the wall
 * clock, so the simulator and live mode drive the same code (DESIGN.md "One player, two drivers").
 *
 * Media time: segment i covers [i·D, i·D + d_i). The playhead moves at rate 1 while `phase === 'playing'`;
 * its position is computed from `playheadMs` at `playheadAtMs` so no timer ticks are needed.
 */
export class PlayerSession implements DownloadOwner, AbandonHost {
  readonly log: SessionLog;
  private readonly clock: Clock;
  private readonly transport: Transport;
  private readonly catalog: Catalog;
  private readonly policy: AbrPolicy;
  private readonly estimator: ThroughputEstimator;
  private readonly config: PlayerConfig;
  private readonly segmentUrl: (repIndex: number, segmentIndex: number) => string;
  private readonly segmentRange: PlayerSessionOptions['segmentRange'];
  private readonly onEnd: ((reason: SessionEndReason) => void) | undefined;
  private readonly availableAtMs: ((index: number) => number) | undefined;

  private phase: PlaybackPhase = 'startup';
  private endReason: SessionEndReason | undefined;
  /** Media time of the playhead at `playheadAtMs`. */
  private playheadMs = 0;
  private playheadAtMs = 0;
  /** Media time where the current played span began. */
  private spanFromMs = 0;
  /** Media time of the end of the contiguous appended data. */
  private bufferedEndMs = 0;
  /** Next segment to append, and next to request. */
  private nextAppend = 0;
  private nextRequest = 0;
  /** Downloads in flight. */
  /** @internal Downloads in flight (the abandonment poller reads them). */
  readonly inFlight: Download[] = [];
  /** Finished downloads waiting for their predecessors, by segment index. */
  private readonly ready = new Map<number, { repIndex: number }>();
  private filling = true;
  private lastDoneMs = -Infinity;
  private lastRepIndex = -1;
  private lastSwitchMs = -Infinity;
  private stallStartMs = 0;
  private seekStartMs = 0;
  private readonly history: DownloadRecord[] = [];
  private maxIndex: number;
  /** Playback may not start (the DRM licence is not in yet: src/player/startup). */
  private playbackHeld = false;
  private readonly emit: ((e: TelemetryEvent) => void) | undefined;
  private readonly timers: TimerSlots;
  private readonly poller: AbandonPoller;
  /** Aggregate throughput sampling (config.throughputSampling); undefined: per request, as the reference. */
  private readonly meter: AggregateMeter | undefined;
  /** Why the last decision chose what it chose (for the quality-change event). */
  private lastReason = '';
  /** Consecutive failures of the request being retried. */
  private failures = 0;
  private segmentsRequested = 0;
  /** Downloads completed so far (abandoned ones excluded). */
  private downloadsDone = 0;
  /** The context handed to the policy, updated in place (hot path: no allocation per decision). */
  private readonly ctx: {
    -readonly [K in keyof AbrContext]: AbrContext[K];
  };

  constructor(opts: PlayerSessionOptions) {
    this.clock = opts.clock;
    this.transport = opts.transport;
    this.catalog = opts.catalog;
    this.policy = opts.policy;
    this.estimator = opts.estimator;
    this.config = opts.config;
    this.segmentUrl = opts.segmentUrl ?? simSegmentUrl;
    this.segmentRange = opts.segmentRange;
    this.onEnd = opts.onEnd;
    this.availableAtMs = opts.segmentAvailableAtMs;
    this.emit = opts.telemetry;
    this.timers = new TimerSlots(opts.clock);
    this.poller = new AbandonPoller(opts.clock, this.timers, opts.policy, opts.config.abandonPollMs, this);
    this.meter = opts.config.throughputSampling === 'aggregate' ? new AggregateMeter() : undefined;
    this.log = new SessionLog(opts.catalog, opts.config.recordTimeline);
    this.maxIndex = deviceMaxIndex(opts.catalog, opts.config.maxHeightPx);
    this.ctx = {
      nowMs: 0,
      catalog: opts.catalog,
      segmentIndex: 0,
      bufferMs: 0,
      maxBufferMs: opts.config.maxBufferMs,
      lastIndex: -1,
      lastSwitchMs: -Infinity,
      throughputKbps: undefined,
      latencyMs: undefined,
      maxIndex: this.maxIndex,
      history: this.history,
      phase: 'startup',
      playheadMs: 0,
    };
    const first = Math.min(Math.max(0, Math.floor(opts.startSegment ?? 0)), opts.catalog.segmentCount - 1);
    if (first > 0) {
      this.playheadMs = first * opts.catalog.segmentDurationMs;
      this.spanFromMs = this.playheadMs;
      this.bufferedEndMs = this.playheadMs;
      this.nextAppend = first;
      this.nextRequest = first;
    }
  }

  /** Starts the session at the clock's current time. */
  start(): void {
    if (this.phase === 'ended') return;
    const now = this.clock.nowMs();
    this.playheadAtMs = now;
    this.timers.guard = this.clock.setTimer(now + this.config.maxSessionMs, () => this.end('time-limit'));
    this.log.bufferSample(now, 0);
    this.pump();
  }

  get ended(): boolean {
    return this.phase === 'ended';
  }

  get reason(): SessionEndReason | undefined {
    return this.endReason;
  }

  /** Current playback phase. */
  get currentPhase(): PlaybackPhase {
    return this.phase;
  }

  /** Media buffered ahead of the playhead now, ms. */
  bufferMs(): number {
    return Math.max(0, this.bufferedEndMs - this.playheadNow());
  }

  /** Playhead position now, media ms. */
  playheadNow(): number {
    if (this.phase !== 'playing') return this.playheadMs;
    return this.playheadMs + (this.clock.nowMs() - this.playheadAtMs);
  }

  /**
   * Seeks to media time `toMs` (reference §2.4): abort in-flight downloads, clear the buffer, land on the start
   * of the segment holding the target (a keyframe), fetch from there and resume; the latency is recorded.
   */
  seek(toMs: number): void {
    if (this.phase === 'ended') return;
    const now = this.clock.nowMs();
    this.seekFromMs = this.playheadNow();
    this.closeSpan(now);
    const target = Math.min(Math.max(0, toMs), this.catalog.durationMs - 1);
    const index = Math.min(this.catalog.segmentCount - 1, Math.floor(target / this.catalog.segmentDurationMs));
    for (const d of this.inFlight) d.handle?.abort();
    this.inFlight.length = 0;
    this.ready.clear();
    this.timers.cancel('delay');
    this.log.mark(now, 'seek', `seek to ${Math.round(target)} ms`);
    this.log.newEpoch();
    this.playheadMs = index * this.catalog.segmentDurationMs;
    this.playheadAtMs = now;
    this.spanFromMs = this.playheadMs;
    this.bufferedEndMs = this.playheadMs;
    this.nextAppend = index;
    this.nextRequest = index;
    this.filling = true;
    this.failures = 0;
    if (this.phase === 'rebuffering') this.closeStall(this.nextAppend, now);
    this.phase = this.log.startupMs === undefined ? 'startup' : 'seeking';
    this.seekStartMs = now;
    this.estimatorResetOnSeek();
    this.policy.onEvent?.('seek', this.refreshCtx());
    this.log.bufferSample(now, 0);
    this.armPlayTimer();
    this.pump();
  }

  /** The user leaves now. */
  exit(): void {
    this.end('user-exit');
  }

  /** Ends the session with a fatal error raised outside the download path (e.g. a DRM error at startup). */
  fail(kind: string, message: string): void {
    if (this.phase === 'ended') return;
    this.emit?.({ type: 'error', atMs: this.clock.nowMs(), kind, fatal: true, message });
    this.end('fatal-error');
  }

  /** Playback waits, whatever the buffer, until `releasePlayback` (segments are still fetched). */
  holdPlayback(): void {
    this.playbackHeld = true;
  }

  releasePlayback(): void {
    if (!this.playbackHeld) return;
    this.playbackHeld = false;
    if (this.phase === 'startup' && this.segmentsRequested > 0) this.afterAppend();
  }

  /** Lowers the quality cap to rungs at or below `heightPx` (never raises it), e.g. after an HDCP failure. */
  capMaxHeight(heightPx: number): void {
    this.maxIndex = Math.min(this.maxIndex, deviceMaxIndex(this.catalog, heightPx));
    this.ctx.maxIndex = this.maxIndex;
  }

  // ---- download lifecycle -------------------------------------------------------------------------------

  /** Issues as many requests as the scheduler allows, and arms a wake-up for when that may change. */
  private pump(): void {
    if (this.phase === 'ended' || this.timers.delay !== undefined) return;
    const now = this.clock.nowMs();
    for (;;) {
      if (this.nextRequest >= this.catalog.segmentCount) return this.timers.cancel('wake');
      if (this.notYetAvailable(now)) return;
      const bufferMs = this.bufferMs();
      const pendingMs = this.pendingMediaMs();
      const nextSegmentMs = this.catalog.segmentDurationAt(this.nextRequest);
      this.filling = nextFilling(this.config, { filling: this.filling, bufferMs, pendingMs, nextSegmentMs });
      const verdict = mayStartRequest(this.config, {
        nowMs: now,
        bufferMs,
        pendingMs,
        pendingSegments: this.inFlight.length + this.ready.size,
        // Before the first sample, count the empty slots as busy so only maxParallelBeforeFirstSample run.
        inFlight: this.inFlight.length + (this.downloadsDone === 0 ? this.config.maxParallel - this.config.maxParallelBeforeFirstSample : 0),
        nextSegmentMs,
        filling: this.filling,
        lastDoneMs: this.lastDoneMs,
        playing: this.phase === 'playing',
      });
      if (!verdict.start) {
        this.timers.cancel('wake');
        if (verdict.wakeAtMs !== undefined) this.timers.wake = this.clock.setTimer(verdict.wakeAtMs, this.onWake);
        return;
      }
      const decision = this.decide(this.nextRequest);
      if (decision.delayMs !== undefined && decision.delayMs > 0) {
        this.timers.cancel('wake');
        this.timers.delay = this.clock.setTimer(now + decision.delayMs, this.onDelayOver);
        return;
      }
      this.startDownload(this.nextRequest, decision.index);
      this.nextRequest++;
    }
  }

  private readonly onWake = (): void => {
    this.timers.wake = undefined;
    this.pump();
  };

  private readonly onDelayOver = (): void => {
    this.timers.delay = undefined;
    if (this.phase === 'ended' || this.nextRequest >= this.catalog.segmentCount) return;
    // A segment the packager has not published yet waits for it (pump arms the wake-up), then is decided afresh.
    if (this.notYetAvailable(this.clock.nowMs())) return;
    // BOLA-style delays are decided once: request now at the quality chosen after the wait.
    const decision = this.decide(this.nextRequest);
    this.startDownload(this.nextRequest, decision.index);
    this.nextRequest++;
    this.pump();
  };

  /** True (with a wake-up armed for its publication) when the next segment may not be requested yet. */
  private notYetAvailable(now: number): boolean {
    const atMs = this.availableAtMs?.(this.nextRequest);
    if (atMs === undefined || atMs <= now) return false;
    this.timers.cancel('wake');
    this.timers.wake = this.clock.setTimer(atMs, this.onWake);
    return true;
  }

  private decide(segmentIndex: number): { index: number; delayMs?: number } {
    if (this.config.startupBitrateKbps !== undefined && this.segmentsRequested < this.config.startupSegments) {
      return { index: Math.min(this.maxIndex, highestAtOrBelow(this.catalog, this.config.startupBitrateKbps)) };
    }
    const ctx = this.refreshCtx();
    ctx.segmentIndex = segmentIndex;
    const d = this.policy.chooseRepresentation(ctx);
    if (this.emit !== undefined) this.lastReason = d.reason;
    // The device cap binds whatever the policy says: a device cannot play what it cannot decode.
    const index = Math.max(0, Math.min(d.index | 0, this.maxIndex));
    return d.delayMs === undefined ? { index } : { index, delayMs: d.delayMs };
  }

  private startDownload(segmentIndex: number, repIndex: number): void {
    const now = this.clock.nowMs();
    if (this.lastRepIndex >= 0 && repIndex !== this.lastRepIndex) {
      this.lastSwitchMs = now;
      const reps = this.catalog.representations;
      this.emit?.({ type: 'quality-change', atMs: now, segmentIndex, fromKbps: reps[this.lastRepIndex]?.bitrateKbps ?? 0, toKbps: reps[repIndex]?.bitrateKbps ?? 0, reason: this.lastReason });
    }
    this.lastRepIndex = repIndex;
    this.segmentsRequested++;
    const d = new Download(this, segmentIndex, repIndex, now, this.catalog.sizesBytes[repIndex]?.[segmentIndex] ?? 0);
    this.inFlight.push(d);
    const url = this.segmentUrl(repIndex, segmentIndex);
    const rangeBytes = this.segmentRange?.(repIndex, segmentIndex);
    const timeoutMs = this.config.requestTimeoutMs;
    d.handle = this.transport.request(rangeBytes === undefined ? { url, timeoutMs } : { url, rangeBytes, timeoutMs }, d);
    this.poller.arm();
  }

  /** @internal Called by `Download` when its transfer finished. */
  downloadDone(d: Download, timing: TransferTiming): void {
    if (!this.removeInFlight(d)) return;
    this.failures = 0;
    this.downloadsDone++;
    this.lastDoneMs = timing.doneMs;
    if (this.meter !== undefined) this.estimator.addSample(this.meter.sample(d, timing, this.inFlight));
    else {
      this.estimator.addSample({
        bytes: timing.bytes,
        transferMs: timing.doneMs - timing.firstByteMs,
        latencyMs: timing.firstByteMs - timing.requestMs,
        atMs: timing.doneMs,
      });
    }
    this.ready.set(d.segmentIndex, { repIndex: d.repIndex });
    this.appendReady(timing.doneMs);
    this.logDownload(d, timing, false);
    this.afterAppend();
  }

  /** @internal Called by `Download` when its transfer failed. */
  downloadFailed(d: Download, kind: TransportErrorKind, atMs: number): void {
    if (!this.removeInFlight(d)) return;
    this.log.mark(atMs, 'error', `${kind} on segment ${d.segmentIndex}`);
    const delays = this.config.retryDelaysMs;
    const fatal = this.failures >= delays.length;
    this.emit?.({ type: 'error', atMs, kind, fatal, message: `segment ${d.segmentIndex}${fatal ? '' : `: retry in ${delays[this.failures]} ms`}` });
    if (fatal) return this.end('fatal-error');
    const delay = delays[this.failures] as number;
    this.failures++;
    // Retry the same segment after the back-off; later segments wait so appends stay in order.
    this.nextRequest = Math.min(this.nextRequest, d.segmentIndex);
    for (const other of this.inFlight.splice(0)) {
      if (other.segmentIndex > d.segmentIndex) other.handle?.abort();
      else this.inFlight.push(other);
    }
    for (const k of [...this.ready.keys()]) if (k > d.segmentIndex) this.ready.delete(k);
    this.timers.cancel('wake');
    this.timers.delay = this.clock.setTimer(atMs + delay, this.onDelayOver);
  }

  private removeInFlight(d: Download): boolean {
    const i = this.inFlight.indexOf(d);
    if (i < 0) return false;
    this.inFlight.splice(i, 1);
    return true;
  }

  /**
   * A finished or abandoned download: its row in the session log (buffer level after any append), its record in
   * the policy's history, and the policy's `onDownload`.
   */
  private logDownload(d: Download, timing: TransferTiming, abandoned: boolean): void {
    const record = this.record(d, timing, abandoned);
    this.log.addRow({
      index: d.segmentIndex,
      repIndex: d.repIndex,
      bitrateKbps: this.catalog.representations[d.repIndex]?.bitrateKbps ?? 0,
      sizeBytes: timing.bytes,
      requestMs: timing.requestMs,
      firstByteMs: timing.firstByteMs,
      doneMs: timing.doneMs,
      bufferMs: this.bufferMs(),
      rebufferMs: 0,
      abandoned,
    });
    this.policy.onDownload?.(record, this.refreshCtx());
  }

  private record(d: Download, timing: TransferTiming, abandoned: boolean): DownloadRecord {
    const r: DownloadRecord = {
      segmentIndex: d.segmentIndex,
      repIndex: d.repIndex,
      bytes: timing.bytes,
      requestMs: timing.requestMs,
      firstByteMs: timing.firstByteMs,
      doneMs: timing.doneMs,
      abandoned,
    };
    this.history.push(r);
    if (this.history.length > this.config.historySize) this.history.shift();
    return r;
  }

  /** Appends finished segments in order. */
  private appendReady(now: number): void {
    let appended = false;
    for (let r = this.ready.get(this.nextAppend); r !== undefined; r = this.ready.get(this.nextAppend)) {
      this.ready.delete(this.nextAppend);
      // Advance the playhead bookkeeping to now before moving the buffered edge.
      this.syncPlayhead(now);
      this.bufferedEndMs += this.catalog.segmentDurationAt(this.nextAppend);
      this.log.appendedSegment(this.nextAppend, r.repIndex);
      this.nextAppend++;
      appended = true;
    }
    if (appended) this.log.bufferSample(now, this.bufferMs());
  }

  /** Phase changes that an append can cause, then more requests. */
  private afterAppend(): void {
    const now = this.clock.nowMs();
    const bufferMs = this.bufferMs();
    const allIn = this.nextAppend >= this.catalog.segmentCount;
    if (this.phase === 'startup' && !this.playbackHeld && (bufferMs >= this.config.startupBufferMs || allIn)) {
      this.log.startupMs = now;
      this.emit?.({ type: 'startup', atMs: now, ttffMs: now });
      if (this.log.timeline) this.log.timeline.playStartMs = now;
      this.play(now);
    } else if (this.phase === 'rebuffering' && (bufferMs >= this.config.resumeBufferMs || allIn)) {
      this.closeStall(this.stallSegment, now);
      this.play(now);
    } else if (this.phase === 'seeking' && (bufferMs >= this.config.seekResumeBufferMs || allIn) && bufferMs > 0) {
      this.log.seekLatenciesMs.push(now - this.seekStartMs);
      this.emit?.({ type: 'seek', atMs: this.seekStartMs, fromMs: this.seekFromMs, toMs: this.playheadMs, latencyMs: now - this.seekStartMs });
      this.play(now);
    } else if (this.phase === 'playing') {
      this.armPlayTimer();
    }
    this.pump();
  }

  /** Segment the playhead was waiting for when the current stall began. */
  private stallSegment = 0;

  private play(now: number): void {
    this.syncPlayhead(now);
    this.phase = 'playing';
    this.spanFromMs = this.playheadMs;
    this.spanStartClockMs = now;
    this.policy.onEvent?.('playing', this.refreshCtx());
    this.armPlayTimer();
  }

  /** Arms the timer for when the buffer runs dry (a stall) or the title (or the user's watch time) ends. */
  private armPlayTimer(): void {
    this.timers.cancel('play');
    if (this.phase !== 'playing') return;
    const now = this.clock.nowMs();
    const stopAtMedia = Math.min(this.bufferedEndMs, this.watchEndMs());
    this.timers.play = this.clock.setTimer(now + Math.max(0, stopAtMedia - this.playheadNow()), this.onPlayTimer);
  }

  private readonly onPlayTimer = (): void => {
    this.timers.play = undefined;
    const now = this.clock.nowMs();
    this.syncPlayhead(now);
    if (this.playheadMs >= this.watchEndMs() - 1e-9) {
      this.end(this.watchEndMs() < this.catalog.durationMs ? 'user-exit' : 'finished');
      return;
    }
    if (this.playheadMs < this.bufferedEndMs - 1e-9) return this.armPlayTimer();
    this.closeSpan(now);
    this.phase = 'rebuffering';
    this.stallStartMs = now;
    this.stallSegment = this.nextAppend;
    this.log.bufferSample(now, 0);
    this.policy.onEvent?.('rebuffer', this.refreshCtx());
    this.pump();
  };

  private watchEndMs(): number {
    return Math.min(this.catalog.durationMs, this.config.watchMs ?? Infinity);
  }

  private syncPlayhead(now: number): void {
    if (this.phase === 'playing') {
      // The watch-end clamp only matters on the real clock, whose play timer can fire a little late: the user
      // leaves at the watch time, not when the timer ran. (The virtual clock's timer is exact, so there it is a
      // no-op; a playhead already past the watch end, after a seek there, is left alone.)
      const watchEndMs = this.watchEndMs();
      const limitMs = this.playheadMs <= watchEndMs ? Math.min(this.bufferedEndMs, watchEndMs) : this.bufferedEndMs;
      this.playheadMs = Math.min(limitMs, this.playheadMs + (now - this.playheadAtMs));
    }
    this.playheadAtMs = now;
  }

  /** Ends the current played span (stall, seek, end) so the log knows which media was played and when. */
  private closeSpan(now: number): void {
    if (this.phase !== 'playing') return;
    this.syncPlayhead(now);
    this.log.played(this.spanFromMs, this.playheadMs, this.spanStartClockMs);
    this.spanFromMs = this.playheadMs;
  }

  /** Clock time the current played span began. */
  private spanStartClockMs = 0;
  /** Playhead when the current seek began. */
  private seekFromMs = 0;

  /** Logs the stall that began at `stallStartMs` as over at `now`, charged to `segment`. */
  private closeStall(segment: number, now: number): void {
    this.log.stall(segment, this.stallStartMs, now);
    this.emit?.({ type: 'rebuffer', atMs: this.stallStartMs, durationMs: now - this.stallStartMs, segmentIndex: segment });
  }

  // ---- abandonment (the poller asks the policy: abandonment.ts) -------------------------------------------

  /** @internal Gives up download `d` for rung `newIndex` (AbandonPoller's verdict). */
  abandon(d: Download, newIndex: number, reason: string): void {
    const now = this.clock.nowMs();
    const handle = d.handle as TransferHandle;
    const loaded = handle.loadedBytes();
    const firstByte = handle.firstByteMs() ?? now;
    handle.abort();
    this.removeInFlight(d);
    this.log.mark(now, 'abandon', `segment ${d.segmentIndex}: ${reason}`);
    this.logDownload(d, { requestMs: d.requestMs, firstByteMs: firstByte, doneMs: now, bytes: loaded }, true);
    this.lastRepIndex = newIndex;
    this.lastSwitchMs = now;
    this.startDownload(d.segmentIndex, newIndex);
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private pendingMediaMs(): number {
    let ms = 0;
    for (const d of this.inFlight) ms += this.catalog.segmentDurationAt(d.segmentIndex);
    for (const k of this.ready.keys()) ms += this.catalog.segmentDurationAt(k);
    return ms;
  }

  private estimatorResetOnSeek(): void {
    // Throughput history stays valid across a seek (same network); only playback state is reset.
  }

  /** @internal The policy's context refreshed to now (the abandonment poller asks with it). */
  context(): AbrContext & { segmentIndex: number } {
    return this.refreshCtx();
  }

  private refreshCtx(): AbrContext & { segmentIndex: number } {
    const c = this.ctx;
    c.nowMs = this.clock.nowMs();
    c.bufferMs = this.bufferMs();
    c.lastIndex = this.lastRepIndex;
    c.lastSwitchMs = this.lastSwitchMs;
    c.throughputKbps = this.estimator.estimateKbps();
    c.phase = this.phase;
    c.playheadMs = this.playheadNow();
    c.segmentIndex = this.nextRequest;
    return c;
  }

  private end(reason: SessionEndReason): void {
    if (this.phase === 'ended') return;
    const now = this.clock.nowMs();
    this.closeSpan(now);
    if (this.phase === 'rebuffering') this.closeStall(this.stallSegment, now);
    this.phase = 'ended';
    this.endReason = reason;
    this.emit?.({ type: 'end', atMs: now, reason });
    for (const d of this.inFlight) d.handle?.abort();
    this.inFlight.length = 0;
    this.timers.cancelAll();
    this.onEnd?.(reason);
  }
}
