import type { Catalog } from '../origin/catalog.js';

/** One completed (or abandoned) segment download, as ABR policies see it. */
export interface DownloadRecord {
  segmentIndex: number;
  repIndex: number;
  /** Bytes received (all of them unless abandoned). */
  bytes: number;
  requestMs: number;
  firstByteMs: number;
  doneMs: number;
  abandoned: boolean;
  /**
   * Request to done (or abort), ms, as the transport summed it. Optional: set where `doneMs - requestMs` would
   * not be bit-exact (the Sabre profile; the pensieve profile's `delay`); policies fall back to `doneMs - requestMs`.
   */
  elapsedMs?: number;
  /** When `abandoned`: the representation the abandonment rule chose (-1 when Sabre's replacer gave up). */
  abandonedToIndex?: number;
  /** True for a re-download of an already buffered segment at a higher quality (Sabre's `-r left|right`). */
  replacement?: boolean;
}

/** A throughput sample, fed to estimators once per completed request. */
export interface ThroughputSample {
  bytes: number;
  /** First byte to last byte, ms (excludes latency). */
  transferMs: number;
  /** Request to first byte, ms. */
  latencyMs: number;
  /** Clock time the sample completed, ms. */
  atMs: number;
}

/** Turns download samples into a bandwidth estimate. */
export interface ThroughputEstimator {
  addSample(sample: ThroughputSample): void;
  /** Current estimate in kbps, or undefined before any usable sample. */
  estimateKbps(): number | undefined;
  /** Forgets every sample (seek, new title). */
  reset(): void;
  /** Optional latency (time to first byte) estimate, ms, or undefined before any sample (Sabre's estimators). */
  latencyEstimateMs?(): number | undefined;
}

export type PlaybackPhase = 'startup' | 'playing' | 'rebuffering' | 'seeking' | 'ended';

/**
 * Everything a policy may look at when choosing the next segment's representation. The player owns one
 * instance per session and updates it in place before each decision (no allocation per segment), so a
 * policy must not keep a reference to it across calls.
 */
export interface AbrContext {
  readonly nowMs: number;
  readonly catalog: Catalog;
  /** Segment about to be requested. */
  readonly segmentIndex: number;
  /** Media buffered ahead of the playhead, ms. */
  readonly bufferMs: number;
  /** Buffer the player will not fill past, ms. */
  readonly maxBufferMs: number;
  /** Representation of the previous request, or -1 before the first. */
  readonly lastIndex: number;
  /** Clock time of the last representation switch, or -Infinity if none yet. */
  readonly lastSwitchMs: number;
  /** The player's bandwidth estimate, kbps, or undefined before the first sample. */
  readonly throughputKbps: number | undefined;
  /** The player's latency (time to first byte) estimate, ms, or undefined. */
  readonly latencyMs: number | undefined;
  /** Highest representation the device may play (inclusive), from device caps and degradations. */
  readonly maxIndex: number;
  /** Recent downloads, oldest first (bounded history kept by the player). */
  readonly history: readonly DownloadRecord[];
  readonly phase: PlaybackPhase;
  /** Playback position, ms of media time. */
  readonly playheadMs: number;
}

/** What a policy decided, and why (for telemetry and reports). */
export interface AbrDecision {
  /** Index into `catalog.representations` (ascending bitrate). */
  index: number;
  /** Wait this long before requesting, ms (BOLA's delay when the buffer is above target). */
  delayMs?: number;
  /** Short machine-friendly reason, e.g. `buffer<5s:lowest`, `bola:argmax`. */
  reason: string;
}

/** State of an in-flight download, for abandonment rules. */
export interface DownloadProgress {
  segmentIndex: number;
  repIndex: number;
  loadedBytes: number;
  totalBytes: number;
  requestMs: number;
  /** Undefined until the first byte arrived. */
  firstByteMs: number | undefined;
  /**
   * Request to now, ms, as the transport summed it. Optional: set where `ctx.nowMs - requestMs` would not be
   * bit-exact (the Sabre profile); policies fall back to `ctx.nowMs - requestMs`.
   */
  elapsedMs?: number;
  /** Request to first byte, ms, as summed by the transport; policies fall back to `firstByteMs - requestMs`. */
  timeToFirstByteMs?: number;
}

export interface AbandonDecision {
  /** Representation to re-request the segment at (lower than the current one). */
  index: number;
  reason: string;
}

/**
 * An ABR policy. One instance serves one session; it may keep state between calls. It must be deterministic:
 * no `Math.random`, no wall clock (time comes in `ctx.nowMs`).
 */
export interface AbrPolicy {
  readonly name: string;
  chooseRepresentation(ctx: AbrContext): AbrDecision;
  /** Polled while a download is in flight; return a decision to abandon it, or undefined to keep going. */
  shouldAbandon?(ctx: AbrContext, progress: DownloadProgress): AbandonDecision | undefined;
  /** Told about every finished or abandoned download, after the estimator has been updated. */
  onDownload?(record: DownloadRecord, ctx: AbrContext): void;
  /**
   * Told when the player idled `waitMs` because the buffer was full (not for a delay the policy asked for).
   * BOLA-E grows its placeholder buffer by it (Spiteri et al., MMSys 2018, §4; Sabre's `report_delay`).
   */
  onBufferFullWait?(waitMs: number, ctx: AbrContext): void;
  /** Told about playback events that reset policy state. */
  onEvent?(event: 'seek' | 'rebuffer' | 'playing', ctx: AbrContext): void;
}

/** Builds a fresh policy for one session. `params` come from the scenario or CLI. */
export type AbrPolicyFactory = (params?: Record<string, unknown>) => AbrPolicy;
