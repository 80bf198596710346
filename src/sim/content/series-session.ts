/**
 * A viewer watching a series back to back (reference streaming-architecture.md §3.2) on one clock and one link:
 * from 80 % of an episode the next one's first segments are prefetched with idle bandwidth (a second user of the
 * link, src/sim/content/prefetch-store.ts); at the credits an autoplay countdown runs, which the drawn binge model
 * (src/content/series.ts `drawBinge`) lets run, cancels to click "next" by hand, or ends by leaving; the next
 * episode's player then takes the prefetched segments from the store. Measured: the transition gap (last frame of
 * episode k to first frame of k+1; target < 500 ms) and the prefetched bytes wasted.
 *
 * Prefetch modes: `reference` always prefetches at 80 % (§3.2); `predictive` asks the §4.1 prefetcher
 * (src/player/prefetch/predictive.ts) with the viewer's binge rate and prefetches only what its plan says; `off`.
 *
 * Viewer timing, where the reference leaves it open: autoplay moves on when the countdown ends (or at the
 * episode's end if that is sooner: the reference's t=2685 s of 2700); a manual click moves on `afterMs` into the
 * countdown; a viewer who stops leaves when the credits begin. The prefetch rung is the highest at or below 85 %
 * of the throughput estimate (the reference ABR's safety margin), the lowest without one; the next player fetches
 * its first segments at that rung (so they are the stored ones) and chooses freely after.
 */
