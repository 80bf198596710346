/**
 * An interactive title in the simulator (reference streaming-architecture.md §3.4): each scene of the scene graph
 * (src/content/interactive/scene-graph.ts) is a title of its own, played on one clock and one link. When a
 * decision appears (its `timestamp` into the scene) the first segments of every branch are prefetched at once;
 * the viewer's choice (`drawPath`: a seeded choice model, the default option on the 10 s timeout) keeps the chosen
 * branch and discards the others; the chosen scene starts from the store when the current one ends. Measured: the
 * stall at each branch (scene end or choice, whichever is later, to the next scene's first frame) and the bytes
 * wasted on branches not taken.
 *
 * Where the reference leaves it open: the scene keeps playing while the choice is on screen (the example's
 * decision at 220 s of a 240 s scene); a viewer still choosing when the scene ends holds on its last frame, which
 * is counted as decision time, not as a stall. A linear `next` scene is prefetched too, with idle bandwidth, once
 * `linearLeadMs` of the scene remain, so linear joins are not charged to the branches' account.
 */
import { VirtualClock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import { drawPath, parseSceneGraph, type ChoiceModel, type PathStep, type Scene, type SceneGraph } from '../../content/interactive/scene-graph.js';
import { parseCatalog, type Catalog, type CatalogInput } from '../../origin/catalog.js';
import { highestAtOrBelow } from '../../player/ladder.js';
import type { PlayerSession } from '../../player/session.js';
import type { SessionResult, SessionTimeline } from '../../qoe/types.js';
import { atPlayhead, buildLink, buildPlayer, combineTitles, makeEstimator, makePolicy, meanP95, resolvePlayerConfig, titleResult, titleTransport, type ContentSimOptions, type PlayedTitle } from './common.js';
import { PrefetchingTransport, SegmentPrefetcher } from './prefetch-store.js';

/** The reference ABR's safety margin (§2.2), used to pick the prefetch rung from the estimate. */
const PREFETCH_SAFETY = 0.85;

export interface InteractiveOptions extends ContentSimOptions {
  /** The scene graph (the reference's JSON; validated here). */
  graph: unknown;
  /** Each scene's own video, by scene id (a scene without one is cut from `ladder`). */
  sceneCatalogs?: Readonly<Record<string, Catalog>>;
  /** Ladder every scene without its own catalog is encoded with; each scene's catalog has the scene's duration. */
  ladder?: { segmentDurationMs?: number; representations: CatalogInput['representations']; sizeVariation?: number };
  /** The viewer's choice model (default: 10 % let the timer run out, the others choose within 8 s). */
  choice?: ChoiceModel;
  /** The viewer's path; default drawn from the seed with `choice`. */
  path?: readonly PathStep[];
  /** Segments of each branch prefetched when a decision appears (reference: "first segment"). Default 1. */
  branchSegments?: number;
  /** Prefetch at all (switch off to measure what it buys). Default true. */
  prefetch?: boolean;
  /** A linear next scene is prefetched once this much of the scene remains, ms. Default 10,000. */
  linearLeadMs?: number;
}

/** One join between scenes. */
export interface SceneJoin {
  step: number;
  fromScene: string;
  toScene: string;
  kind: 'decision' | 'linear';
  decisionId?: string;
  optionId?: string;
  timedOut?: boolean;
  /** Clock times, ms: the choice appeared, was made, the scene ended, the next scene's first frame. */
  shownAtMs?: number;
  chosenAtMs?: number;
  sceneEndMs: number;
  firstFrameMs?: number;
  /** Time the viewer spent choosing after the scene had ended, ms (not a stall). */
  decisionWaitMs: number;
  /** From max(scene end, choice) to the next first frame, ms. */
  stallMs?: number;
  prefetch: { scenes: string[]; segmentsEach: number; fetchedBytes: number; wastedBytes: number };
}

export interface InteractiveResult {
  kind: 'interactive';
  contentId: string;
  path: { sceneId: string; optionId?: string }[];
  scenes: SessionResult[];
  joins: SceneJoin[];
  /** Stalls at decision points only, ms. */
  branchStall: { meanMs: number; p95Ms: number; maxMs: number; count: number };
  prefetchedBytes: number;
  wastedBytes: number;
  linkBytes: number;
  /** The path as one session (src/sim/content/common.ts `combineTitles`): rows, summary, timeline if recorded. */
  session: SessionResult & { timeline?: SessionTimeline };
}

/** The default viewer: 10 % let the timer run out, the others choose within 8 s. */
export const DEFAULT_CHOICE: ChoiceModel = { timeoutProbability: 0.1, maxDecisionS: 8 };

/** Simulates one viewer's path through an interactive title; deterministic for a given seed. */
export function simulateInteractive(opts: InteractiveOptions): InteractiveResult {
  const graph: SceneGraph = parseSceneGraph(opts.graph, 'graph');
  const path = opts.path ? [...opts.path] : drawPath(graph, opts.choice ?? DEFAULT_CHOICE, createRng(opts.seed ?? 0).derive('choices'));
  const branchSegments = opts.branchSegments ?? 1;
  if (!(Number.isInteger(branchSegments) && branchSegments >= 0)) throw new InputError(`branchSegments must be an integer >= 0, got ${branchSegments}`, { field: 'branchSegments' });
  const prefetchOn = opts.prefetch ?? true;
  const linearLeadMs = opts.linearLeadMs ?? 10_000;
  const byId = new Map(graph.scenes.map((s) => [s.scene_id, s]));
  const catalogs = new Map<string, Catalog>();
  const catalogOf = (id: string): Catalog => {
    let c = catalogs.get(id);
    if (c === undefined) c = opts.sceneCatalogs?.[id];
    if (c === undefined) {
      const scene = byId.get(id) as Scene;
      if (opts.ladder === undefined) throw new InputError(`scene "${id}" has no video and no ladder was given; give the scene a video or a ladder for every scene`, { field: `scenes.${id}` });
      c = parseCatalog({ name: id, segmentDurationMs: opts.ladder.segmentDurationMs ?? 4000, durationMs: scene.duration * 1000, sizeVariation: opts.ladder.sizeVariation ?? 0, seed: id, representations: opts.ladder.representations }, `ladder (scene ${id})`);
      catalogs.set(id, c);
    }
    return c;
  };

  const config = resolvePlayerConfig({}, opts.player);
  const clock = new VirtualClock();
  const link = buildLink(opts, clock);
  const estimator = makeEstimator(opts);
  const scenes: SessionResult[] = [];
  const joins: SceneJoin[] = [];
  const allStores: SegmentPrefetcher[] = [];
  const played: PlayedTitle[] = [];
  let policyName = '';

  const prefetchScenes = (ids: string[], idleOnly: boolean): Map<string, SegmentPrefetcher> => {
    const stores = new Map<string, SegmentPrefetcher>();
    if (!prefetchOn || branchSegments === 0) return stores;
    // The branches download together, so each gets its share of the estimate: one rung per branch that all of
    // them can fetch at once (the full estimate per branch made 3-way choices on 3G stall at the branch).
    const branches = new Set(ids).size;
    for (const id of ids) {
      if (stores.has(id)) continue;
      const catalog = catalogOf(id);
      const estimate = estimator.estimateKbps();
      const repIndex = estimate === undefined ? 0 : highestAtOrBelow(catalog, (estimate * PREFETCH_SAFETY) / branches);
      const count = Math.min(branchSegments, catalog.segmentCount);
      const store = new SegmentPrefetcher({ clock, transport: titleTransport(opts, clock, link, catalog), link, repIndex, segments: Array.from({ length: count }, (_, i) => i), idleOnly });
      stores.set(id, store);
      allStores.push(store);
      store.start();
    }
    return stores;
  };

  const playStep = (i: number, store: SegmentPrefetcher | undefined, startedAtMs: number, onFirstFrame: (atMs: number) => void): void => {
    const step = path[i] as PathStep;
    const scene = step.scene;
    const catalog = catalogOf(scene.scene_id);
    const nextId = step.choice?.nextScene ?? (i + 1 < path.length ? scene.next : undefined);
    const policy = makePolicy(opts);
    const prefetched = store?.entries.length ?? 0;
    const playerConfig = prefetched > 0 && store !== undefined ? { ...config, startupBitrateKbps: catalog.representations[store.entries[0]?.repIndex ?? 0]?.bitrateKbps ?? 0, startupSegments: prefetched } : config;
    const inner = titleTransport(opts, clock, link, catalog);
    let stores = new Map<string, SegmentPrefetcher>();
    const join: SceneJoin | undefined =
      nextId === undefined || i + 1 >= path.length
        ? undefined
        : { step: i, fromScene: scene.scene_id, toScene: nextId, kind: step.choice ? 'decision' : 'linear', sceneEndMs: 0, decisionWaitMs: 0, prefetch: { scenes: [], segmentsEach: branchSegments, fetchedBytes: 0, wastedBytes: 0 } };
    let chosen = step.choice === undefined;
    let ended = false;
    let session: PlayerSession | undefined;

    const startNext = (): void => {
      if (join === undefined) return;
      const now = clock.nowMs();
      join.decisionWaitMs = Math.max(0, now - join.sceneEndMs);
      const from = now;
      joinsPending.push({ join, stores });
      // From a clock timer, not inside the ending player's callback.
      clock.setTimer(now, () =>
        playStep(i + 1, stores.get(join.toScene), from, (atMs) => {
          join.firstFrameMs = atMs;
          join.stallMs = atMs - from;
        }),
      );
    };
    const choose = (): void => {
      chosen = true;
      if (join === undefined) return;
      join.chosenAtMs = clock.nowMs();
      // Discard the branches not taken (their bytes so far are the waste).
      for (const [id, s] of stores) if (id !== join.toScene) s.abort();
      if (ended) startNext();
    };
    const show = (): void => {
      const d = scene.decision;
      if (join === undefined || d === undefined || step.choice === undefined || join.shownAtMs !== undefined) return;
      const now = clock.nowMs();
      join.shownAtMs = now;
      join.decisionId = d.decision_id;
      join.optionId = step.choice.optionId;
      join.timedOut = step.choice.timedOut;
      const targets = d.options.map((o) => o.next_scene);
      stores = prefetchScenes(targets, false);
      join.prefetch.scenes = [...stores.keys()];
      clock.setTimer(now + step.choice.afterS * 1000, choose);
    };

    session = buildPlayer({
      clock,
      transport: store === undefined ? inner : new PrefetchingTransport(inner, [store]),
      catalog,
      policy,
      estimator,
      config: playerConfig,
      extra: {
        telemetry: (e) => {
          if (e.type === 'startup') onFirstFrame(clock.nowMs());
        },
        onEnd: (reason) => {
          ended = true;
          store?.close();
          scenes.push(titleResult({ session: session as PlayerSession, catalog, opts, policyName: policy.name, profile: 'interactive', startedAtMs }));
          if (join === undefined || reason !== 'finished') {
            for (const s of stores.values()) s.abort();
            return;
          }
          join.sceneEndMs = clock.nowMs();
          // A decision at the very end of the scene appears as it ends.
          show();
          joins.push(join);
          if (chosen) startNext();
        },
      },
    });
    if (join !== undefined && scene.decision !== undefined) {
      atPlayhead(clock, session, scene.decision.timestamp * 1000, show);
    } else if (join !== undefined) {
      atPlayhead(clock, session, Math.max(0, catalog.durationMs - linearLeadMs), () => {
        stores = prefetchScenes([join.toScene], true);
        join.prefetch.scenes = [...stores.keys()];
      });
    }
    played.push({ session, catalog, startedAtMs });
    policyName = policy.name;
    session.start();
  };

  const joinsPending: { join: SceneJoin; stores: Map<string, SegmentPrefetcher> }[] = [];
  if (path.length > 0) playStep(0, undefined, 0, () => undefined);
  clock.run();
  for (const { join, stores } of joinsPending) {
    for (const s of stores.values()) {
      join.prefetch.fetchedBytes += s.fetchedBytes();
      join.prefetch.wastedBytes += s.wastedBytes();
    }
  }
  const branchStalls = joins.filter((j) => j.kind === 'decision' && j.stallMs !== undefined).map((j) => j.stallMs as number);
  return {
    kind: 'interactive',
    contentId: graph.content_id,
    path: path.map((s) => (s.choice ? { sceneId: s.scene.scene_id, optionId: s.choice.optionId } : { sceneId: s.scene.scene_id })),
    scenes,
    joins,
    branchStall: { ...meanP95(branchStalls), count: branchStalls.filter((s) => s > 0).length },
    prefetchedBytes: allStores.reduce((a, s) => a + s.fetchedBytes(), 0),
    wastedBytes: allStores.reduce((a, s) => a + s.wastedBytes(), 0),
    linkBytes: link.deliveredBytes,
    session: combineTitles({ titles: played, opts, policyName, profile: 'interactive', video: graph.content_id, endMs: clock.nowMs() }),
  };
}
