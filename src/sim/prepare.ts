import type { Clock, TimerId } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { createBuiltinPolicy } from '../abr/registry.js';
import { createReferenceEwmaEstimator } from '../abr/estimators/reference-ewma.js';
import { FluidLink } from '../net/fluid-link.js';
import { SimTransport } from '../net/sim-transport.js';
import type { Trace } from '../net/trace.js';
import { FaultInjector } from '../origin/faults.js';
import { SingleOrigin } from '../origin/origin.js';
import { playerConfigSchema, type PlayerConfig, type PlayerConfigInput } from '../player/config.js';
import { degradationSchema, degradeConfig, withLatencyDegradation } from '../player/degradation.js';
import { PlayerSession } from '../player/session.js';
import { StartupFlow, startupFlowSchema } from '../player/startup/startup-flow.js';
import { TelemetryBatcher, type TelemetryBatch, type TelemetryEvent } from '../player/telemetry.js';
import type { SessionResult, SessionResultWithTimeline, SessionTimeline } from '../qoe/types.js';
import { buildDelivery, wantsDelivery, type Delivery, type DeliveryOptions } from './delivery.js';
import type { SimulateOptions } from './simulate.js';
import { summarize } from './summary.js';
import { scrubSetup, startScrubbing, withThumbnails } from './scrub.js';

/** Default link latency when neither the caller nor the trace gives one, ms: a typical broadband/CDN RTT. */
export const DEFAULT_LINK_LATENCY_MS = 40;

/** The link of one session (or of a content session's titles, which share it): the trace, its latency, its offset. */
export function buildLink(opts: Pick<SimulateOptions, 'trace' | 'latencyMs' | 'traceOffsetMs'>, clock: Clock): FluidLink {
  const latencyMs = opts.latencyMs ?? (opts.trace.latencyMs === undefined ? DEFAULT_LINK_LATENCY_MS : undefined);
  return new FluidLink({
    clock,
    trace: opts.trace,
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(opts.traceOffsetMs === undefined ? {} : { traceOffsetMs: opts.traceOffsetMs }),
  });
}

/** Validated player settings; the error names the field as `player.<field>`. */
export function parsePlayerConfig(input: PlayerConfigInput): PlayerConfig {
  const parsed = playerConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InputError(issue?.message ?? 'invalid player settings', { field: `player.${issue?.path.join('.') ?? ''}` });
}

/** A session assembled on a clock: start it, run the clock, then read its result. */
export interface PreparedSession {
  /** Starts the session (or its startup flow) and the user's timers, at the clock's current time. */
  start(): void;
  /** The result, once the session has ended (call after the clock has run). */
  finish(): SessionResultWithTimeline;
}

/**
 * Assembles one session on `clock` (the link, the delivery path, the policy, the player, telemetry and the user's
 * timers) without running it, so several sessions can share one clock (src/sim/group.ts: sessions sharing CDN
 * edges). `simulateSession` is `prepareSession` + `clock.run()` + `finish()`.
 */
