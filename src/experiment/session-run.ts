/**
 * One planned session: its simulator options (variant, device, behaviour and QoE settings applied) and its result
 * row for results.jsonl. Used by the workers, by the in-process executor and to re-simulate the sessions whose
 * timelines the report draws (the simulator is deterministic, so a re-run gives the very same session).
 */
import type { SessionTimeline } from '../qoe/types.js';
import type { ReportSession } from '../report/types.js';
import { simulateGroup } from '../sim/group.js';
import type { TrickplayOptions } from '../sim/scrub.js';
import { simulateSession, type SimulateOptions } from '../sim/simulate.js';
import type { RunContext } from './context.js';
import { edgeGroupOf } from './edge-groups.js';
import { runContentSession, type ContentRowFields } from './content-run.js';
import { emptyTimeline } from '../sim/prepare.js';
import type { SessionSpec } from './plan.js';
import { baseOptionsFor } from './session-options.js';

/**
 * A results.jsonl row: the SessionResult contract plus variant, replicate, (with devices) device and, for
 * series, live and interactive scenarios, the content type's figures (content-run.ts).
 */
export type ResultRow = ReportSession & { device?: string } & ContentRowFields;

export function simulateOptionsFor(ctx: RunContext, spec: SessionSpec, recordTimeline: boolean): SimulateOptions {
  const { newPolicy, ...base } = baseOptionsFor(ctx, spec, recordTimeline);
  const arm = ctx.variants[spec.variantIndex] as RunContext['variants'][number];
  return {
    ...base,
    catalog: arm.catalogs[spec.videoIndex] as RunContext['videos'][number],
    policy: newPolicy(),
    ...(spec.seeks.length === 0 ? {} : { seeks: spec.seeks }),
    ...(spec.exitAtMs === undefined ? {} : { exitAtMs: spec.exitAtMs }),
    ...scrubbingOf(ctx, spec),
    ...(ctx.delivery === undefined ? {} : { delivery: ctx.delivery }),
    ...deviceConditions(ctx, spec),
    ...(ctx.scenario.degradation === undefined ? {} : { degradation: ctx.scenario.degradation }),
    ...startupFlowOf(ctx, spec),
    ...(ctx.scenario.output.telemetry ? { telemetry: true } : {}),
  };
}

/** The user's scrub episodes and the thumbnail loader of the session's variant (behaviour.scrubbing). */
function scrubbingOf(ctx: RunContext, spec: SessionSpec): Pick<SimulateOptions, 'scrubs' | 'trickplay'> {
  const s = ctx.scenario.behaviour?.scrubbing;
  if (s === undefined || spec.scrubs === undefined || spec.scrubs.length === 0) return {};
  const name = ctx.variants[spec.variantIndex]?.name;
  const over = name === undefined ? undefined : s.variants[name];
  const pick = <K extends 'cacheSheets' | 'preloadRadius' | 'maxParallel'>(k: K) => over?.[k] ?? s[k];
  const trickplay: TrickplayOptions = { hoverEveryMs: s.hoverEveryMs, sheetSizes: { minBytes: s.sheetMinBytes, maxBytes: s.sheetMaxBytes } };
  if (over?.enabled === false) trickplay.enabled = false;
  for (const k of ['cacheSheets', 'preloadRadius', 'maxParallel'] as const) {
    const v = pick(k);
    if (v !== undefined) trickplay[k] = v;
  }
  return { scrubs: spec.scrubs, trickplay };
}

/** The variant's startup flow, else the scenario's (none: the session starts at its first segment request). */
function startupFlowOf(ctx: RunContext, spec: SessionSpec): Pick<SimulateOptions, 'startupFlow'> {
  const name = ctx.variants[spec.variantIndex]?.name;
  const flow = ctx.scenario.variants?.find((v) => v.name === name)?.startupFlow ?? ctx.scenario.startupFlow;
  return flow === undefined ? {} : { startupFlow: flow };
}

/** The reference degradations of the session's device (§5.3), when it has any. */
function deviceConditions(ctx: RunContext, spec: SessionSpec): Pick<SimulateOptions, 'device'> {
  const d = spec.device === undefined ? undefined : ctx.scenario.devices?.find((x) => x.name === spec.device);
  if (d === undefined || !(d.slow || d.lowMemory || d.highLatency)) return {};
  return { device: { slow: d.slow, lowMemory: d.lowMemory, highLatency: d.highLatency } };
}

/**
 * Runs session `index` of the plan and returns its row (segment rows kept only when `output.segments`). With
 * `cdnSharing` its whole group is simulated (batches use `runPlannedGroup` to keep the other rows).
 */
export function runPlannedSession(ctx: RunContext, index: number): ResultRow {
  const spec = ctx.plan.spec(index);
  if (ctx.content !== undefined) {
    const { timeline: _timeline, ...result } = runContentSession(ctx, ctx.content, spec, false);
    return rowOf(ctx, spec, result);
  }
  const { timeline: _timeline, ...result } = simulatePlanned(ctx, index, false);
  return rowOf(ctx, spec, result);
}

/** The timeline of session `index` (re-simulated with the timeline recorder on; with its group, if it has one). */
export function timelineOf(ctx: RunContext, index: number): SessionTimeline {
  // Content drivers record one timeline over all their titles (src/sim/content/common.ts combineTitles).
  if (ctx.content !== undefined) return runContentSession(ctx, ctx.content, ctx.plan.spec(index), true).timeline ?? emptyTimeline();
  return simulatePlanned(ctx, index, true).timeline;
}

/** The rows of every session in the edge-sharing group of `index`, by plan index (one simulation of the group). */
export function runPlannedGroup(ctx: RunContext, index: number): Map<number, ResultRow> {
  const group = edgeGroupOf(ctx, index);
  const rows = new Map<number, ResultRow>();
  if (group === undefined) {
    rows.set(index, runPlannedSession(ctx, index));
    return rows;
  }
  const specs = group.indices.map((i) => ctx.plan.spec(i));
  const results = simulateGroup(specs.map((spec, k) => ({ opts: simulateOptionsFor(ctx, spec, false), startAtMs: group.startAtMs[k] as number })));
  results.forEach(({ timeline: _timeline, ...result }, k) => rows.set(group.indices[k] as number, rowOf(ctx, specs[k] as SessionSpec, result)));
  return rows;
}

/** Session `index` alone, or within its edge-sharing group (the timeline recorder on for it alone, if asked). */
function simulatePlanned(ctx: RunContext, index: number, recordTimeline: boolean): ReturnType<typeof simulateSession> {
  const group = edgeGroupOf(ctx, index);
  if (group === undefined) return simulateSession(simulateOptionsFor(ctx, ctx.plan.spec(index), recordTimeline));
  const members = group.indices.map((i, k) => ({
    opts: simulateOptionsFor(ctx, ctx.plan.spec(i), recordTimeline && i === index),
    startAtMs: group.startAtMs[k] as number,
  }));
  return simulateGroup(members)[group.indices.indexOf(index)] as ReturnType<typeof simulateSession>;
}

function rowOf(ctx: RunContext, spec: SessionSpec, result: Omit<ReturnType<typeof simulateSession>, 'timeline'> & ContentRowFields): ResultRow {
  const variant = ctx.variants[spec.variantIndex]?.name;
  return {
    ...result,
    policy: (ctx.policies[spec.policyIndex] as RunContext['policies'][number]).label,
    segments: ctx.scenario.output.segments ? result.segments : [],
    ...(variant === undefined ? {} : { variant }),
    replicate: spec.replicate,
    ...(spec.device === undefined ? {} : { device: spec.device }),
  };
}
