/**
 * A pensieve run as abrlab's SessionResult (DESIGN.md "CLI contract"): segment rows in abrlab units, a summary
 * scored by src/qoe/models.ts, and the simulator's own figures under `compat`:
 * `compat.chunks = [{bitrateKbps, bufferS, rebufferS, chunkBytes, delayMs, reward, sleepMs, timeStampS}]`
 * (the first six are the columns of Pensieve's per-chunk logs; `timeStampS` is its cumulative time stamp) and
 * `compat.totalReward` (all chunks, the MODEL's "48-chunk total"), `compat.rewardExcludingFirst` (chunks 1..n−1,
 * the repository's own aggregate in plot_results.py).
 *
 * Mapping of Pensieve's model to abrlab's metrics: the whole first download (with its RTT) is rebuffer in
 * Pensieve, so it is the startup time here; stalls after startup are the rebuffers of chunks 1..n−1; every
 * chunk is eventually played, so `playMs` is the title length. `playedRebufferMs` keeps the first chunk's
 * startup so that `qoe.lin` equals Pensieve's total reward.
 */
import type { QoeScores, SegmentRow, SessionMetrics, SessionResult } from '../../qoe/types.js';
import { scoreAll } from '../../qoe/models.js';
import type { PensieveConfig } from './config.js';
import type { PensieveRun } from './session.js';

export interface PensieveChunkRow {
  bitrateKbps: number;
  bufferS: number;
  rebufferS: number;
  chunkBytes: number;
  delayMs: number;
  reward: number;
  sleepMs: number;
  timeStampS: number;
}

export function pensieveMetrics(run: PensieveRun, config: PensieveConfig): SessionMetrics {
  const n = run.quality.length;
  const kbps = config.bitratesKbps;
  const played: number[] = [];
  const rebuf: number[] = [];
  let rebufferMs = 0;
  let rebufferCount = 0;
  let switchCount = 0;
  let bytes = 0;
  let bitrateSum = 0;
  for (let k = 0; k < n; k++) {
    const b = kbps[run.quality[k] as number] as number;
    played.push(b);
    rebuf.push(run.rebufferMs[k] as number);
    bytes += run.chunkBytes[k] as number;
    bitrateSum += b;
    if (k > 0) {
      rebufferMs += run.rebufferMs[k] as number;
      if ((run.rebufferMs[k] as number) > 0) rebufferCount++;
      if (run.quality[k] !== run.quality[k - 1]) switchCount++;
    }
  }
  const contentMs = n * config.chunkMs;
  return {
    startupMs: n > 0 ? (run.rebufferMs[0] as number) : 0,
    rebufferMs,
    rebufferCount,
    playMs: contentMs,
    contentMs,
    // Chunks are all chunkMs long, so the time average is the plain mean.
    avgBitrateKbps: n > 0 ? bitrateSum / n : 0,
    switchCount,
    bytes,
    playedBitratesKbps: played,
    playedRebufferMs: rebuf,
    ladderKbps: kbps,
  };
}

export function pensieveChunkRows(run: PensieveRun, config: PensieveConfig): PensieveChunkRow[] {
  const rows: PensieveChunkRow[] = [];
  for (let k = 0; k < run.quality.length; k++) {
    rows.push({
      bitrateKbps: config.bitratesKbps[run.quality[k] as number] as number,
      bufferS: (run.bufferMs[k] as number) / 1000,
      rebufferS: (run.rebufferMs[k] as number) / 1000,
      chunkBytes: run.chunkBytes[k] as number,
      delayMs: run.delayMs[k] as number,
      reward: run.reward[k] as number,
      sleepMs: run.sleepMs[k] as number,
      timeStampS: (run.timeStampMs[k] as number) / 1000,
    });
  }
  return rows;
}

export function pensieveSegmentRows(run: PensieveRun, config: PensieveConfig): SegmentRow[] {
  const rows: SegmentRow[] = [];
  for (let k = 0; k < run.quality.length; k++) {
    const q = run.quality[k] as number;
    const requestMs = run.requestMs[k] as number;
    rows.push({
      index: k,
      repIndex: q,
      bitrateKbps: config.bitratesKbps[q] as number,
      sizeBytes: run.chunkBytes[k] as number,
      requestMs,
      firstByteMs: requestMs + config.linkRttMs,
      doneMs: requestMs + (run.delayMs[k] as number),
      bufferMs: run.bufferMs[k] as number,
      rebufferMs: run.rebufferMs[k] as number,
      abandoned: false,
    });
  }
  return rows;
}

export function pensieveSessionResult(run: PensieveRun, config: PensieveConfig, meta: { video: string }): SessionResult {
  const metrics = pensieveMetrics(run, config);
  const qoe: QoeScores = scoreAll(metrics);
  let totalReward = 0;
  let rewardExcludingFirst = 0;
  for (let k = 0; k < run.reward.length; k++) {
    totalReward += run.reward[k] as number;
    if (k > 0) rewardExcludingFirst += run.reward[k] as number;
  }
  return {
    profile: 'pensieve',
    policy: run.policy,
    trace: run.trace,
    video: meta.video,
    // fixed_env draws no random numbers: the seed changes nothing.
    seed: 0,
    segments: pensieveSegmentRows(run, config),
    summary: {
      startupMs: metrics.startupMs,
      rebufferMs: metrics.rebufferMs,
      rebufferCount: metrics.rebufferCount,
      rebufferRatio: metrics.playMs + metrics.rebufferMs > 0 ? metrics.rebufferMs / (metrics.playMs + metrics.rebufferMs) : 0,
      avgBitrateKbps: metrics.avgBitrateKbps,
      switchCount: metrics.switchCount,
      playMs: metrics.playMs,
      completion: metrics.contentMs > 0 ? metrics.playMs / metrics.contentMs : 0,
      bytes: metrics.bytes,
      qoe,
    },
    compat: {
      chunks: pensieveChunkRows(run, config),
      totalReward,
      rewardExcludingFirst,
      reasons: run.reasons,
    },
  };
}