export function prepareSession(opts: SimulateOptions, clock: Clock): PreparedSession {
  const resilient = wantsDelivery(opts.delivery);
  // The resilience layer already retried each request; a failure that reaches the player is final by default.
  const playerInput = resilient && opts.player?.retryDelaysMs === undefined ? { ...opts.player, retryDelaysMs: [] } : (opts.player ?? {});
  const parsed = parsePlayerConfig(playerInput);
  const degradation = degradationSchema.parse(opts.degradation ?? {});
  const config = opts.device === undefined ? parsed : degradeConfig(parsed, opts.device, degradation);
  const link = buildLink(opts, clock);
  let session: PlayerSession | undefined;
  // Trick play (issue 9): only sessions with scrub episodes get the sprite-sheet origin and a thumbnail loader;
  // the sheets go through the session's own transport (and CDNs), competing with the video for the link.
  const scrub = scrubSetup({ scrubs: opts.scrubs, trickplay: opts.trickplay, catalog: opts.catalog });
  const delivery: Delivery | undefined = resilient
    ? buildDelivery({
        wrapUpstream: (origin) => withThumbnails(origin, scrub),
        clock,
        link,
        catalog: opts.catalog,
        originLatencyMs: opts.originLatencyMs ?? 0,
        seed: opts.seed ?? 0,
        options: opts.delivery as DeliveryOptions,
        onEvent: (e) => {
          if (e.kind !== 'failover' && e.kind !== 'failback') return;
          session?.log.mark(e.atMs, 'failover', `${e.kind} ${e.fromCdn} → ${e.toCdn}: ${e.reason}`);
          batcher?.emit({ type: e.kind, atMs: e.atMs, fromCdn: e.fromCdn, toCdn: e.toCdn, reason: e.reason });
        },
      })
    : undefined;
  const transport =
    delivery?.transport ?? new SimTransport({ clock, link, origin: withThumbnails(new SingleOrigin({ catalog: opts.catalog, latencyMs: opts.originLatencyMs ?? 0 }), scrub) });
  let scrubbing: ReturnType<typeof startScrubbing> | undefined;
  const chosen = typeof opts.policy === 'string' ? createBuiltinPolicy(opts.policy, opts.policyParams) : opts.policy;
  const policy = opts.degradation === undefined ? chosen : withLatencyDegradation(chosen, degradation);
  // User timers (seeks, exit) still pending when the session ends are cancelled, so the clock — and the drawn
  // timeline — stops there.
  const userTimers: TimerId[] = [];
  const batches: TelemetryBatch[] = [];
  const batcher = opts.telemetry
    ? new TelemetryBatcher({ clock, session: `${opts.trace.name}/${chosen.name}/${String(opts.seed ?? 0)}`, send: (b) => batches.push(b) })
    : undefined;
  let flowError: { kind: string; message: string } | undefined;
  let endedAtMs: number | undefined;
  session = new PlayerSession({
    clock,
    transport,
    catalog: opts.catalog,
    policy,
    estimator: opts.estimator ?? createReferenceEwmaEstimator(),
    config,
    ...(opts.segmentAvailableAtMs === undefined ? {} : { segmentAvailableAtMs: opts.segmentAvailableAtMs }),
    ...(opts.startSegment === undefined ? {} : { startSegment: opts.startSegment }),
    onEnd: () => {
      endedAtMs = clock.nowMs();
      userTimers.forEach((t) => clock.cancel(t));
      scrubbing?.stop();
      // The last batch goes out now, so no batching timer keeps the clock past the session.
      batcher?.close();
    },
    ...(batcher === undefined ? {} : { telemetry: (e: TelemetryEvent) => batcher.emit(e) }),
  });
  let flow: StartupFlow | undefined;
  const player = session;
  return {
    start() {
      flow = opts.startupFlow === undefined ? undefined : startFlow(clock, player, opts, (e) => (flowError = e));
      if (flow === undefined) player.start();
      for (const s of opts.seeks ?? []) userTimers.push(clock.setTimer(s.atMs, () => player.seek(s.toMs)));
      if (opts.exitAtMs !== undefined) userTimers.push(clock.setTimer(opts.exitAtMs, () => player.exit()));
      if (scrub !== undefined) {
        scrubbing = startScrubbing({ clock, setup: scrub, transport, catalog: opts.catalog, seek: (toMs) => player.seek(toMs) });
      }
    },
    finish() {
      const result = finishSession({ opts, session: player, policyName: policy.name, flow, flowError, batcher, batches, delivery, endMs: endedAtMs ?? clock.nowMs() });
      if (scrubbing !== undefined) result.trickplay = scrubbing.summary();
      return result;
    },
  };
}

