import { Agent } from 'undici';
import { createReferenceEwmaEstimator } from '../abr/estimators/reference-ewma.js';
import { createBuiltinPolicy } from '../abr/registry.js';
import type { AbrPolicy, ThroughputEstimator } from '../abr/types.js';
import { InputError } from '../core/errors.js';
import { rateKbps } from '../core/units.js';
import type { Trace } from '../net/trace.js';
import { playerConfigSchema, type PlayerConfig, type PlayerConfigInput } from '../player/config.js';
import { PlayerSession, type SessionEndReason } from '../player/session.js';
import type { Transport, TransportRequest } from '../player/transport.js';
import type { QoeParamsInput } from '../qoe/models.js';
import type { SessionResult, SessionResultWithTimeline, SessionTimeline } from '../qoe/types.js';
import { summarize } from '../sim/summary.js';
import { ResilientTransport } from '../player/resilience/resilient-transport.js';
import { retryPolicy, type RetryPolicyInput } from '../player/resilience/retry-policy.js';
import { HttpTransport } from './http-transport.js';
import { InitFirstTransport, type InitSegment } from './init-transport.js';
import { httpFetcher, loadTitle, type Fetcher } from './manifest/load.js';
import type { LiveTitle } from './manifest/title.js';
import { RealClock } from './real-clock.js';
import { TelemetryBatcher, type TelemetryBatch } from '../player/telemetry.js';
import { HlsWindowTransport } from './manifest/hls-live.js';
import { LiveEdgeTracker, type LiveEdgeSettings, type LiveEdgeStats } from './live-edge-tracker.js';

export interface LiveOptions {
  /** DASH MPD or HLS master playlist URL. */
  url: string;
  /**
   * The same title on other CDNs, in order of preference after `url` (a root or a manifest URL there: its
   * directory is the base). Segment URLs under the manifest's directory fail over between them.
   */
  cdnUrls?: string[];
  /** A built-in policy name or a policy instance (fresh per session). */
  policy: string | AbrPolicy;
  policyParams?: Record<string, unknown>;
  player?: PlayerConfigInput;
  /** Stop after this much media has played, ms (the user leaves); default the whole title. */
  watchMs?: number;
  /** Keep every downloaded body under this directory. */
  saveDir?: string;
  seed?: number | string;
  /** The trace the origin shapes to, if known: names the session and draws the capacity in the report. */
  trace?: Trace;
  /** Trace name to record when no trace is given; default the manifest's host. */
  traceName?: string;
  estimator?: ThroughputEstimator;
  qoe?: QoeParamsInput;
  /** Fetches manifests; default HTTP (undici) with failover across the CDN bases. */
  fetch?: Fetcher;
  /** Retry policy of the player's resilience layer, over the reference (the same layer as in the simulator). */
  retry?: RetryPolicyInput;
  /** A live event (dynamic manifest with known segment timing): target latency and sampling. */
  live?: LiveEdgeSettings;
}

/** A CDN switch seen in live mode: from which base to which, after which error. */
export interface FailoverEvent {
  atMs: number;
  fromBase: string;
  toBase: string;
  kind: string;
  reason: string;
}

export interface LiveOutcome {
  result: SessionResultWithTimeline;
  title: LiveTitle;
  failovers: FailoverEvent[];
  /** Wall time of the whole session, ms. */
  wallMs: number;
  /** A live event played at the edge: the simulator's live-event figures (src/sim/content/live-event.ts). */
  live?: LiveEdgeStats;
}

/** The directory part of a URL (`http://h/a/m.mpd` → `http://h/a/`): where relative segment URLs live. */
export function baseOf(url: string): string {
  try {
    return new URL('.', url).href;
  } catch {
    throw new InputError('not a valid URL', { field: url });
  }
}

