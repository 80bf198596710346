/**
 * Plan expansion: a scenario → an ordered list of sessions, videos × traces × replicates × variants × policies
 * (policies innermost). A session is named by its plan index; everything else about it is computed from the
 * index, so the plan of a 100,000-session sweep costs no memory and a worker needs only index lists.
 *
 * Pairing (issue 5): the user — session seed, device, trace offset, early-exit watch time, seeks — is drawn per
 * (video, trace, replicate), never per arm, from a stream derived from (scenario seed, that key). Every policy
 * and variant therefore meets the same user on the same network, and the arms of one user sit next to each other
 * in the plan (and in every shard).
 */
import { createRng, type Rng } from '../core/rng.js';
import type { Trace } from '../net/trace.js';
import type { Catalog } from '../origin/catalog.js';
import type { ScrubEpisode } from '../sim/scrub.js';
import type { Scenario } from './scenario.js';

/** One user's draws, shared by every arm that user meets. */
export interface UserDraws {
  /** The session seed recorded in results (the same in every arm: common random numbers). */
  seed: number;
  /** Device name, when the scenario lists devices. */
  device?: string;
  /** The device's frame-height cap, px. */
  maxHeightPx?: number;
  /** Where the session starts in its (looping) trace, ms. */
  traceOffsetMs?: number;
  /**
   * Early exit: the session time at which the user leaves, ms (absent: they stay to the end). Session time, not
   * media time: startup and stalls use up the user's patience too, and it stays meaningful across seeks.
   */
  exitAtMs?: number;
  /** Seeks: at session time `atMs`, to media time `toMs`, ascending `atMs`. */
  seeks: { atMs: number; toMs: number }[];
  /** Trick-play drags (behaviour.scrubbing), ascending `atMs`; absent when the user does not scrub. */
  scrubs?: ScrubEpisode[];
}

/** One session of the plan. */
export interface SessionSpec extends UserDraws {
  index: number;
  videoIndex: number;
  traceIndex: number;
  replicate: number;
  /** Index into the context's variant arms (0 when the scenario has none). */
  variantIndex: number;
  policyIndex: number;
  /** Index of the user (video, trace, replicate); `index = user × arms + variant × policies + policy`. */
  user: number;
}

export interface Plan {
  sessions: number;
  /** Sessions per user: variants × policies. */
  armsPerUser: number;
  videoCount: number;
  traceCount: number;
  replicates: number;
  variantCount: number;
  policyCount: number;
  spec(index: number): SessionSpec;
  /** The plan index of a session from its coordinates (the inverse of `spec`). */
  indexOf(c: { videoIndex: number; traceIndex: number; replicate: number; variantIndex: number; policyIndex: number }): number;
}

export interface PlanInput {
  scenario: Pick<Scenario, 'seed' | 'replicates' | 'devices' | 'behaviour'>;
  videos: readonly Pick<Catalog, 'name' | 'durationMs'>[];
  traces: readonly Pick<Trace, 'name' | 'durationMs'>[];
  /** Policy labels, in scenario order. */
  policies: readonly string[];
  /** Variant names in scenario order; `[undefined]` when the scenario has none. */
  variants: readonly (string | undefined)[];
}

export function createPlan(input: PlanInput): Plan {
  const V = input.videos.length;
  const T = input.traces.length;
  const R = input.scenario.replicates;
  const A = Math.max(1, input.variants.length);
  const P = input.policies.length;
  const root = createRng(input.scenario.seed);
  // Sessions are usually visited in order, so the draws of the last user are kept.
  let lastUser = -1;
  let lastDraws: UserDraws | undefined;
  const drawsOf = (user: number, videoIndex: number, traceIndex: number, replicate: number): UserDraws => {
    if (user !== lastUser || lastDraws === undefined) {
      lastDraws = drawUser(input, root, videoIndex, traceIndex, replicate);
      lastUser = user;
    }
    return lastDraws;
  };
  return {
    sessions: V * T * R * A * P,
    armsPerUser: A * P,
    videoCount: V,
    traceCount: T,
    replicates: R,
    variantCount: A,
    policyCount: P,
    spec(index) {
      if (!Number.isInteger(index) || index < 0 || index >= V * T * R * A * P) throw new RangeError(`plan index ${index} out of range`);
      const policyIndex = index % P;
      const variantIndex = Math.floor(index / P) % A;
      const user = Math.floor(index / (A * P));
      const replicate = user % R;
      const traceIndex = Math.floor(user / R) % T;
      const videoIndex = Math.floor(user / (R * T));
      return { index, videoIndex, traceIndex, replicate, variantIndex, policyIndex, user, ...drawsOf(user, videoIndex, traceIndex, replicate) };
    },
    indexOf: (c) => (((c.videoIndex * T + c.traceIndex) * R + c.replicate) * A + c.variantIndex) * P + c.policyIndex,
  };
}

