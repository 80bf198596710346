/**
 * The reference's predictive prefetcher (streaming-architecture.md §4.1 "Predictive Pre-fetching") as pure
 * functions: predict what the viewer does next, then decide what to prefetch. The player hook that acts on the
 * plan (fetching segments of the next title with idle bandwidth) is switched on per scenario.
 *
 * The reference gives one rule — an episode watched by a binge-watcher (binge rate > 0.7): next episode 0.75,
 * browse 0.15, exit 0.10 — and leaves the rest at 0; we fill the other cases with the population figures it
 * quotes elsewhere (§3.2: 60 %+ watch the next episode; §3.1: 70 %+ of movies are watched to the end) and say so.
 */

export interface ViewerHistory {
  /** Share of episodes after which this viewer went on to the next one, 0–1. */
  bingeRate: number;
}

export interface CurrentContent {
  type: 'episode' | 'movie' | 'live' | 'interactive';
  /** Share of the title played, 0–1. */
  progress: number;
  /** Whether a next episode exists. */
  hasNext: boolean;
}

export interface NextActionPrediction {
  continueWatching: number;
  nextEpisode: number;
  browse: number;
  exit: number;
}

export function predictNextAction(history: ViewerHistory, content: CurrentContent): NextActionPrediction {
  if (content.type === 'episode' && content.hasNext) {
    // §4.1's rule for binge-watchers; otherwise §3.2's population rate (60 %) scaled by this viewer's own rate.
    if (history.bingeRate > 0.7) return { continueWatching: 0, nextEpisode: 0.75, browse: 0.15, exit: 0.1 };
    const next = Math.min(0.6, history.bingeRate);
    return { continueWatching: 0, nextEpisode: next, browse: (1 - next) * 0.6, exit: (1 - next) * 0.4 };
  }
  // Before the end of a title the likeliest action is to keep watching (§3.1: 70 %+ completion).
  if (content.progress < 0.9) return { continueWatching: 0.7, nextEpisode: 0, browse: 0.2, exit: 0.1 };
  return { continueWatching: 0, nextEpisode: 0, browse: 0.6, exit: 0.4 };
}

export interface PrefetchPlan {
  /** Segments of the next episode to fetch now (0: none). */
  nextEpisodeSegments: number;
  /** Prefetch the home page's thumbnails. */
  thumbnails: boolean;
  reason: string;
}

/** §4.1 `prefetch_content`: next episode when its probability is > 0.6 (5 segments); thumbnails when browse > 0.3. */
export function planPrefetch(p: NextActionPrediction, opts: { segments?: number; nextEpisodeThreshold?: number; browseThreshold?: number } = {}): PrefetchPlan {
  const nextThreshold = opts.nextEpisodeThreshold ?? 0.6;
  const browseThreshold = opts.browseThreshold ?? 0.3;
  const next = p.nextEpisode > nextThreshold;
  const thumbs = p.browse > browseThreshold;
  return {
    nextEpisodeSegments: next ? (opts.segments ?? 5) : 0,
    thumbnails: thumbs,
    reason: `next episode ${p.nextEpisode.toFixed(2)} ${next ? '>' : '≤'} ${nextThreshold}; browse ${p.browse.toFixed(2)} ${thumbs ? '>' : '≤'} ${browseThreshold}`,
  };
}
