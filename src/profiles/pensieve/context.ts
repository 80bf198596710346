/**
 * The AbrContext the pensieve profile hands to policies, filled from the simulator's state after each chunk
 * (what Pensieve's test scripts see: the returned buffer, the chunk just fetched, the throughput history).
 * One instance per session, updated in place (AbrContext's contract: no allocation per decision).
 */
import type { AbrContext, DownloadRecord, PlaybackPhase } from '../../abr/types.js';
import type { Catalog } from '../../origin/catalog.js';

export class PensieveContext implements AbrContext {
  /** Session clock, ms: Σ (delay + reported sleep) so far, i.e. the session's share of the logged time stamp. */
  nowMs = 0;
  segmentIndex = 0;
  /** fixed_env's returned buffer, ms: policies divide by 1000 to get exactly what the scripts see. */
  bufferMs = 0;
  lastIndex = -1;
  lastSwitchMs = Number.NEGATIVE_INFINITY;
  /** Harmonic mean of the last 5 samples (Pensieve has no estimator of its own; this is a courtesy for user policies). */
  throughputKbps: number | undefined = undefined;
  phase: PlaybackPhase = 'startup';
  playheadMs = 0;
  readonly history: DownloadRecord[] = [];

  constructor(
    readonly catalog: Catalog,
    /** fixed_env's BUFFER_THRESH, ms. */
    readonly maxBufferMs: number,
    /** Every rung is playable: Pensieve has no device caps. */
    readonly maxIndex: number,
    /** LINK_RTT: every request's time to first byte. */
    readonly latencyMs: number,
  ) {}
}