/**
 * The user of (video, trace, replicate). Each kind of draw has its own stream, so adding seeks to a scenario
 * does not change its devices or trace offsets.
 */
export function drawUser(input: PlanInput, root: Rng, videoIndex: number, traceIndex: number, replicate: number): UserDraws {
  const video = input.videos[videoIndex] as PlanInput['videos'][number];
  const trace = input.traces[traceIndex] as PlanInput['traces'][number];
  const rng = root.derive(`user:${video.name}:${trace.name}:${replicate}`);
  const draws: UserDraws = { seed: rng.derive('seed').int(2 ** 31), seeks: [] };
  const devices = input.scenario.devices;
  if (devices !== undefined && devices.length > 0) {
    const device = pickWeighted(devices, rng.derive('device').next());
    draws.device = device.name;
    if (device.maxHeightPx !== undefined) draws.maxHeightPx = device.maxHeightPx;
  }
  const behaviour = input.scenario.behaviour;
  if (behaviour === undefined) return draws;
  if (behaviour.randomTraceOffset) draws.traceOffsetMs = Math.floor(rng.derive('offset').uniform(0, trace.durationMs));
  const exit = behaviour.earlyExit;
  if (exit.probability > 0) {
    const r = rng.derive('exit');
    if (r.next() < exit.probability) {
      const watchMs = Math.max(exit.minWatchMs, Math.round(r.exponential(exit.meanWatchMs)));
      if (watchMs < video.durationMs) draws.exitAtMs = watchMs;
    }
  }
  if (behaviour.seeks.meanCount > 0) {
    // Seeks happen while the user watches: at session times in [earliestMs, earliestMs + watch time), to a media
    // time anywhere in the title. A seek after the session ended never fires (simulate.ts cancels it).
    const r = rng.derive('seeks');
    const watchEndMs = draws.exitAtMs ?? video.durationMs;
    const count = poisson(r, behaviour.seeks.meanCount);
    for (let k = 0; k < count; k++) {
      const atMs = Math.round(behaviour.seeks.earliestMs + r.uniform(0, watchEndMs));
      draws.seeks.push({ atMs, toMs: Math.floor(r.uniform(0, video.durationMs)) });
    }
    draws.seeks.sort((a, b) => a.atMs - b.atMs || a.toMs - b.toMs);
  }
  const scrubs = drawScrubs(behaviour.scrubbing, rng.derive('scrubs'), draws.exitAtMs ?? video.durationMs, video.durationMs);
  if (scrubs.length > 0) draws.scrubs = scrubs;
  return draws;
}

/**
 * Scrub episodes of one user (behaviour.scrubbing): whether they scrub at all, then Poisson(mean) drags (at least
 * one) at session times in [earliestMs, earliestMs + watch time), each from and to a media time anywhere in the
 * title, lasting uniform [minDragMs, maxDragMs], released on the target (a seek) with seekProbability.
 */
function drawScrubs(s: NonNullable<Scenario['behaviour']>['scrubbing'], r: Rng, watchEndMs: number, durationMs: number): ScrubEpisode[] {
  if (s === undefined || s.probability === 0 || !(r.next() < s.probability)) return [];
  const count = Math.max(1, poisson(r, s.meanEpisodes));
  const out: ScrubEpisode[] = [];
  for (let k = 0; k < count; k++) {
    const atMs = Math.round(s.earliestMs + r.uniform(0, watchEndMs));
    const fromMs = Math.floor(r.uniform(0, durationMs));
    const toMs = Math.floor(r.uniform(0, durationMs));
    const dragMs = Math.round(r.uniform(s.minDragMs, s.maxDragMs));
    out.push({ atMs, fromMs, toMs, dragMs, seek: r.next() < s.seekProbability });
  }
  return out.sort((a, b) => a.atMs - b.atMs || a.toMs - b.toMs);
}

function pickWeighted<T extends { weight: number }>(items: readonly T[], u: number): T {
  const total = items.reduce((s, d) => s + d.weight, 0);
  let x = u * total;
  for (const item of items) {
    if (x < item.weight) return item;
    x -= item.weight;
  }
  return items[items.length - 1] as T;
}

/** Poisson draw by Knuth's multiplication method (fine for the small means of seeks per session). */
export function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