/** A fetcher that tries each base in turn for URLs under the first one (manifests on a failed CDN). */
export function failoverFetcher(inner: Fetcher, bases: readonly string[]): Fetcher {
  return async (url, range) => {
    const primary = bases[0];
    if (primary === undefined || bases.length < 2 || !url.startsWith(primary)) return inner(url, range);
    const rest = url.slice(primary.length);
    let firstError: unknown;
    for (const b of bases) {
      try {
        return await inner(b + rest, range);
      } catch (err) {
        firstError ??= err;
      }
    }
    throw firstError;
  };
}

/**
 * Plays a real manifest with the same `PlayerSession` the simulator drives, on the real clock over HTTP:
 * segments are downloaded and counted, never decoded. Resolves when the session ends (title played, watch time
 * reached, fatal error or the session guard).
 */
export async function runLiveSession(opts: LiveOptions): Promise<LiveOutcome> {
  // The resilience layer retries each request (reference §5.1); an error that reaches the player is final unless
  // the caller asks the player for more retries.
  const playerInput = { retryDelaysMs: [] as number[], ...(opts.player ?? {}), ...(opts.watchMs === undefined ? {} : { watchMs: opts.watchMs }) };
  const parsed = playerConfigSchema.safeParse(playerInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(issue?.message ?? 'invalid player settings', { field: `player.${issue?.path.join('.') ?? ''}` });
  }
  let config = parsed.data;
  const bases = [baseOf(opts.url), ...(opts.cdnUrls ?? []).map(baseOf)];
  // The manifest client's own pool, closed once the title is read so its keep-alive sockets do not hold the
  // process open after the session.
  const manifestAgent = opts.fetch === undefined ? new Agent({ connections: 4 }) : undefined;
  const fetch = failoverFetcher(opts.fetch ?? httpFetcher({ timeoutMs: config.requestTimeoutMs, ...(manifestAgent ? { agent: manifestAgent } : {}) }), bases);
  let title: LiveTitle | undefined;
  try {
    // Wall-clock epoch only decides which segments of a dynamic (live) MPD exist; the session runs on RealClock.
    title = await loadTitle(opts.url, { fetch, nowEpochMs: Date.now(), epochNowMs: () => Date.now(), ...(opts.watchMs === undefined ? {} : { liveWatchMs: opts.watchMs }) });
  } finally {
    // A live HLS event keeps the manifest client for its playlist reloads; it is closed after the session.
    if (!(title?.kind === 'hls' && title.live !== undefined)) await manifestAgent?.close();
  }
  const policy = typeof opts.policy === 'string' ? createBuiltinPolicy(opts.policy, opts.policyParams) : opts.policy;

  const clock = new RealClock();
  // The one wall-clock read of a live session: where the manifest's epoch times fall on the session clock.
  const tracker = title.live === undefined ? undefined : new LiveEdgeTracker(clock, {
    timing: title.live,
    epochAtClockZeroMs: Date.now() - clock.nowMs(),
    catalog: title.catalog,
    segmentUrls: title.renditions.map((r) => r.segments.map((x) => x.url)),
    ...(opts.live === undefined ? {} : { settings: opts.live }),
  });
  if (tracker !== undefined) config = liveConfig(playerInput, tracker, title.catalog.segmentDurationMs, opts.watchMs);
  const http = new HttpTransport({ clock, ...(opts.saveDir === undefined ? {} : { saveDir: opts.saveDir }) });
  const failovers: FailoverEvent[] = [];
  let session: PlayerSession | undefined;
  let lastError = '';
  let failure: { kind: string; message: string } | undefined;
  // The player's own resilience layer, shared with the simulator: the reference retry policy and CDN failover
  // over the bases (the manifest's host first, then each --cdn).
  // A live HLS event reloads its playlists for segments not listed yet (on the manifest client, closed at the end).
  const inner: Transport = title.kind === 'hls' && title.live !== undefined ? new HlsWindowTransport(http, fetch, clock, (last) => endAtMedia(clock, () => session, (last + 1) * title.catalog.segmentDurationMs)) : http;
  const resilient = new ResilientTransport({
    inner,
    clock,
    policy: retryPolicy({ timeoutMs: config.requestTimeoutMs, ...(opts.retry ?? {}) }),
    cdns: bases.map((baseUrl, i) => ({ name: i === 0 ? 'primary' : `cdn${i}`, baseUrl })),
    onEvent: (e) => {
      if (e.kind === 'attempt-failed') lastError = e.error;
      if (e.kind === 'gave-up') failure = { kind: e.error, message: `${e.url}: ${e.reason}` };
      if (e.kind !== 'failover' && e.kind !== 'failback') return;
      const index = (name: string) => (name === 'primary' ? 0 : Number(name.slice(3)));
      const event = { atMs: e.atMs, fromBase: bases[index(e.fromCdn)] ?? e.fromCdn, toBase: bases[index(e.toCdn)] ?? e.toCdn, kind: lastError, reason: e.reason };
      failovers.push(event);
      batcher.emit({ type: e.kind, atMs: e.atMs, fromCdn: event.fromBase, toCdn: event.toBase, reason: e.reason });
      session?.log.mark(e.atMs, 'failover', `${e.kind} ${event.fromBase} → ${event.toBase}: ${e.reason}`);
    },
  });
  let transport: Transport = tracker === undefined ? resilient : tracker.wrap(resilient);
  const initOf = initLookup(title);
  if (initOf !== undefined) transport = new InitFirstTransport(transport, initOf);

  // Telemetry in the simulator's schema (src/player/telemetry.ts): batches every 30 s of real time.
  const batches: TelemetryBatch[] = [];
  const batcher = new TelemetryBatcher({ clock, session: `${new URL(opts.url).host}/${policy.name}/${String(opts.seed ?? 0)}`, send: (b) => batches.push(b) });
  const ended = new Promise<SessionEndReason>((resolve) => {
    session = new PlayerSession({
      telemetry: (e) => {
        batcher.emit(e);
        tracker?.observe(e);
      },
      clock,
      transport,
      catalog: title.catalog,
      policy,
      estimator: opts.estimator ?? createReferenceEwmaEstimator(),
      config,
      segmentUrl: title.segmentUrl,
      segmentRange: title.segmentRange,
      ...(tracker === undefined ? {} : { segmentAvailableAtMs: tracker.segmentAvailableAtMs, startSegment: tracker.joinSegment }),
      onEnd: (reason) => {
        batcher.close();
        resolve(reason);
      },
    });
  });
  const s = session as unknown as PlayerSession;
  tracker?.attach(s);
  s.start();
  const reason = await ended;
  const wallMs = clock.nowMs();
  clock.close();
  await http.close();
  if (title.kind === 'hls' && title.live !== undefined) await manifestAgent?.close();

  s.log.finishTimeline();
  const result: SessionResult = {
    profile: 'live',
    policy: policy.name,
    trace: opts.trace?.name ?? opts.traceName ?? new URL(opts.url).host,
    video: title.catalog.name,
    seed: opts.seed ?? 0,
    segments: s.log.rows,
    summary: summarize(s.log.metrics(), opts.qoe, reason),
    delivery: {
      attempts: resilient.stats.attempts,
      retries: resilient.stats.retries,
      failovers: resilient.stats.failovers,
      failbacks: resilient.stats.failbacks,
      wastedBytes: resilient.stats.wastedBytes,
      bytesByCdn: { ...resilient.stats.bytesByCdn },
      requestsByCdn: { ...resilient.stats.requestsByCdn },
      cdns: {},
    },
  };
  if (reason === 'fatal-error' && failure !== undefined) result.summary.error = failure;
  result.telemetry = batches as unknown as NonNullable<SessionResult['telemetry']>;
  const timeline = s.log.timeline ?? emptyTimeline();
  if (opts.trace !== undefined) traceCapacity(timeline, opts.trace, wallMs);
  else measuredCapacity(timeline, result, wallMs);
  const live = tracker?.stats(result.summary);
  return { result: { ...result, timeline }, title, failovers, wallMs, ...(live === undefined ? {} : { live }) };
}

