/**
 * Pieces shared by the content-type session drivers (live events, series, interactive titles): the options they
 * all take, building players on one clock and one shared link, timers keyed to the playhead, and small stats.
 *
 * The link and the player settings are built as `prepareSession` (src/sim/prepare.ts) builds them; the players
 * are assembled here because several titles share one clock and one link and hand segments to each other. The
 * CDN/fault delivery path, the startup flow and telemetry are not offered for these session types yet.
 */
import type { AbrPolicy, ThroughputEstimator } from '../../abr/types.js';
import { createBuiltinPolicy } from '../../abr/registry.js';
import { createReferenceEwmaEstimator } from '../../abr/estimators/reference-ewma.js';
import type { Clock, TimerId } from '../../core/clock.js';
import { FluidLink } from '../../net/fluid-link.js';
import type { Trace } from '../../net/trace.js';
import type { Catalog } from '../../origin/catalog.js';
import { SingleOrigin } from '../../origin/origin.js';
import type { PlayerConfig, PlayerConfigInput } from '../../player/config.js';
import { PlayerSession, type PlayerSessionOptions } from '../../player/session.js';
import type { Transport } from '../../player/transport.js';
import { SimTransport } from '../../net/sim-transport.js';
import type { QoeParamsInput } from '../../qoe/models.js';
import type { SessionMetrics, SessionResult, SessionTimeline } from '../../qoe/types.js';
import { buildLink as buildSessionLink, emptyTimeline, fillCapacity, parsePlayerConfig } from '../prepare.js';
import { summarize } from '../summary.js';

/** What every content driver takes: the network, the policy and the player's settings (as `SimulateOptions`). */
export interface ContentSimOptions {
  trace: Trace;
  /** A built-in policy name, or a factory (each title of a series gets a fresh policy: policies keep state). */
  policy: string | (() => AbrPolicy);
  policyParams?: Record<string, unknown>;
  /** Player settings (defaults: the reference player, with the content type's own buffer band where it has one). */
  player?: PlayerConfigInput;
  /** Link latency before each response's first byte, ms; default: the trace's own, else 40 ms. */
  latencyMs?: number;
  originLatencyMs?: number;
  traceOffsetMs?: number;
  /** Seed of the viewer model's draws (binge, choices); recorded in the results. */
  seed?: number | string;
  /** Throughput estimator, shared by every title of the session (same device, same network). */
  estimator?: ThroughputEstimator;
  qoe?: QoeParamsInput;
}

/** The shared link of a content session (the same link a plain session gets: src/sim/prepare.ts). */
export function buildLink(opts: ContentSimOptions, clock: Clock): FluidLink {
  return buildSessionLink(opts, clock);
}

/** The player settings with the driver's defaults under the user's overrides; errors name `player.<field>`. */
export function resolvePlayerConfig(defaults: PlayerConfigInput, user: PlayerConfigInput | undefined): PlayerConfig {
  return parsePlayerConfig({ ...defaults, ...user });
}

/** A fresh policy instance for one title. */
export function makePolicy(opts: ContentSimOptions): AbrPolicy {
  return typeof opts.policy === 'string' ? createBuiltinPolicy(opts.policy, opts.policyParams) : opts.policy();
}

export function makeEstimator(opts: ContentSimOptions): ThroughputEstimator {
  return opts.estimator ?? createReferenceEwmaEstimator();
}

/** A transport for one title's segments over the shared link. */
export function titleTransport(opts: ContentSimOptions, clock: Clock, link: FluidLink, catalog: Catalog): SimTransport {
  return new SimTransport({ clock, link, origin: new SingleOrigin({ catalog, latencyMs: opts.originLatencyMs ?? 0 }) });
}

/** One title's player on the shared clock; `extra` carries the content hooks (availability, start segment, end, telemetry). */
export function buildPlayer(p: {
  clock: Clock;
  transport: Transport;
  catalog: Catalog;
  policy: AbrPolicy;
  estimator: ThroughputEstimator;
  config: PlayerConfig;
  extra?: Partial<Pick<PlayerSessionOptions, 'segmentAvailableAtMs' | 'startSegment' | 'onEnd' | 'telemetry'>>;
}): PlayerSession {
  return new PlayerSession({
    clock: p.clock,
    transport: p.transport,
    catalog: p.catalog,
    policy: p.policy,
    estimator: p.estimator,
    config: p.config,
    ...p.extra,
  });
}

/**
 * The `SessionResult` of one ended title (segment rows and summary), as `simulateSession` reports it. Rows keep
 * the shared clock's times; the summary's `startupMs` counts from the title's own start (`startedAtMs`).
 */
export function titleResult(p: { session: PlayerSession; catalog: Catalog; opts: ContentSimOptions; policyName: string; profile: string; startedAtMs: number }): SessionResult {
  const metrics = p.session.log.metrics();
  if (p.session.log.startupMs !== undefined) metrics.startupMs = p.session.log.startupMs - p.startedAtMs;
  return {
    profile: p.profile,
    policy: p.policyName,
    trace: p.opts.trace.name,
    video: p.catalog.name,
    seed: p.opts.seed ?? 0,
    segments: p.session.log.rows,
    summary: summarize(metrics, p.opts.qoe, p.session.reason),
  };
}