import { z } from 'zod';
import { VirtualClock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import { creditsStartMs, drawBinge, prefetchStartMs, seriesSchema, type EpisodeEnd, type Series } from '../../content/series.js';
import type { Catalog } from '../../origin/catalog.js';
import { planPrefetch, predictNextAction } from '../../player/prefetch/predictive.js';
import { highestAtOrBelow } from '../../player/ladder.js';
import type { PlayerSession } from '../../player/session.js';
import type { SessionResult, SessionTimeline } from '../../qoe/types.js';
import { atPlayhead, buildLink, buildPlayer, combineTitles, makeEstimator, makePolicy, meanP95, resolvePlayerConfig, titleResult, titleTransport, type ContentSimOptions, type PlayedTitle } from './common.js';
import { PrefetchingTransport, SegmentPrefetcher, type PrefetchEntry } from './prefetch-store.js';

export type SeriesInput = z.input<typeof seriesSchema>;
export type PrefetchMode = 'reference' | 'predictive' | 'off';

/** The reference ABR's safety margin (§2.2: 85 % of the estimate), used to pick the prefetch rung. */
const PREFETCH_SAFETY = 0.85;

export interface SeriesSessionOptions extends ContentSimOptions {
  /** The series (episodes' `video` fields are for loaders: the catalogs below are what is played). */
  series: SeriesInput;
  /** One catalog per episode, in order. */
  catalogs: readonly Catalog[];
  /** What the viewer does at the end of each episode; default drawn from the seed (`drawBinge`). */
  ends?: readonly EpisodeEnd[];
  /** Next-episode prefetch: the §3.2 rule, the §4.1 predictive prefetcher, or none. Default `reference`. */
  prefetch?: PrefetchMode;
  /** The viewer's binge rate the predictive prefetcher sees (0–1); default the series' continue probability. */
  viewerBingeRate?: number;
  /** Start each episode after its intro (`skipIntroMs`, at the segment holding it). Default true. */
  autoSkipIntro?: boolean;
}

/** One move from an episode to the next (or the end of the binge) and the prefetch behind it. */
export interface EpisodeTransition {
  from: number;
  /** The next episode, or undefined when the viewer stopped. */
  to: number | undefined;
  end: EpisodeEnd['kind'];
  /** Clock time of the last frame of `from`, ms. */
  lastFrameMs: number;
  /** Clock time of the first frame of `to`, ms. */
  firstFrameMs?: number;
  /** firstFrameMs − lastFrameMs, ms. */
  gapMs?: number;
  prefetch: {
    /** Why this many segments (the mode, or the §4.1 plan's reason). */
    reason: string;
    repIndex: number;
    segments: number;
    startedAtMs?: number;
    fetchedBytes: number;
    usedSegments: number;
    wastedBytes: number;
  };
}

export interface SeriesResult {
  kind: 'series';
  series: string;
  prefetch: PrefetchMode;
  ends: EpisodeEnd[];
  /** One result per episode played (startupMs of each counts from its own start). */
  episodes: SessionResult[];
  transitions: EpisodeTransition[];
  /** Gaps of the transitions that happened, ms; `overTarget` counts those at or above the target. */
  gaps: { meanMs: number; p95Ms: number; maxMs: number; overTarget: number; targetMs: number };
  prefetchedBytes: number;
  wastedPrefetchBytes: number;
  /** Bytes that crossed the link in all (players and prefetch). */
  linkBytes: number;
  /** The binge as one session (src/sim/content/common.ts `combineTitles`): rows, summary, timeline if recorded. */
  session: SessionResult & { timeline?: SessionTimeline };
}

/** Simulates one viewer's binge of a series; deterministic for a given seed. */
export function simulateSeries(opts: SeriesSessionOptions): SeriesResult {
  const series = parseSeries(opts.series);
  if (opts.catalogs.length !== series.episodes.length) {
    throw new InputError(`${series.episodes.length} episodes but ${opts.catalogs.length} catalogs; give one catalog per episode`, { field: 'series.episodes' });
  }
  const mode = opts.prefetch ?? 'reference';
  const bingeRate = opts.viewerBingeRate ?? series.continueProbability;
  if (!(bingeRate >= 0 && bingeRate <= 1)) throw new InputError(`viewerBingeRate must be in [0, 1], got ${bingeRate}`, { field: 'viewerBingeRate' });
  const ends = opts.ends ? [...opts.ends] : drawBinge(series, createRng(opts.seed ?? 0).derive('binge'));
  const baseConfig = resolvePlayerConfig({}, opts.player);
  const clock = new VirtualClock();
  const link = buildLink(opts, clock);
  const estimator = makeEstimator(opts);
  const episodes: SessionResult[] = [];
  const transitions: EpisodeTransition[] = [];
  const skip = opts.autoSkipIntro ?? true;
  const played: PlayedTitle[] = [];
  let policyName = '';

  /** First segment of episode k (after its intro when skipping). */
  const firstSegment = (k: number): number => {
    const intro = series.episodes[k]?.skipIntroMs;
    const cat = opts.catalogs[k] as Catalog;
    return skip && intro !== undefined ? Math.min(cat.segmentCount - 1, Math.floor(intro / cat.segmentDurationMs)) : 0;
  };

  const playEpisode = (k: number, store: SegmentPrefetcher | undefined, startedAtMs: number, onFirstFrame: (atMs: number) => void): void => {
    const catalog = opts.catalogs[k] as Catalog;
    const end = ends[k];
    const durationMs = catalog.durationMs;
    const credits = creditsStartMs(durationMs, series.episodes[k]?.creditsStartMs);
    const leaveAtMs = end === undefined ? durationMs : end.kind === 'stop' ? credits : Math.min(durationMs, credits + (end.kind === 'manual-next' ? end.afterMs : series.autoplayCountdownMs));
    const prefetched = store?.entries.length ?? 0;
    const config = {
      ...baseConfig,
      ...(leaveAtMs < durationMs ? { watchMs: leaveAtMs } : {}),
      // The first segments come at the stored rung so the player takes them from the store.
      ...(store !== undefined && prefetched > 0 ? { startupBitrateKbps: catalog.representations[store.entries[0]?.repIndex ?? 0]?.bitrateKbps ?? 0, startupSegments: prefetched } : {}),
    };
    const inner = titleTransport(opts, clock, link, catalog);
    const policy = makePolicy(opts);
    let next: SegmentPrefetcher | undefined;
    let nextReason: string = mode;
    let session: PlayerSession | undefined;
    const hasNext = k + 1 < opts.catalogs.length && end !== undefined;
    session = buildPlayer({
      clock,
      transport: store === undefined ? inner : new PrefetchingTransport(inner, [store]),
      catalog,
      policy,
      estimator,
      config,
      extra: {
        startSegment: firstSegment(k),
        telemetry: (e) => {
          if (e.type === 'startup') onFirstFrame(clock.nowMs());
        },
        onEnd: (reason) => {
          const now = clock.nowMs();
          store?.close();
          episodes.push(titleResult({ session: session as PlayerSession, catalog, opts, policyName: policy.name, profile: 'series', startedAtMs }));
          const goOn = hasNext && end.kind !== 'stop' && reason !== 'fatal-error' && reason !== 'time-limit';
          if (!goOn) next?.abort();
          else next?.close();
          const t: EpisodeTransition = {
            from: k,
            to: goOn ? k + 1 : undefined,
            end: end?.kind ?? 'stop',
            lastFrameMs: now,
            prefetch: { reason: nextReason, repIndex: next?.entries[0]?.repIndex ?? 0, segments: next?.entries.length ?? 0, fetchedBytes: 0, usedSegments: 0, wastedBytes: 0 },
          };
          if (hasNext) transitions.push(t);
          if (!goOn) {
            fillPrefetch(t, next);
            return;
          }
          // Not from inside the ending player's callback: the next player starts from a clock timer, same instant.
          clock.setTimer(now, () =>
            playEpisode(k + 1, next, now, (atMs) => {
              t.firstFrameMs = atMs;
              t.gapMs = atMs - t.lastFrameMs;
            }),
          );
          // The store's use is known once the next episode has ended; filled then.
          pendingFill.push({ t, store: next });
        },
      },
    });
    if (hasNext && mode !== 'off') {
      const nextCatalog = opts.catalogs[k + 1] as Catalog;
      const player = session;
      atPlayhead(clock, player, prefetchStartMs(durationMs, series), () => {
        let count = series.prefetchSegments;
        if (mode === 'predictive') {
          const plan = planPrefetch(predictNextAction({ bingeRate }, { type: 'episode', progress: player.playheadNow() / durationMs, hasNext: true }), { segments: series.prefetchSegments });
          count = plan.nextEpisodeSegments;
          nextReason = `predictive: ${plan.reason}`;
        }
        const from = firstSegment(k + 1);
        count = Math.min(count, nextCatalog.segmentCount - from);
        if (count <= 0) return;
        const estimate = estimator.estimateKbps();
        const repIndex = estimate === undefined ? 0 : highestAtOrBelow(nextCatalog, estimate * PREFETCH_SAFETY);
        next = new SegmentPrefetcher({
          clock,
          transport: titleTransport(opts, clock, link, nextCatalog),
          link,
          repIndex,
          segments: Array.from({ length: count }, (_, i) => from + i),
          idleOnly: true,
        });
        next.start();
      });
    }
    played.push({ session, catalog, startedAtMs });
    policyName = policy.name;
    session.start();
  };

  const pendingFill: { t: EpisodeTransition; store: SegmentPrefetcher | undefined }[] = [];
  playEpisode(0, undefined, 0, () => undefined);
  clock.run();
  for (const p of pendingFill) fillPrefetch(p.t, p.store);

  const done = transitions.filter((t) => t.gapMs !== undefined).map((t) => t.gapMs as number);
  const stats = meanP95(done);
  return {
    kind: 'series',
    series: series.series,
    prefetch: mode,
    ends,
    episodes,
    transitions,
    gaps: { ...stats, overTarget: done.filter((g) => g >= series.targetTransitionGapMs).length, targetMs: series.targetTransitionGapMs },
    prefetchedBytes: transitions.reduce((a, t) => a + t.prefetch.fetchedBytes, 0),
    wastedPrefetchBytes: transitions.reduce((a, t) => a + t.prefetch.wastedBytes, 0),
    linkBytes: link.deliveredBytes,
    session: combineTitles({ titles: played, opts, policyName, profile: 'series', video: series.series, endMs: clock.nowMs() }),
  };
}

function fillPrefetch(t: EpisodeTransition, store: SegmentPrefetcher | undefined): void {
  if (store === undefined) return;
  t.prefetch.fetchedBytes = store.fetchedBytes();
  t.prefetch.wastedBytes = store.wastedBytes();
  t.prefetch.usedSegments = store.entries.filter((e: PrefetchEntry) => e.used).length;
  if (store.startedAtMs !== undefined) t.prefetch.startedAtMs = store.startedAtMs;
}

function parseSeries(input: SeriesInput): Series {
  const parsed = seriesSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InputError(issue?.message ?? 'invalid series', { field: `series.${issue?.path.join('.') ?? ''}` });
}
