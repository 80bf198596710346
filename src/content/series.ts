/**
 * TV series (reference streaming-architecture.md §3.2): episodes played back to back, the next one prefetched
 * from 80 % completion with idle bandwidth (its first segments, "segments 0-5 (20 seconds)"), an autoplay
 * countdown during the credits that the viewer may cancel, a seamless transition (< 500 ms), and a binge model
 * (the reference: 60 %+ watch the next episode; 80 % predicted probability).
 */
import { z } from 'zod';
import type { Rng } from '../core/rng.js';

export const episodeSchema = z
  .object({
    id: z.string().min(1),
    /** Video catalog of the episode (path relative to the series file, or inline). */
    video: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
    creditsStartMs: z.number().nonnegative().optional().describe('Where the credits start, ms (default: 10 s before the end)'),
    skipIntroMs: z.number().nonnegative().optional().describe('Where the intro ends, ms (auto-skip intro)'),
  })
  .strict();

export const seriesSchema = z
  .object({
    series: z.string().min(1),
    episodes: z.array(episodeSchema).min(1),
    prefetchAtCompletion: z.number().min(0).max(1).default(0.8).describe('Start prefetching the next episode at this share of the current one (reference: 80 %)'),
    prefetchSegments: z.number().int().nonnegative().default(5).describe('Segments of the next episode prefetched (reference: segments 0–5)'),
    autoplayCountdownMs: z.number().nonnegative().default(15_000).describe('Autoplay countdown shown at the credits, ms (reference: 15 s)'),
    continueProbability: z.number().min(0).max(1).default(0.8).describe('Chance the viewer goes on to the next episode (reference: 80 %)'),
    cancelAutoplayProbability: z.number().min(0).max(1).default(0.1).describe('Chance a continuing viewer cancels the countdown and starts the next episode by hand'),
    targetTransitionGapMs: z.number().positive().default(500).describe('Target gap between episodes, ms (reference: < 500 ms)'),
  })
  .strict();

export type Series = z.output<typeof seriesSchema>;

/** What the viewer does at the end of an episode. */
export type EpisodeEnd =
  | { kind: 'autoplay' }
  /** Cancels the countdown after `afterMs` and starts the next episode by hand. */
  | { kind: 'manual-next'; afterMs: number }
  | { kind: 'stop' };

/**
 * Draws the viewer's behaviour for the end of each episode but the last (seeded): continue with probability
 * `continueProbability`; a continuing viewer cancels autoplay with `cancelAutoplayProbability` and clicks at a
 * uniform time within the countdown. The binge stops at the first `stop`.
 */
export function drawBinge(series: Series, rng: Rng): EpisodeEnd[] {
  const ends: EpisodeEnd[] = [];
  for (let i = 0; i + 1 < series.episodes.length; i++) {
    if (!(rng.next() < series.continueProbability)) {
      ends.push({ kind: 'stop' });
      break;
    }
    if (rng.next() < series.cancelAutoplayProbability) ends.push({ kind: 'manual-next', afterMs: rng.uniform(0, series.autoplayCountdownMs) });
    else ends.push({ kind: 'autoplay' });
  }
  return ends;
}

/** Media time at which the next episode's prefetch starts, ms. */
export function prefetchStartMs(durationMs: number, series: Series): number {
  return durationMs * series.prefetchAtCompletion;
}

/** Where the credits (and the countdown) start: given, else 10 s before the end. */
export function creditsStartMs(durationMs: number, creditsMs: number | undefined): number {
  return Math.min(durationMs, creditsMs ?? Math.max(0, durationMs - 10_000));
}