/** The result of an ended session: rows, summary, and what the options switched on (flow, telemetry, delivery). */
function finishSession(p: {
  opts: SimulateOptions;
  session: PlayerSession;
  policyName: string;
  flow: StartupFlow | undefined;
  flowError: { kind: string; message: string } | undefined;
  batcher: TelemetryBatcher | undefined;
  batches: TelemetryBatch[];
  delivery: Delivery | undefined;
  endMs: number;
}): SessionResultWithTimeline {
  const { opts, session, flow, flowError, batcher, batches, delivery } = p;
  const metrics = session.log.metrics();
  session.log.finishTimeline();
  const result: SessionResult = {
    profile: opts.profile ?? 'fluid',
    policy: p.policyName,
    trace: opts.trace.name,
    video: opts.catalog.name,
    seed: opts.seed ?? 0,
    segments: session.log.rows,
    summary: summarize(metrics, opts.qoe, session.reason),
  };
  if (flow !== undefined) {
    const { licenceAttempts, licenceErrors, ...steps } = flow.breakdown;
    result.startupSteps = { steps: steps as Record<string, { startMs: number; endMs: number }>, licenceAttempts, licenceErrors };
    if (flowError !== undefined) result.summary.error = flowError;
  }
  if (batcher !== undefined) result.telemetry = batches as unknown as NonNullable<SessionResult['telemetry']>;
  if (delivery !== undefined) {
    result.delivery = delivery.summary();
    result.cost = delivery.cost(metrics.playMs);
    const failure = delivery.lastFailure();
    if (session.reason === 'fatal-error' && failure !== undefined) result.summary.error = failure;
  }
  const timeline = session.log.timeline ?? emptyTimeline();
  fillCapacity(timeline, opts.trace, p.endMs, opts.traceOffsetMs ?? 0);
  return { ...result, timeline };
}

/**
 * Runs the startup flow in front of the session: segments once it allows them, playback once the licence is in,
 * the HDCP quality cap, and a fatal licence error ending the session.
 */
function startFlow(clock: Clock, session: PlayerSession, opts: SimulateOptions, onError: (e: { kind: string; message: string }) => void): StartupFlow {
  const licenceFaults = new FaultInjector(opts.delivery?.faults ?? [], createRng(opts.seed ?? 0).derive('licence'));
  session.holdPlayback();
  const flow = new StartupFlow({
    clock,
    rng: createRng(opts.seed ?? 0).derive('startup-flow'),
    config: startupFlowSchema.parse(opts.startupFlow),
    licenceOutcome: () => licenceFaults.decideLicence(),
    hooks: {
      onSegmentsAllowed: () => session.start(),
      onLicensed: () => session.releasePlayback(),
      onCapHeight: (heightPx) => session.capMaxHeight(heightPx),
      onFatal: (e) => {
        onError({ kind: e.code, message: e.message });
        session.fail(e.code, e.message);
      },
    },
  });
  flow.start();
  return flow;
}

export function emptyTimeline(): SessionTimeline {
  return { capacity: { tMs: [], kbps: [] }, buffer: { tMs: [], bufferMs: [] }, played: { tMs: [], kbps: [] }, stalls: [], playStartMs: 0, marks: [] };
}

/** The trace's capacity steps over the session's span, for drawing (content sessions use it for their titles' timeline). */
export function fillCapacity(timeline: SessionTimeline, trace: Trace, endMs: number, offsetMs: number): void {
  const n = trace.startMs.length;
  const cap = timeline.capacity;
  for (let loopStart = -offsetMs; loopStart < endMs; loopStart += trace.durationMs) {
    for (let i = 0; i < n; i++) {
      const t = loopStart + (trace.startMs[i] as number);
      if (t >= endMs) break;
      const next = i + 1 < n ? loopStart + (trace.startMs[i + 1] as number) : loopStart + trace.durationMs;
      if (next <= 0) continue;
      cap.tMs.push(Math.max(0, t));
      cap.kbps.push(trace.rateKbps[i] as number);
    }
  }
  cap.tMs.push(endMs);
  cap.kbps.push(cap.kbps[cap.kbps.length - 1] ?? 0);
}
