import { describe, expect, it } from 'vitest';
import { planPrefetch, predictNextAction } from '../../src/player/prefetch/predictive.js';

describe('predictive prefetcher (reference §4.1)', () => {
  it("a binge-watcher's episode: next 0.75, browse 0.15, exit 0.10 → prefetch 5 segments, no thumbnails", () => {
    const p = predictNextAction({ bingeRate: 0.8 }, { type: 'episode', progress: 0.85, hasNext: true });
    expect(p).toEqual({ continueWatching: 0, nextEpisode: 0.75, browse: 0.15, exit: 0.1 });
    expect(planPrefetch(p)).toMatchObject({ nextEpisodeSegments: 5, thumbnails: false });
  });

  it('a binge rate of exactly 0.7 is not above the threshold: no episode prefetch (0.6 is not > 0.6)', () => {
    const p = predictNextAction({ bingeRate: 0.7 }, { type: 'episode', progress: 0.85, hasNext: true });
    expect(p.nextEpisode).toBe(0.6);
    expect(planPrefetch(p).nextEpisodeSegments).toBe(0);
  });

  it('the end of a movie predicts browsing → thumbnails', () => {
    const p = predictNextAction({ bingeRate: 0.9 }, { type: 'movie', progress: 0.95, hasNext: false });
    expect(planPrefetch(p)).toMatchObject({ nextEpisodeSegments: 0, thumbnails: true });
  });
});
