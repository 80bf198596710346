import { VirtualClock, type TimerId } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import { createBuiltinPolicy } from '../abr/registry.js';
import { createReferenceEwmaEstimator } from '../abr/estimators/reference-ewma.js';
import type { AbrPolicy, ThroughputEstimator } from '../abr/types.js';
import { FluidLink } from '../net/fluid-link.js';
import { SimTransport } from '../net/sim-transport.js';
import type { Trace } from '../net/trace.js';
import type { Catalog } from '../origin/catalog.js';
import { SingleOrigin } from '../origin/origin.js';
import { playerConfigSchema, type PlayerConfigInput } from '../player/config.js';
import { degradationSchema, degradeConfig, withLatencyDegradation, type DegradationConfigInput, type DeviceConditions } from '../player/degradation.js';
import { PlayerSession } from '../player/session.js';
import { StartupFlow, startupFlowSchema, type StartupFlowInput } from '../player/startup/startup-flow.js';
import { TelemetryBatcher, type TelemetryBatch, type TelemetryEvent } from '../player/telemetry.js';
import { createRng } from '../core/rng.js';
import { FaultInjector } from '../origin/faults.js';
import type { QoeParamsInput } from '../qoe/models.js';
import type { SessionResult, SessionResultWithTimeline, SessionTimeline } from '../qoe/types.js';
import { buildDelivery, wantsDelivery, type Delivery, type DeliveryOptions } from './delivery.js';
import { summarize } from './summary.js';

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
}

/** Default link latency when neither the caller nor the trace gives one, ms: a typical broadband/CDN RTT. */
export const DEFAULT_LINK_LATENCY_MS = 40;

/**
 * Simulates one playback session of the reference player over the fluid link model and returns its result
 * (segment rows, summary with QoE, timeline). Deterministic: the same options give the same result.
 */
export function simulateSession(opts: SimulateOptions): SessionResultWithTimeline {
  const resilient = wantsDelivery(opts.delivery);
  // The resilience layer already retried each request; a failure that reaches the player is final by default.
  const playerInput = resilient && opts.player?.retryDelaysMs === undefined ? { ...opts.player, retryDelaysMs: [] } : (opts.player ?? {});
  const parsed = playerConfigSchema.safeParse(playerInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(issue?.message ?? 'invalid player settings', { field: `player.${issue?.path.join('.') ?? ''}` });
  }
  const degradation = degradationSchema.parse(opts.degradation ?? {});
  const config = opts.device === undefined ? parsed.data : degradeConfig(parsed.data, opts.device, degradation);
  const clock = new VirtualClock();
  const latencyMs = opts.latencyMs ?? (opts.trace.latencyMs === undefined ? DEFAULT_LINK_LATENCY_MS : undefined);
  const link = new FluidLink({
    clock,
    trace: opts.trace,
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(opts.traceOffsetMs === undefined ? {} : { traceOffsetMs: opts.traceOffsetMs }),
  });
  let session: PlayerSession | undefined;
  const delivery: Delivery | undefined = resilient
    ? buildDelivery({
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
  const transport = delivery?.transport ?? new SimTransport({ clock, link, origin: new SingleOrigin({ catalog: opts.catalog, latencyMs: opts.originLatencyMs ?? 0 }) });
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
  session = new PlayerSession({
    clock,
    transport,
    catalog: opts.catalog,
    policy,
    estimator: opts.estimator ?? createReferenceEwmaEstimator(),
    config,
    onEnd: () => {
      userTimers.forEach((t) => clock.cancel(t));
      // The last batch goes out now, so no batching timer keeps the clock past the session.
      batcher?.close();
    },
    ...(batcher === undefined ? {} : { telemetry: (e: TelemetryEvent) => batcher.emit(e) }),
  });
  const flow = opts.startupFlow === undefined ? undefined : startFlow(clock, session, opts, (e) => (flowError = e));
  if (flow === undefined) session.start();
  for (const s of opts.seeks ?? []) userTimers.push(clock.setTimer(s.atMs, () => session.seek(s.toMs)));
  if (opts.exitAtMs !== undefined) userTimers.push(clock.setTimer(opts.exitAtMs, () => session.exit()));
  clock.run();

  const metrics = session.log.metrics();
  session.log.finishTimeline();
  const result: SessionResult = {
    profile: opts.profile ?? 'fluid',
    policy: policy.name,
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
  fillCapacity(timeline, opts.trace, clock.nowMs(), opts.traceOffsetMs ?? 0);
  return { ...result, timeline };
}

/**
 * Runs the startup flow in front of the session: segments once it allows them, playback once the licence is in,
 * the HDCP quality cap, and a fatal licence error ending the session.
 */
function startFlow(clock: VirtualClock, session: PlayerSession, opts: SimulateOptions, onError: (e: { kind: string; message: string }) => void): StartupFlow {
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

function emptyTimeline(): SessionTimeline {
  return { capacity: { tMs: [], kbps: [] }, buffer: { tMs: [], bufferMs: [] }, played: { tMs: [], kbps: [] }, stalls: [], playStartMs: 0, marks: [] };
}

/** The trace's capacity steps over the session's span, for drawing. */
function fillCapacity(timeline: SessionTimeline, trace: Trace, endMs: number, offsetMs: number): void {
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