/**
 * A live HLS event ended (EXT-X-ENDLIST) before the player's catalog did: the viewer leaves when the playhead
 * reaches the last segment's end (1 ms before it, so the player does not start a stall waiting for segments
 * that will never exist). Recorded as `user-exit`.
 */
function endAtMedia(clock: RealClock, session: () => PlayerSession | undefined, endMediaMs: number): void {
  const check = (): void => {
    const s = session();
    if (s === undefined || s.ended) return;
    const leftMs = endMediaMs - s.playheadNow();
    if (leftMs <= 1) s.exit();
    else clock.setTimer(clock.nowMs() + leftMs - 1, check);
  };
  check();
}

/**
 * Player settings of a live session: the live buffer band (reference §3.3: 10–15 s, as the simulator's live
 * driver sets it) unless the user set those fields, and the watch time counted from the join (the player's
 * watchMs is a media position, and a live viewer starts far into the event's media).
 */
function liveConfig(input: PlayerConfigInput, tracker: LiveEdgeTracker, segmentDurationMs: number, watchMs: number | undefined): PlayerConfig {
  const { watchMs: _ignored, ...rest } = input;
  const parsed = playerConfigSchema.safeParse({
    lowWaterMs: tracker.live.minBufferMs,
    targetBufferMs: tracker.live.maxBufferMs,
    ...rest,
    ...(watchMs === undefined ? {} : { watchMs: tracker.joinSegment * segmentDurationMs + watchMs }),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(issue?.message ?? 'invalid player settings', { field: `player.${issue?.path.join('.') ?? ''}` });
  }
  return parsed.data;
}

/** Init segment lookup by media URL, or undefined when no rendition has one. */
function initLookup(title: LiveTitle): ((req: TransportRequest) => InitSegment | undefined) | undefined {
  const byUrl = new Map<string, InitSegment>();
  for (const r of title.renditions) {
    if (r.init === undefined) continue;
    for (const seg of r.segments) byUrl.set(seg.url, r.init);
  }
  if (byUrl.size === 0) return undefined;
  return (req) => byUrl.get(req.url);
}

function emptyTimeline(): SessionTimeline {
  return { capacity: { tMs: [], kbps: [] }, buffer: { tMs: [], bufferMs: [] }, played: { tMs: [], kbps: [] }, stalls: [], playStartMs: 0, marks: [] };
}

/** The shaping trace's steps over the session (trace time 0 ≈ the first segment request, as in serve). */
function traceCapacity(timeline: SessionTimeline, trace: Trace, endMs: number): void {
  const cap = timeline.capacity;
  for (let loop = 0; loop < endMs; loop += trace.durationMs) {
    for (let i = 0; i < trace.startMs.length; i++) {
      const t = loop + (trace.startMs[i] as number);
      if (t >= endMs) break;
      cap.tMs.push(t);
      cap.kbps.push(trace.rateKbps[i] as number);
    }
  }
  cap.tMs.push(endMs);
  cap.kbps.push(cap.kbps[cap.kbps.length - 1] ?? 0);
}

/** Without a trace, the capacity series shows each download's measured throughput (first byte to done). */
function measuredCapacity(timeline: SessionTimeline, result: SessionResult, endMs: number): void {
  const cap = timeline.capacity;
  const rows = [...result.segments].sort((a, b) => a.firstByteMs - b.firstByteMs);
  for (const row of rows) {
    const ms = row.doneMs - row.firstByteMs;
    if (ms <= 0 || row.abandoned) continue;
    cap.tMs.push(row.firstByteMs);
    cap.kbps.push(rateKbps(row.sizeBytes, ms));
  }
  cap.tMs.push(endMs);
  cap.kbps.push(cap.kbps[cap.kbps.length - 1] ?? 0);
}
