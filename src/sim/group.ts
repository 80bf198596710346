/**
 * Sessions that share CDN edges in one run (issue 7: "hit ratios emerge from many sessions sharing edges"). All
 * sessions of a group run on one VirtualClock (group time); each is assembled, at its arrival time, on its own
 * OffsetClock, so it sees its own time from 0 and its rows, metrics and timeline read as if it ran alone.
 *
 * What is shared: the edge caches of every CDN with `cacheBytes` (one set per distinct CDN list), whose TTLs run
 * on group time. What is not: each session keeps its own link, player, resilience layer, counters
 * (`delivery.cdns[name].hits/misses` count the session's own requests), fault draws and fault windows (session
 * time, as when it runs alone). Sharing the caches rather than one whole MultiCdnOrigin keeps those per session.
 *
 * Deterministic: the clock orders same-time events first-in first-out, and sessions are started in input order,
 * so the same group gives the same results.
 */
import { VirtualClock } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import { OffsetClock } from '../core/offset-clock.js';
import { SharedEdges } from '../origin/cdn.js';
import type { SessionResultWithTimeline } from '../qoe/types.js';
import { wantsDelivery } from './delivery.js';
import { prepareSession, type PreparedSession } from './prepare.js';
import type { SimulateOptions } from './simulate.js';

export interface GroupMember {
  opts: SimulateOptions;
  /** When the session starts, ms of group time (its own time 0). */
  startAtMs: number;
}

export interface GroupRun {
  /** Every session's result, in input order. */
  results: SessionResultWithTimeline[];
  /** The shared edges, one per distinct CDN list (for the group's cache statistics). */
  edges: SharedEdges[];
}

/** Simulates `sessions` together, sharing edge caches; returns their results in input order. */
export function simulateGroup(sessions: readonly GroupMember[]): SessionResultWithTimeline[] {
  return runGroup(sessions).results;
}

/** As `simulateGroup`, also returning the shared edges (their stats hold the group's hit ratio). */
export function runGroup(sessions: readonly GroupMember[]): GroupRun {
  const clock = new VirtualClock();
  const edgesByCdns = new Map<string, SharedEdges>();
  const prepared: (PreparedSession | undefined)[] = sessions.map(() => undefined);
  sessions.forEach((member, i) => {
    if (!(member.startAtMs >= 0) || !Number.isFinite(member.startAtMs)) {
      throw new InputError(`session ${i} of the group: startAtMs must be finite and >= 0, got ${member.startAtMs}`, { field: 'startAtMs' });
    }
    const opts = withSharedEdges(member.opts, clock, edgesByCdns);
    // Assembled at its arrival, so everything it sets up at construction (timers, telemetry) is at its time 0.
    clock.setTimer(member.startAtMs, () => {
      const session = prepareSession(opts, new OffsetClock(clock, member.startAtMs));
      prepared[i] = session;
      session.start();
    });
  });
  clock.run();
  const results = prepared.map((p, i) => {
    if (p === undefined) throw new Error(`session ${i} of the group never started`);
    return p.finish();
  });
  return { results, edges: [...edgesByCdns.values()] };
}

/** The session's options with the group's shared edges for its CDN list (unchanged without CDNs). */
function withSharedEdges(opts: SimulateOptions, clock: VirtualClock, edgesByCdns: Map<string, SharedEdges>): SimulateOptions {
  const delivery = opts.delivery;
  if (!wantsDelivery(delivery) || (delivery.cdns?.length ?? 0) === 0) return opts;
  const key = JSON.stringify(delivery.cdns);
  let edges = edgesByCdns.get(key);
  if (edges === undefined) {
    edges = new SharedEdges(clock);
    edgesByCdns.set(key, edges);
  }
  return { ...opts, delivery: { ...delivery, sharedEdges: edges } };
}
