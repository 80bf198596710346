/**
 * Throughput samples for the estimator when a download completes.
 *
 * - `per-request` (the reference, streaming-architecture.md §2.2 `measure_download`): the segment's bytes over its
 *   own download time. With parallel downloads each request sees only its share of the link, so the estimate
 *   runs low — the reference design's behaviour, reproduced on purpose.
 * - `aggregate`: every byte any download received since the previous sample, over the time the link was busy
 *   since then — what the link delivered, whatever the number of requests sharing it.
 */
import type { TransferTiming } from './transport.js';

export type ThroughputSampling = 'per-request' | 'aggregate';

/** A download as the aggregate meter sees it (the player's Download). */
export interface MeteredDownload {
  handle: { loadedBytes(): number; firstByteMs(): number | undefined } | undefined;
  /** Bytes of this download already counted in an earlier sample. */
  sampledBytes: number;
}

export interface ThroughputSample {
  bytes: number;
  transferMs: number;
  latencyMs: number;
  atMs: number;
}

/** Aggregate sampling state: the time of the previous sample. One per session. */
export class AggregateMeter {
  private lastSampleMs = Number.NEGATIVE_INFINITY;

  /**
   * The sample at the completion of `done` (its timing), with `others` still in flight. Their bytes so far are
   * counted now and not again. The interval starts at the previous sample, or later if no transfer was receiving
   * then (the earliest first byte among those counted), so idle link time is not charged.
   */
  sample(done: MeteredDownload, timing: TransferTiming, others: readonly MeteredDownload[]): ThroughputSample {
    let bytes = timing.bytes - done.sampledBytes;
    done.sampledBytes = timing.bytes;
    let fromMs = Math.max(this.lastSampleMs, timing.firstByteMs);
    for (const o of others) {
      const firstByteMs = o.handle?.firstByteMs();
      if (o.handle === undefined || firstByteMs === undefined) continue;
      const loaded = o.handle.loadedBytes();
      bytes += loaded - o.sampledBytes;
      o.sampledBytes = loaded;
      fromMs = Math.min(fromMs, Math.max(this.lastSampleMs, firstByteMs));
    }
    this.lastSampleMs = timing.doneMs;
    return { bytes, transferMs: timing.doneMs - fromMs, latencyMs: timing.firstByteMs - timing.requestMs, atMs: timing.doneMs };
  }
}
