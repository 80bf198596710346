/**
 * One planned session of a series, live or interactive scenario (issue 9), through its content driver
 * (src/sim/content/): the same user (seed, trace offset, device cap) in every arm, so binge decisions, choices
 * and join times, all drawn from the user's seed, are the same whatever the policy or variant. The result is the
 * driver's whole session as one SessionResult (rows, a summary over everything played) plus the content type's
 * own figures under `series`, `live` or `interactive`, which summary.json, the A/B analysis and the gate read
 * (SUMMARY_METRICS in aggregate.ts).
 */
import { createRng } from '../core/rng.js';
import type { SessionResult, SessionTimeline } from '../qoe/types.js';
import type { ContentSimOptions } from '../sim/content/common.js';
import { DEFAULT_CHOICE, simulateInteractive } from '../sim/content/interactive-session.js';
import { simulateLiveEvent } from '../sim/content/live-event.js';
import { simulateSeries } from '../sim/content/series-session.js';
import type { ContentSetup } from './content-context.js';
import type { RunContext } from './context.js';
import type { SessionSpec } from './plan.js';
import { baseOptionsFor } from './session-options.js';

/** A series binge's figures on its row. */
export interface SeriesRowFields {
  name: string;
  prefetch: 'reference' | 'predictive' | 'off';
  /** The user's binge rate, when the scenario draws one per user (content.bingeRates). */
  bingeRate?: number;
  /** Episodes played, and what the viewer did after each (autoplay, manual-next, stop). */
  episodes: number;
  ends: string[];
  /** Gap of every transition that happened (last frame → next first frame), ms; absent stats when none did. */
  transitionGapsMs: number[];
  transitionGapMeanMs?: number;
  transitionGapMaxMs?: number;
  /** Transitions at or over the target gap (reference: 500 ms). */
  overTarget: number;
  targetGapMs: number;
  prefetchedBytes: number;
  wastedBytes: number;
}

/** A live viewer's figures on its row. */
export interface LiveRowFields {
  joinAtMs: number;
  joinSegment: number;
  targetLatencyMs: number;
  /** Join to first frame, ms. */
  ttffMs: number;
  /** Latency to the live edge over the session (sampled every segment), ms. */
  latencyMeanMs: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  bufferMeanMs: number;
  stalls: number;
  /** The largest latency a stall left the viewer at, ms (0 without stalls). */
  maxLatencyAfterStallMs: number;
}

/** An interactive viewer's figures on its row. */
export interface InteractiveRowFields {
  contentId: string;
  /** Scenes played, `scene[option]` where a choice was made. */
  path: string[];
  decisions: number;
  /** Stall at the decision points (choice or scene end, whichever later, to the next first frame), ms. */
  branchStallMs?: number;
  branchStallMaxMs?: number;
  /** Decisions followed by a stall. */
  stalledBranches: number;
  prefetchedBytes: number;
  wastedBytes: number;
}

/** The content fields a result row may carry. */
export interface ContentRowFields {
  series?: SeriesRowFields;
  live?: LiveRowFields;
  interactive?: InteractiveRowFields;
}

export type ContentResult = SessionResult & ContentRowFields & { timeline?: SessionTimeline };

