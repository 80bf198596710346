/**
 * The groups of a scenario with `cdnSharing` (issue 7): sessions that share CDN edge caches in one simulation
 * (src/sim/group.ts). Users — (video, trace, replicate) — are taken in plan order, `sessionsPerEdge` at a time;
 * within a group each arm (variant × policy) is its own population, so group = (block of users, arm), and its
 * user k arrives at k × arrivalGapMs of group time.
 *
 * A block of users with all its arms is a contiguous range of the plan (`unitSessions` long): shards and batches
 * are cut at these boundaries, so a group is always simulated whole in one place and the outputs stay
 * byte-identical whatever the worker count or shard.
 */
import type { RunContext } from './context.js';

export interface EdgeGroup {
  /** Plan indices of the group's sessions, in arrival order. */
  indices: number[];
  /** Arrival of each, ms of group time. */
  startAtMs: number[];
}

/** Sessions in one indivisible unit of the plan: a user's arms, or a sharing block's users × arms. */
export function unitSessions(ctx: Pick<RunContext, 'plan' | 'scenario'>): number {
  return ctx.plan.armsPerUser * (ctx.scenario.cdnSharing?.sessionsPerEdge ?? 1);
}

/** The group of plan index `index`, or undefined when the scenario does not share edges. */
export function edgeGroupOf(ctx: Pick<RunContext, 'plan' | 'scenario'>, index: number): EdgeGroup | undefined {
  const sharing = ctx.scenario.cdnSharing;
  if (sharing === undefined) return undefined;
  const arms = ctx.plan.armsPerUser;
  const users = ctx.plan.sessions / arms;
  const arm = index % arms;
  const firstUser = Math.floor(Math.floor(index / arms) / sharing.sessionsPerEdge) * sharing.sessionsPerEdge;
  const endUser = Math.min(users, firstUser + sharing.sessionsPerEdge);
  const group: EdgeGroup = { indices: [], startAtMs: [] };
  for (let u = firstUser; u < endUser; u++) {
    group.indices.push(u * arms + arm);
    group.startAtMs.push((u - firstUser) * sharing.arrivalGapMs);
  }
  return group;
}
