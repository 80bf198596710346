/**
 * Live events (reference streaming-architecture.md §3.3): 2 s segments published as the encoder finishes them,
 * a viewer joining at the live edge minus a target latency, a 10–15 s buffer, and a DVR window (4 h) behind the
 * edge. Pure time arithmetic shared by the simulator's live session and live mode.
 *
 * Segment i covers media [i·D, (i+1)·D) and becomes available at `availabilityStartMs + (i+1)·D + publishDelayMs`
 * (the whole segment must be encoded and packaged before it is listed).
 */
import { z } from 'zod';

export const liveSchema = z
  .object({
    segmentDurationMs: z.number().positive().default(2000).describe('Live segment length, ms (reference: 2 s)'),
    availabilityStartMs: z.number().default(0).describe('Session-clock time when segment 0 starts being encoded, ms'),
    publishDelayMs: z.number().nonnegative().default(2000).describe('Encoding + packaging delay after a segment ends, ms'),
    targetLatencyMs: z.number().nonnegative().default(8000).describe('Join this far behind the live edge, ms (reference glass-to-glass 6–10 s)'),
    dvrWindowMs: z.number().positive().default(4 * 3600_000).describe('How far back a viewer may seek, ms (reference: 4 h rewind)'),
    minBufferMs: z.number().nonnegative().default(10_000).describe('Live buffer band, low end, ms (reference: 10–15 s)'),
    maxBufferMs: z.number().positive().default(15_000).describe('Live buffer band, high end, ms'),
  })
  .strict()
  .refine((l) => l.maxBufferMs >= l.minBufferMs, { message: 'maxBufferMs must be >= minBufferMs', path: ['maxBufferMs'] });

export type LiveConfig = z.output<typeof liveSchema>;

/** Newest segment available at clock time `nowMs` (-1 when none yet). */
export function liveEdgeSegment(nowMs: number, live: LiveConfig): number {
  return Math.floor((nowMs - live.availabilityStartMs - live.publishDelayMs) / live.segmentDurationMs) - 1;
}

/** When segment `index` becomes available, clock ms. */
export function availableAtMs(index: number, live: LiveConfig): number {
  return live.availabilityStartMs + (index + 1) * live.segmentDurationMs + live.publishDelayMs;
}

/** Media time of the live edge at `nowMs`: what has been encoded so far (not yet published). */
export function liveMediaMs(nowMs: number, live: LiveConfig): number {
  return Math.max(0, nowMs - live.availabilityStartMs);
}

/**
 * Where a viewer joining at `nowMs` starts: the segment holding media time (edge − target latency), not past
 * the newest available segment.
 */
export function joinSegment(nowMs: number, live: LiveConfig): number {
  const wanted = Math.floor((liveMediaMs(nowMs, live) - live.targetLatencyMs) / live.segmentDurationMs);
  return Math.max(0, Math.min(wanted, liveEdgeSegment(nowMs, live)));
}

/** Latency behind the live edge of a playhead at media time `playheadMs`, ms. */
export function latencyToEdgeMs(nowMs: number, playheadMs: number, live: LiveConfig): number {
  return liveMediaMs(nowMs, live) - playheadMs;
}

/** The earliest media time a DVR seek may reach at `nowMs`, aligned to a segment start. */
export function dvrStartMs(nowMs: number, live: LiveConfig): number {
  const earliest = Math.max(0, liveMediaMs(nowMs, live) - live.dvrWindowMs);
  return Math.ceil(earliest / live.segmentDurationMs) * live.segmentDurationMs;
}
