/**
 * Per-session outputs shared by the fluid simulator, the compatibility profiles and live mode. The field names
 * are the `--json` contract of DESIGN.md ("CLI contract"); add fields, never rename them.
 */

/** One segment download in a session, in request order. */
export interface SegmentRow {
  index: number;
  repIndex: number;
  bitrateKbps: number;
  sizeBytes: number;
  requestMs: number;
  firstByteMs: number;
  doneMs: number;
  /** Buffer level right after this segment was appended, ms. */
  bufferMs: number;
  /** Stall time charged to this segment (playback stopped while waiting for it), ms. */
  rebufferMs: number;
  abandoned: boolean;
}

/** What QoE models score. Times in ms, rates in kbps. */
export interface SessionMetrics {
  /** Time to first frame: request of the first segment (or session start) to playback start, ms. */
  startupMs: number;
  /** Total stall time after playback started (startup excluded), ms. */
  rebufferMs: number;
  rebufferCount: number;
  /** Media time played, ms. */
  playMs: number;
  /** Title duration, ms. */
  contentMs: number;
  /** Time-average bitrate of the media played, kbps. */
  avgBitrateKbps: number;
  /** Number of representation changes between consecutive played segments. */
  switchCount: number;
  /** Bytes received, abandoned transfers included. */
  bytes: number;
  /**
   * Bitrate (kbps) of each played segment in play order, and the stall charged to each (ms): the chunk-level
   * view that Pensieve's QoE models sum over.
   */
  playedBitratesKbps: readonly number[];
  playedRebufferMs: readonly number[];
  /** Ladder, ascending kbps: Pensieve's models normalise by the lowest and penalise by the highest rung. */
  ladderKbps: readonly number[];
  /**
   * The same three in H.264-equivalent kbps, when the title's rungs carry a `qualityKbps` (another codec): QoE
   * models score these, so an AV1 rung counts as the quality it delivers, not the bits it costs.
   */
  quality?: { avgKbps: number; playedKbps: readonly number[]; ladderKbps: readonly number[] };
  /** Seeks the user made (the fluid player and live mode record them; compatibility profiles have none). */
  seekCount?: number;
  /** Latency of each seek that resumed playback: seek to first frame at the target, ms. */
  seekLatenciesMs?: readonly number[];
}

export interface QoeScores {
  /** Reference composite score, 0–100 (reference design §4.3). */
  reference: number;
  /** Pensieve's QoE_lin, summed over segments. */
  lin: number;
  /** Pensieve's QoE_log. */
  log: number;
  /** Pensieve's QoE_hd. */
  hd: number;
}

export interface SessionSummary {
  startupMs: number;
  rebufferMs: number;
  rebufferCount: number;
  /** rebufferMs / playMs, as the reference formula defines it (§4.3). */
  rebufferRatio: number;
  avgBitrateKbps: number;
  switchCount: number;
  playMs: number;
  /** playMs / contentMs, 0–1. */
  completion: number;
  bytes: number;
  qoe: QoeScores;
  /**
   * Why the session ended: the title finished, the user left (watch time), a fatal error, or the session time
   * guard. Anything but `finished` / `user-exit` means the figures describe a partial session.
   */
  endReason?: 'finished' | 'user-exit' | 'fatal-error' | 'time-limit';
  /** Seeks made (present for the fluid player and live mode; reference §2.4). */
  seekCount?: number;
  /** Mean and largest seek latency over the seeks that resumed playback, ms (reference target < 500 ms). */
  seekLatencyMeanMs?: number;
  seekLatencyMaxMs?: number;
  /** With `endReason: 'fatal-error'`: the error that ended the session (a transport error kind or a DRM code). */
  error?: { kind: string; message: string };
}

