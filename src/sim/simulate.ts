import { VirtualClock } from '../core/clock.js';
import type { AbrPolicy, ThroughputEstimator } from '../abr/types.js';
import type { Trace } from '../net/trace.js';
import type { Catalog } from '../origin/catalog.js';
import type { PlayerConfigInput } from '../player/config.js';
import type { DegradationConfigInput, DeviceConditions } from '../player/degradation.js';
import type { StartupFlowInput } from '../player/startup/startup-flow.js';
import type { QoeParamsInput } from '../qoe/models.js';
import type { SessionResultWithTimeline } from '../qoe/types.js';
import type { DeliveryOptions } from './delivery.js';
import { prepareSession } from './prepare.js';
import type { ScrubEpisode, TrickplayOptions } from './scrub.js';

export { DEFAULT_LINK_LATENCY_MS, prepareSession, type PreparedSession } from './prepare.js';

/** One simulated session: a trace, a title, a policy and the player's settings. */
export interface SimulateOptions {
  trace: Trace;
  catalog: Catalog;
  /** A built-in policy name, or a policy instance (fresh: policies keep per-session state). */
  policy: string | AbrPolicy;
  /** Parameters of a built-in policy. */
  policyParams?: Record<string, unknown>;
  /** Player settings (defaults: the reference player). */
  player?: PlayerConfigInput;
  /** Link latency before each response's first byte, ms; default: the trace's own latency, else 40 ms. */
  latencyMs?: number;
  /** Origin (server) delay before the first byte, ms, on top of the link latency. Default 0. */
  originLatencyMs?: number;
  /** Start this far into the trace, ms (the trace loops). Default 0. */
  traceOffsetMs?: number;
  /** The session's seed, recorded in the result (the fluid model itself draws nothing at random yet). */
  seed?: number | string;
  /** User seeks: at clock time `atMs`, seek to media time `toMs`. */
  seeks?: { atMs: number; toMs: number }[];
  /**
   * Trick-play scrubs (issue 9): at clock time `atMs` the user drags the seek bar from media `fromMs` to `toMs` over
   * `dragMs`, hovering every ~100 ms (each hover asks the thumbnail loader for a sprite sheet that shares the
   * link with the video), then seeks to `toMs` if `seek`. The result then carries `trickplay`.
   */
  scrubs?: ScrubEpisode[];
  /** Thumbnail loader and sprite settings for `scrubs` (defaults: the reference's LRU 5, ±2, ≤ 3, 150–250 KB). */
  trickplay?: TrickplayOptions;
  /** The user leaves at this session (clock) time, ms, if the session has not ended by then (early exit). */
  exitAtMs?: number;
  /** Throughput estimator; default the reference EWMA. */
  estimator?: ThroughputEstimator;
  qoe?: QoeParamsInput;
  /** Name of the profile recorded in the result. Default `fluid`. */
  profile?: string;
  /**
   * CDNs, faults, retry policy and prices (issue 7). With CDNs or faults the player goes through the reference
   * resilience layer and the result carries `delivery` and `cost`; a request error that survives it ends the
   * session (`endReason: 'fatal-error'`, `summary.error`), unless `player.retryDelaysMs` asks for more retries.
   */
  delivery?: DeliveryOptions;
  /** Device conditions of the reference degradations (§5.3): slow → 1080p cap, low memory → smaller buffer. */
  device?: DeviceConditions;
  /** Degradation thresholds; when given, high observed latency also drops the quality (policy wrapper). */
  degradation?: DegradationConfigInput;
  /**
   * The steps before the first segment request (reference §2.1 / §4.2): auth, playback API, manifest, DRM licence
   * and bookmark, parallel or sequential. Time to first frame then counts from the click; licence errors come from
   * `licence-error` fault rules in `delivery.faults`.
   */
  startupFlow?: StartupFlowInput;
  /** Collect the player's telemetry batches (every 30 s, reference §6.1) into `result.telemetry`. */
  telemetry?: boolean;
  /** When segment `index` may be requested, clock ms (a live title's publication times; default: all at once). */
  segmentAvailableAtMs?: (index: number) => number;
  /** Segment playback starts at (a live join, an intro skipped). Default 0. */
  startSegment?: number;
}


/**
 * Simulates one playback session of the reference player over the fluid link model and returns its result
 * (segment rows, summary with QoE, timeline). Deterministic: the same options give the same result.
 */
export function simulateSession(opts: SimulateOptions): SessionResultWithTimeline {
  const clock = new VirtualClock();
  const session = prepareSession(opts, clock);
  session.start();
  clock.run();
  return session.finish();
}
