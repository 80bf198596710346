/**
 * Pieces shared by the content-type session drivers (live events, series, interactive titles): the options they
 * all take, building players on one clock and one shared link, timers keyed to the playhead, and small stats.
 *
 * The drivers assemble their players here rather than through `prepareSession` (src/sim/prepare.ts) because they
 * need the player hooks prepare does not pass on (segment availability, start segment) and several titles on one
 * link; the CDN/fault delivery path, the startup flow and telemetry are not offered for these session types yet.
 */
import type { AbrPolicy, ThroughputEstimator } from '../../abr/types.js';
import { createBuiltinPolicy } from '../../abr/registry.js';
import { createReferenceEwmaEstimator } from '../../abr/estimators/reference-ewma.js';
import type { Clock, TimerId } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import { FluidLink } from '../../net/fluid-link.js';
import type { Trace } from '../../net/trace.js';
import type { Catalog } from '../../origin/catalog.js';
import { SingleOrigin } from '../../origin/origin.js';
import { playerConfigSchema, type PlayerConfig, type PlayerConfigInput } from '../../player/config.js';
import { PlayerSession, type PlayerSessionOptions } from '../../player/session.js';
import type { Transport } from '../../player/transport.js';
import { SimTransport } from '../../net/sim-transport.js';
import type { QoeParamsInput } from '../../qoe/models.js';
import type { SessionResult } from '../../qoe/types.js';
import { DEFAULT_LINK_LATENCY_MS } from '../prepare.js';
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

/** The shared link of a content session. */
export function buildLink(opts: ContentSimOptions, clock: Clock): FluidLink {
  const latencyMs = opts.latencyMs ?? (opts.trace.latencyMs === undefined ? DEFAULT_LINK_LATENCY_MS : undefined);
  return new FluidLink({
    clock,
    trace: opts.trace,
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(opts.traceOffsetMs === undefined ? {} : { traceOffsetMs: opts.traceOffsetMs }),
  });
}

/** The player settings with the driver's defaults under the user's overrides; errors name `player.<field>`. */
export function resolvePlayerConfig(defaults: PlayerConfigInput, user: PlayerConfigInput | undefined): PlayerConfig {
  const parsed = playerConfigSchema.safeParse({ ...defaults, ...user });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InputError(issue?.message ?? 'invalid player settings', { field: `player.${issue?.path.join('.') ?? ''}` });
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
