import type { Trace } from '../net/trace.js';
import type { Catalog } from '../origin/catalog.js';
import type { PlayerConfigInput } from '../player/config.js';
import { simulateLiveEvent } from '../sim/content/live-event.js';
import { runLiveSession } from './run-live.js';
import { startOrigin } from './server/origin-server.js';

/**
 * Simulated live event vs the same event played live over `abrlab serve --live` on loopback: the same catalog,
 * publishing delay, target latency, join time (after the encoder's start), trace and policy. Compared on the
 * live-event figures both produce under the same names (src/sim/content/live-event.ts): the join segment, latency
 * to the edge (mean) and rebuffers, plus average bitrate.
 *
 * Tolerances: the join segment must be equal; latency within 300 ms (live adds the manifest's load and a 10 ms
 * availability guard to its time to first frame, and real timers' lateness); ±1 stall; 5 % average bitrate
 * (as the VOD agreement, src/live/agreement.ts).
 */
export const LIVE_EVENT_TOLERANCES = { latencyMs: 300, rebufferCount: 1, avgBitrateRel: 0.05 } as const;

/** One segment as each side fetched it: rung and bitrate. */
export interface AgreementSegment {
  index: number;
  sim?: number;
  live?: number;
}

export interface LiveEventAgreementRow {
  segments: AgreementSegment[];
  sim: { joinSegment: number; latencyMeanMs: number; latencyP95Ms: number; rebufferCount: number; avgBitrateKbps: number };
  live: { joinSegment: number; latencyMeanMs: number; latencyP95Ms: number; rebufferCount: number; avgBitrateKbps: number };
  latencyDiffMs: number;
  withinTolerance: boolean;
  liveWallMs: number;
}

/** Runs the event both ways; the live run takes about (event end − join) of wall time. */
export async function liveEventAgreement(opts: {
  catalog: Catalog;
  trace: Trace;
  /** The viewer joins this long after the encoder's start, ms. */
  joinAfterMs: number;
  publishDelayMs: number;
  targetLatencyMs: number;
  policy?: string;
  latencyMs?: number;
  player?: PlayerConfigInput;
  manifest?: 'manifest.mpd' | 'master.m3u8';
}): Promise<LiveEventAgreementRow> {
  const policy = opts.policy ?? 'reference';
  const latencyMs = opts.latencyMs ?? 20;
  const player = { ...(opts.player ?? {}), recordTimeline: false };
  const live = { segmentDurationMs: opts.catalog.segmentDurationMs, publishDelayMs: opts.publishDelayMs, targetLatencyMs: opts.targetLatencyMs };
  // serve starts its trace at the first media request, about the join: the simulator's trace starts there too.
  const sim = simulateLiveEvent({ catalog: opts.catalog, trace: opts.trace, policy, latencyMs, player, live, joinAtMs: opts.joinAfterMs, traceOffsetMs: -opts.joinAfterMs });
  const server = await startOrigin({
    content: { catalog: opts.catalog, live: { publishDelayMs: opts.publishDelayMs, startEpochMs: Math.ceil(Date.now()) - opts.joinAfterMs } },
    trace: opts.trace,
    latencyMs,
  });
  try {
    const out = await runLiveSession({
      url: (server.urls[0] as string) + (opts.manifest ?? 'manifest.mpd'),
      policy,
      player,
      trace: opts.trace,
      live: { targetLatencyMs: opts.targetLatencyMs },
      // HLS does not say when the event ends: list to the end of the event.
      watchMs: opts.catalog.durationMs,
    });
    const l = out.live;
    if (l === undefined) throw new Error('the live session did not see a live event');
    const bySeg = new Map<number, AgreementSegment>();
    const at = (i: number): AgreementSegment => bySeg.get(i) ?? (bySeg.set(i, { index: i }).get(i) as AgreementSegment);
    for (const r of sim.session.segments) if (!r.abandoned) at(r.index).sim = r.bitrateKbps;
    for (const r of out.result.segments) if (!r.abandoned) at(r.index).live = r.bitrateKbps;
    const row: LiveEventAgreementRow = {
      segments: [...bySeg.values()].sort((a, b) => a.index - b.index),
      sim: { joinSegment: sim.joinSegment, latencyMeanMs: sim.latency.meanMs, latencyP95Ms: sim.latency.p95Ms, rebufferCount: sim.rebufferCount, avgBitrateKbps: sim.session.summary.avgBitrateKbps },
      live: { joinSegment: l.joinSegment, latencyMeanMs: l.latency.meanMs, latencyP95Ms: l.latency.p95Ms, rebufferCount: l.rebufferCount, avgBitrateKbps: out.result.summary.avgBitrateKbps },
      latencyDiffMs: l.latency.meanMs - sim.latency.meanMs,
      withinTolerance: false,
      liveWallMs: out.wallMs,
    };
    const rel = row.sim.avgBitrateKbps > 0 ? (row.live.avgBitrateKbps - row.sim.avgBitrateKbps) / row.sim.avgBitrateKbps : Number.NaN;
    row.withinTolerance =
      row.sim.joinSegment === row.live.joinSegment &&
      Math.abs(row.latencyDiffMs) <= LIVE_EVENT_TOLERANCES.latencyMs &&
      Math.abs(row.live.rebufferCount - row.sim.rebufferCount) <= LIVE_EVENT_TOLERANCES.rebufferCount &&
      Math.abs(rel) <= LIVE_EVENT_TOLERANCES.avgBitrateRel;
    return row;
  } finally {
    await server.close();
  }
}
