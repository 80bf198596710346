import type { PlayerConfig } from './config.js';

/**
 * The reference segment scheduler's rules as pure functions (reference design §2.3 "Segment Prefetching" and
 * "Buffer Rules"): how far ahead to fetch in each buffer band, and whether the buffer policy lets a new request
 * start now.
 */

/** How far past a buffer threshold a wake-up is set, ms (1 ns: far below anything measurable). */
export const CROSSING_EPSILON_MS = 1e-6;

/** Segments to keep requested beyond the buffered edge at this buffer level (5 / 3 / 1 by band). */
export function fetchAheadSegments(config: PlayerConfig, bufferMs: number): number {
  const edges = config.fetchAheadBandsMs;
  let band = 0;
  while (band < edges.length && bufferMs >= (edges[band] as number)) band++;
  return config.fetchAheadSegments[band] as number;
}

/** The next band edge at or below `bufferMs`, or undefined: a drain across it may allow more requests. */
export function nextBandEdgeBelow(config: PlayerConfig, bufferMs: number): number | undefined {
  let best: number | undefined;
  for (const edge of config.fetchAheadBandsMs) if (edge <= bufferMs && (best === undefined || edge > best)) best = edge;
  return best;
}

/** Inputs of one scheduling decision. */
export interface ScheduleState {
  nowMs: number;
  bufferMs: number;
  /** Media already requested beyond the buffered edge (in flight or done but not yet appended), ms. */
  pendingMs: number;
  /** Segments in flight or done but not appended. */
  pendingSegments: number;
  inFlight: number;
  /** Duration of the next segment to request, ms. */
  nextSegmentMs: number;
  /** True while filling towards the target; false after reaching it until the buffer falls below low water. */
  filling: boolean;
  /** Clock time the last download finished, ms (for pacing above the slow-down level). */
  lastDoneMs: number;
  /** Whether the playhead is moving (the buffer drains only while playing). */
  playing: boolean;
}

export type ScheduleVerdict =
  | { start: true }
  | { start: false; reason: 'parallel' | 'fetch-ahead' | 'target' | 'cap' | 'pace'; wakeAtMs: number | undefined };

/**
 * May a new request start now? When not, `wakeAtMs` says when the answer could change by the passage of time
 * alone (the buffer draining), or undefined if only a download event can change it.
 */
export function mayStartRequest(config: PlayerConfig, s: ScheduleState): ScheduleVerdict {
  if (s.inFlight >= config.maxParallel) return { start: false, reason: 'parallel', wakeAtMs: undefined };
  if (s.pendingSegments >= fetchAheadSegments(config, s.bufferMs)) {
    const edge = nextBandEdgeBelow(config, s.bufferMs);
    return { start: false, reason: 'fetch-ahead', wakeAtMs: edge === undefined ? undefined : drainWake(s, edge) };
  }
  const committedMs = s.bufferMs + s.pendingMs;
  if (committedMs + s.nextSegmentMs > config.maxBufferMs) {
    return { start: false, reason: 'cap', wakeAtMs: drainWake(s, config.maxBufferMs - s.nextSegmentMs - s.pendingMs) };
  }
  if (!s.filling) return { start: false, reason: 'target', wakeAtMs: drainWake(s, config.lowWaterMs) };
  if (s.bufferMs > config.slowDownAboveMs) {
    // Above the slow-down level, download no faster than playback consumes: one segment per segment duration.
    const paceAt = s.lastDoneMs + s.nextSegmentMs;
    if (s.nowMs < paceAt) return { start: false, reason: 'pace', wakeAtMs: paceAt };
  }
  return { start: true };
}

/**
 * When the draining buffer will reach `levelMs`, or undefined if it is not draining or already below. The wake is
 * set a hair after the crossing so the strict comparisons of the rules see it crossed despite floating-point
 * rounding of the playhead.
 */
function drainWake(s: ScheduleState, levelMs: number): number | undefined {
  return s.playing && s.bufferMs >= levelMs ? s.nowMs + (s.bufferMs - levelMs) + CROSSING_EPSILON_MS : undefined;
}

/**
 * Fill hysteresis: filling stops once the next segment would take buffer + pending media past the target, and
 * restarts when the buffer falls below low water, keeping the steady state in the reference's 20–30 s band.
 */
export function nextFilling(
  config: PlayerConfig,
  s: { filling: boolean; bufferMs: number; pendingMs: number; nextSegmentMs: number },
): boolean {
  // With nothing buffered or pending, always fetch: a target shorter than a segment must not stall forever.
  if (s.bufferMs + s.pendingMs === 0) return true;
  if (!s.filling && s.bufferMs >= config.lowWaterMs) return false;
  return s.bufferMs + s.pendingMs + s.nextSegmentMs <= config.targetBufferMs;
}
