/**
 * Sabre's 24 printed metrics (in print order, snake_case of its labels, in the units it prints) and the
 * conversion of a Sabre session to abrlab's `SessionResult` (DESIGN.md, CLI contract).
 */
import { rebufferRatio, scoreAll } from '../../qoe/models.js';
import type { SessionMetrics, SessionResult, SessionSummary } from '../../qoe/types.js';
import type { SabreMovie } from './inputs.js';
import type { SabreOptions } from './options.js';
import type { SabreLoopResult } from './session.js';

/** Sabre's printed labels, in print order. `metricKey(label)` gives the `compat.metrics` key. */
export const SABRE_METRIC_LABELS = [
  'buffer size',
  'total played utility',
  'time average played utility',
  'total played bitrate',
  'time average played bitrate',
  'total play time',
  'total play time chunks',
  'total rebuffer',
  'rebuffer ratio',
  'time average rebuffer',
  'total rebuffer events',
  'time average rebuffer events',
  'total bitrate change',
  'time average bitrate change',
  'total log bitrate change',
  'time average log bitrate change',
  'time average score',
  'over estimate count',
  'over estimate',
  'leq estimate count',
  'leq estimate',
  'estimate',
  'rampup time',
  'total reaction time',
] as const;

export type SabreMetricLabel = (typeof SABRE_METRIC_LABELS)[number];
type SnakeCase<S extends string> = S extends `${infer A} ${infer B}` ? `${A}_${SnakeCase<B>}` : S;
export type SabreMetricKey = SnakeCase<SabreMetricLabel>;
export type SabreMetrics = Record<SabreMetricKey, number>;

export const metricKey = (label: string): string => label.replace(/ /g, '_');

/**
 * The metrics as Sabre computes them before printing (with `%f`, i.e. 6 decimals; the values here are not
 * rounded). "Time average" divides by the wall time in segments, startup and stalls included.
 */
export function sabreMetrics(r: SabreLoopResult, movie: SabreMovie, o: SabreOptions): SabreMetrics {
  const pb = r.playback;
  const seg = movie.segmentMs;
  const bufferMs = o.maxBufferS * 1000;
  const P = pb.totalPlayMs;
  const R = pb.rebufferMs;
  const ta = 1 / (P / seg);
  return {
    buffer_size: Math.trunc(bufferMs),
    total_played_utility: pb.playedUtility,
    time_average_played_utility: pb.playedUtility * ta,
    total_played_bitrate: pb.playedBitrateKbps,
    time_average_played_bitrate: pb.playedBitrateKbps * ta,
    total_play_time: P / 1000,
    total_play_time_chunks: P / seg,
    total_rebuffer: R / 1000,
    rebuffer_ratio: R / P,
    time_average_rebuffer: (R / 1000) * ta,
    total_rebuffer_events: pb.rebufferEvents,
    time_average_rebuffer_events: pb.rebufferEvents * ta,
    total_bitrate_change: pb.totalBitrateChangeKbps,
    time_average_bitrate_change: pb.totalBitrateChangeKbps * ta,
    total_log_bitrate_change: pb.totalLogBitrateChange,
    time_average_log_bitrate_change: pb.totalLogBitrateChange * ta,
    time_average_score: ta * (pb.playedUtility - (o.gammaP * R) / seg),
    over_estimate_count: r.overCount,
    over_estimate: r.overCount === 0 ? 0 : r.overAvgKbps,
    leq_estimate_count: r.leqCount,
    leq_estimate: r.leqCount === 0 ? 0 : r.leqAvgKbps,
    estimate: r.estimateAvgKbps,
    rampup_time: pb.rampupMs === undefined ? (movie.segmentCount * seg) / 1000 : pb.rampupMs / 1000,
    total_reaction_time: pb.totalReactionMs / 1000,
  };
}

/** abrlab's per-session metrics of a Sabre session (what the QoE models score). */
export function sabreSessionMetrics(r: SabreLoopResult, movie: SabreMovie): SessionMetrics {
  const pb = r.playback;
  return {
    startupMs: r.startupMs,
    rebufferMs: pb.rebufferMs,
    rebufferCount: pb.rebufferEvents,
    playMs: pb.totalPlayMs - pb.rebufferMs - r.startupMs,
    contentMs: movie.segmentCount * movie.segmentMs,
    avgBitrateKbps: pb.playedCount === 0 ? 0 : pb.playedBitrateKbps / pb.playedCount,
    switchCount: pb.switchCount,
    bytes: r.receivedBits / 8,
    playedBitratesKbps: pb.playedBitrates,
    playedRebufferMs: pb.playedStallMs,
    ladderKbps: Array.from(movie.bitratesKbps),
  };
}

export function sabreSessionResult(p: {
  loop: SabreLoopResult;
  movie: SabreMovie;
  options: SabreOptions;
  policy: string;
  trace: string;
  video: string;
  /** Sabre's stray stdout lines besides the metrics (BOLA-E's Bb, replacement warnings). */
  stdout: string[];
}): SessionResult {
  const m = sabreSessionMetrics(p.loop, p.movie);
  const summary: SessionSummary = {
    startupMs: m.startupMs,
    rebufferMs: m.rebufferMs,
    rebufferCount: m.rebufferCount,
    rebufferRatio: rebufferRatio(m),
    avgBitrateKbps: m.avgBitrateKbps,
    switchCount: m.switchCount,
    playMs: m.playMs,
    completion: m.playMs / m.contentMs,
    bytes: m.bytes,
    qoe: scoreAll(m),
  };
  return {
    profile: 'sabre',
    policy: p.policy,
    trace: p.trace,
    video: p.video,
    seed: 0,
    segments: p.loop.rows,
    summary,
    compat: {
      metrics: sabreMetrics(p.loop, p.movie, p.options),
      tooLateToReplace: p.loop.tooLateToReplace,
      stdout: p.stdout,
    },
  };
}