/** What the delivery model did in a session (issue 7; present when the session had CDNs or faults). */
export interface DeliverySummary {
  /** Requests sent (every retry counts), retries, CDN switches. */
  attempts: number;
  retries: number;
  failovers: number;
  failbacks: number;
  /** Bytes received by attempts that then failed. */
  wastedBytes: number;
  /** Bytes received from each CDN (played, abandoned or wasted), and attempts sent to each. */
  bytesByCdn: Record<string, number>;
  requestsByCdn: Record<string, number>;
  /** Per CDN: requests it answered, cache hits and misses, errors. */
  cdns: Record<string, { requests: number; hits: number; misses: number; errors: number; bytesAnswered: number }>;
}

/** Delivery cost of a session: total and per CDN tier (reference §7 prices). */
export interface DeliveryCost {
  usd: number;
  tiers?: Record<string, { bytes: number; usd: number }>;
  /** usd per hour of media played. */
  usdPerStreamingHour?: number;
}

/** What trick play did in a session (issue 9; present when the session had scrub episodes). */
export interface TrickplaySummary {
  /** Whether thumbnails were fetched (false: the user scrubbed without previews, an A/B control). */
  enabled: boolean;
  /** Scrub episodes (drags) the user made. */
  episodes: number;
  /** Hover events that needed a thumbnail, and those whose sprite sheet was already cached. */
  requests: number;
  hits: number;
  /** hits / requests (reference §2.5.6 quotes 85–95 % with preloading). */
  hitRate: number;
  /** Hovers whose thumbnail was eventually shown (a hit, or its sheet arrived before the session ended). */
  shown: number;
  /** Time from hover to thumbnail over the shown hovers (hits count 0), ms: mean and p95 (type 7). */
  latencyMeanMs?: number;
  latencyP95Ms?: number;
  /** Sprite sheets downloaded, their bytes, and failed sheet requests. */
  sheetDownloads: number;
  bytes: number;
  failures: number;
}

export interface SessionResult {
  profile: string;
  policy: string;
  trace: string;
  video: string;
  seed: number | string;
  segments: SegmentRow[];
  summary: SessionSummary;
  /** Compatibility profiles put their simulator's own figures here (DESIGN.md, CLI contract). */
  compat?: Record<string, unknown>;
  /** With the CDN / fault model on: delivery counters and cost. */
  delivery?: DeliverySummary;
  cost?: DeliveryCost;
  /** With the startup flow on: when each step (auth, playbackApi, manifest, licence, bookmark) ran, session ms. */
  startupSteps?: { steps: Record<string, { startMs: number; endMs: number }>; licenceAttempts: number; licenceErrors: string[] };
  /** With scrub episodes: trick-play thumbnail counters (sprite bytes are not in `summary.bytes`). */
  trickplay?: TrickplaySummary;
  /** With telemetry on: the batches the player sent (every 30 s, and at the end). */
  telemetry?: { session: string; seq: number; sentAtMs: number; events: Record<string, unknown>[] }[];
}

/** Time series for drawing one session (report drill-down). Times are on the session clock, ms. */
export interface SessionTimeline {
  /** Link capacity as a step function: rate `kbps[i]` from `tMs[i]` on. */
  capacity: { tMs: number[]; kbps: number[] };
  /** Buffer level samples (a polyline: the buffer drains linearly between samples while playing). */
  buffer: { tMs: number[]; bufferMs: number[] };
  /** Played representation as a step function: bitrate `kbps[i]` plays from `tMs[i]` on. */
  played: { tMs: number[]; kbps: number[] };
  /** Stalls after startup, [startMs, endMs). */
  stalls: { startMs: number; endMs: number }[];
  /** When playback first started, ms. */
  playStartMs: number;
  /** Marked events: abandonments, seeks, failovers (later: errors). */
  marks: { tMs: number; kind: 'abandon' | 'seek' | 'failover' | 'error' | 'title'; label: string }[];
}

/** A session result that also carries its timeline (kept for a sample of sessions in large runs). */
export interface SessionResultWithTimeline extends SessionResult {
  timeline: SessionTimeline;
}
