/**
 * What every planned session shares, movie or content type: its network, player settings (variant merged, device
 * cap applied), policy, seed and QoE parameters. session-run.ts adds the movie's extras; content-run.ts hands these
 * to the content drivers.
 */
import type { AbrPolicy } from '../abr/types.js';
import type { Trace } from '../net/trace.js';
import type { PlayerConfigInput } from '../player/config.js';
import type { QoeParamsInput } from '../qoe/models.js';
import type { RunContext } from './context.js';
import type { SessionSpec } from './plan.js';

export interface BaseSessionOptions {
  trace: Trace;
  player: PlayerConfigInput;
  /** A fresh policy (policies keep per-session state; a content session needs one per title). */
  newPolicy: () => AbrPolicy;
  seed: number;
  qoe: QoeParamsInput;
  originLatencyMs: number;
  latencyMs?: number;
  traceOffsetMs?: number;
}

export function baseOptionsFor(ctx: RunContext, spec: SessionSpec, recordTimeline: boolean): BaseSessionOptions {
  const arm = ctx.variants[spec.variantIndex] as RunContext['variants'][number];
  const policy = ctx.policies[spec.policyIndex] as RunContext['policies'][number];
  const player: PlayerConfigInput = { ...arm.player, recordTimeline };
  // The device cap narrows whatever the settings already say; it never widens it.
  if (spec.maxHeightPx !== undefined) player.maxHeightPx = Math.min(spec.maxHeightPx, player.maxHeightPx ?? Infinity);
  const params = Object.keys(arm.abrParams).length === 0 ? policy.params : { ...policy.params, ...arm.abrParams };
  const { network } = ctx.scenario;
  return {
    trace: ctx.traces[spec.traceIndex] as Trace,
    player,
    newPolicy: () => policy.factory(params),
    seed: spec.seed,
    qoe: ctx.qoe,
    originLatencyMs: network.originLatencyMs,
    ...(network.latencyMs === undefined ? {} : { latencyMs: network.latencyMs }),
    ...(spec.traceOffsetMs === undefined ? {} : { traceOffsetMs: spec.traceOffsetMs }),
  };
}