/** Runs planned session `spec` of a content scenario. */
export function runContentSession(ctx: RunContext, setup: ContentSetup, spec: SessionSpec, recordTimeline: boolean): ContentResult {
  const opts = contentOptionsFor(ctx, spec, recordTimeline);
  const a = spec.variantIndex;
  if (setup.type === 'series') {
    const arm = setup.arms[a] ?? (setup.arms[0] as (typeof setup.arms)[number]);
    const s = arm.settings;
    // A user's own binge rate (drawn from the user's seed): how they behave, and the history the predictor sees.
    const rate = s.bingeRates === undefined ? undefined : createRng(spec.seed).derive('binge-rate').uniform(s.bingeRates.min, s.bingeRates.max);
    const viewerBingeRate = rate ?? s.viewerBingeRate;
    const r = simulateSeries({
      ...opts,
      series: (rate === undefined ? arm.series : { ...arm.series, continueProbability: rate }) as never,
      catalogs: setup.catalogs,
      ...(s.prefetch === undefined ? {} : { prefetch: s.prefetch }),
      ...(viewerBingeRate === undefined ? {} : { viewerBingeRate }),
      ...(s.autoSkipIntro === undefined ? {} : { autoSkipIntro: s.autoSkipIntro }),
    });
    const gaps = r.transitions.filter((t) => t.gapMs !== undefined).map((t) => t.gapMs as number);
    const series: SeriesRowFields = {
      name: r.series,
      prefetch: r.prefetch,
      ...(rate === undefined ? {} : { bingeRate: rate }),
      episodes: r.episodes.length,
      ends: r.ends.map((e) => e.kind),
      transitionGapsMs: gaps,
      ...(gaps.length === 0 ? {} : { transitionGapMeanMs: r.gaps.meanMs, transitionGapMaxMs: r.gaps.maxMs }),
      overTarget: r.gaps.overTarget,
      targetGapMs: r.gaps.targetMs,
      prefetchedBytes: r.prefetchedBytes,
      wastedBytes: r.wastedPrefetchBytes,
    };
    return { ...r.session, series };
  }
  if (setup.type === 'live') {
    const arm = setup.arms[a] ?? (setup.arms[0] as (typeof setup.arms)[number]);
    const s = arm.settings;
    // The join time is the user's: drawn from the user's seed, the same in every arm.
    const joinMaxMs = s.joinMaxMs ?? s.joinMinMs;
    const joinAtMs = joinMaxMs > s.joinMinMs ? Math.round(createRng(spec.seed).derive('live-join').uniform(s.joinMinMs, joinMaxMs)) : s.joinMinMs;
    const r = simulateLiveEvent({ ...opts, catalog: arm.catalog, live: arm.live, joinAtMs, ...(s.sampleEveryMs === undefined ? {} : { sampleEveryMs: s.sampleEveryMs }) });
    const live: LiveRowFields = {
      joinAtMs: r.joinAtMs,
      joinSegment: r.joinSegment,
      targetLatencyMs: r.live.targetLatencyMs,
      ttffMs: r.ttffMs,
      latencyMeanMs: r.latency.meanMs,
      latencyP95Ms: r.latency.p95Ms,
      latencyMaxMs: r.latency.maxMs,
      bufferMeanMs: r.buffer.meanMs,
      stalls: r.stalls.length,
      maxLatencyAfterStallMs: r.maxLatencyAfterStallMs,
    };
    return { ...r.session, live, ...(r.timeline === undefined ? {} : { timeline: r.timeline }) };
  }
  const s = setup.arms[a] ?? (setup.arms[0] as (typeof setup.arms)[number]);
  const r = simulateInteractive({
    ...opts,
    graph: setup.graph,
    sceneCatalogs: setup.sceneCatalogs,
    ...(setup.ladder === undefined ? {} : { ladder: setup.ladder }),
    choice: { ...DEFAULT_CHOICE, ...(s.choice?.timeoutProbability === undefined ? {} : { timeoutProbability: s.choice.timeoutProbability }), ...(s.choice?.maxDecisionS === undefined ? {} : { maxDecisionS: s.choice.maxDecisionS }) },
    ...(s.branchSegments === undefined ? {} : { branchSegments: s.branchSegments }),
    ...(s.prefetch === undefined ? {} : { prefetch: s.prefetch }),
    ...(s.linearLeadMs === undefined ? {} : { linearLeadMs: s.linearLeadMs }),
  });
  const decisions = r.joins.filter((j) => j.kind === 'decision');
  const interactive: InteractiveRowFields = {
    contentId: r.contentId,
    path: r.path.map((p) => (p.optionId === undefined ? p.sceneId : `${p.sceneId}[${p.optionId}]`)),
    decisions: decisions.length,
    ...(decisions.some((j) => j.stallMs !== undefined) ? { branchStallMs: r.branchStall.meanMs, branchStallMaxMs: r.branchStall.maxMs } : {}),
    stalledBranches: r.branchStall.count,
    prefetchedBytes: r.prefetchedBytes,
    wastedBytes: r.wastedBytes,
  };
  return { ...r.session, interactive };
}

/** The network, policy and player of a planned content session (what `simulateOptionsFor` gives a movie). */
function contentOptionsFor(ctx: RunContext, spec: SessionSpec, recordTimeline: boolean): ContentSimOptions {
  const { newPolicy, ...base } = baseOptionsFor(ctx, spec, recordTimeline);
  // Each title of a session gets a fresh policy (policies keep per-session state).
  return { ...base, policy: newPolicy };
}