/**
 * Calls `fn` once the playhead of `session` reaches media time `mediaMs`. Armed for when it would get there at
 * rate 1; a stall on the way delays it, so on firing it checks and re-arms for the remaining media (a stalled
 * playhead re-checks once per remaining span, never busy-waits at one instant). Returns a cancel function.
 * Not called if the session ends first.
 */
export function atPlayhead(clock: Clock, session: PlayerSession, mediaMs: number, fn: () => void): () => void {
  let timer: TimerId | undefined;
  const check = (): void => {
    timer = undefined;
    if (session.ended) return;
    const remainingMs = mediaMs - session.playheadNow();
    // 1e-6 ms tolerance: the playhead is a float sum of clock deltas.
    if (remainingMs <= 1e-6) return fn();
    timer = clock.setTimer(clock.nowMs() + remainingMs, check);
  };
  check();
  return () => {
    if (timer !== undefined) clock.cancel(timer);
    timer = undefined;
  };
}

/** Mean and 95th percentile (nearest rank) of a list; 0 for an empty one. */
export function meanP95(values: readonly number[]): { meanMs: number; p95Ms: number; maxMs: number } {
  if (values.length === 0) return { meanMs: 0, p95Ms: 0, maxMs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(0.95 * sorted.length));
  return {
    meanMs: values.reduce((a, v) => a + v, 0) / values.length,
    p95Ms: sorted[rank - 1] as number,
    maxMs: sorted[sorted.length - 1] as number,
  };
}

/** One title a content session played: its player and the clock time it started at. */
export interface PlayedTitle {
  session: PlayerSession;
  catalog: Catalog;
  startedAtMs: number;
}

/**
 * The whole content session as one `SessionResult` (the sweep runner's row): the titles' segment rows in play
 * order and one summary over everything played (startup of the first title; stalls, play time, bytes and
 * switches summed; bitrate weighted by play time; QoE scored over the played segments of all titles), plus, when
 * the players recorded timelines, one timeline on the shared clock. Gaps between titles are not stalls of any
 * player: the drivers report them on their own (transition gaps, branch stalls).
 */
export function combineTitles(p: { titles: readonly PlayedTitle[]; opts: ContentSimOptions; policyName: string; profile: string; video: string; endMs: number }): SessionResult & { timeline?: SessionTimeline } {
  const metrics = p.titles.map((t) => {
    const m = t.session.log.metrics();
    if (t.session.log.startupMs !== undefined) m.startupMs = t.session.log.startupMs - t.startedAtMs;
    return m;
  });
  const combined = metrics.length === 1 ? (metrics[0] as SessionMetrics) : sumMetrics(metrics);
  const last = p.titles[p.titles.length - 1]?.session;
  const result: SessionResult & { timeline?: SessionTimeline } = {
    profile: p.profile,
    policy: p.policyName,
    trace: p.opts.trace.name,
    video: p.video,
    seed: p.opts.seed ?? 0,
    segments: p.titles.flatMap((t) => t.session.log.rows),
    summary: summarize(combined, p.opts.qoe, last?.reason),
  };
  if (p.titles.length > 0 && p.titles.every((t) => t.session.log.timeline !== undefined)) {
    const timeline = emptyTimeline();
    p.titles.forEach((t, k) => {
      t.session.log.finishTimeline();
      const tl = t.session.log.timeline as SessionTimeline;
      if (k === 0) timeline.playStartMs = tl.playStartMs;
      timeline.buffer.tMs.push(...tl.buffer.tMs);
      timeline.buffer.bufferMs.push(...tl.buffer.bufferMs);
      timeline.played.tMs.push(...tl.played.tMs);
      timeline.played.kbps.push(...tl.played.kbps);
      timeline.stalls.push(...tl.stalls);
      timeline.marks.push(...tl.marks);
      // Where each later title (episode, scene) starts playing: the transitions the content metrics are about.
      if (k > 0) timeline.marks.push({ tMs: tl.playStartMs, kind: 'title', label: `${t.catalog.name} starts` });
    });
    fillCapacity(timeline, p.opts.trace, p.endMs, p.opts.traceOffsetMs ?? 0);
    result.timeline = timeline;
  }
  return result;
}

/** The metrics of titles played one after another, as one session's. */
function sumMetrics(all: readonly SessionMetrics[]): SessionMetrics {
  const first = all[0];
  let playMs = 0;
  let bitrateMs = 0;
  const m: SessionMetrics = {
    startupMs: first?.startupMs ?? 0,
    rebufferMs: 0,
    rebufferCount: 0,
    playMs: 0,
    contentMs: 0,
    avgBitrateKbps: 0,
    switchCount: 0,
    bytes: 0,
    playedBitratesKbps: all.flatMap((x) => x.playedBitratesKbps),
    playedRebufferMs: all.flatMap((x) => x.playedRebufferMs),
    ladderKbps: first?.ladderKbps ?? [],
  };
  for (const x of all) {
    m.rebufferMs += x.rebufferMs;
    m.rebufferCount += x.rebufferCount;
    m.contentMs += x.contentMs;
    m.switchCount += x.switchCount;
    m.bytes += x.bytes;
    playMs += x.playMs;
    bitrateMs += x.avgBitrateKbps * x.playMs;
  }
  m.playMs = playMs;
  m.avgBitrateKbps = playMs > 0 ? bitrateMs / playMs : 0;
  return m;
}
