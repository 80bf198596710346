import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { availableAtMs, dvrStartMs, joinSegment, latencyToEdgeMs, liveEdgeSegment, liveSchema } from '../../src/content/live-edge.js';
import { creditsStartMs, drawBinge, prefetchStartMs, seriesSchema } from '../../src/content/series.js';

const episodes = ['e1', 'e2', 'e3', 'e4'].map((id) => ({ id, video: `${id}.json` }));

describe('series (reference §3.2)', () => {
  it('reference defaults: prefetch at 80 %, 5 segments, 15 s countdown, 80 % continue', () => {
    const s = seriesSchema.parse({ series: 'show', episodes });
    expect(s).toMatchObject({ prefetchAtCompletion: 0.8, prefetchSegments: 5, autoplayCountdownMs: 15_000, continueProbability: 0.8 });
    // The reference's 45-minute episode: prefetch from 36 min (2160 s).
    expect(prefetchStartMs(2_700_000, s)).toBe(2_160_000);
    expect(creditsStartMs(2_700_000, 2_430_000)).toBe(2_430_000);
    expect(creditsStartMs(2_700_000, undefined)).toBe(2_690_000);
  });

  it('binge model: everyone continues, nobody continues, and cancelled countdowns click within 15 s', () => {
    const all = seriesSchema.parse({ series: 's', episodes, continueProbability: 1, cancelAutoplayProbability: 0 });
    expect(drawBinge(all, createRng(1))).toEqual([{ kind: 'autoplay' }, { kind: 'autoplay' }, { kind: 'autoplay' }]);
    const none = seriesSchema.parse({ series: 's', episodes, continueProbability: 0 });
    expect(drawBinge(none, createRng(1))).toEqual([{ kind: 'stop' }]);
    const manual = seriesSchema.parse({ series: 's', episodes, continueProbability: 1, cancelAutoplayProbability: 1 });
    for (const end of drawBinge(manual, createRng(2))) {
      expect(end.kind).toBe('manual-next');
      if (end.kind === 'manual-next') expect(end.afterMs).toBeLessThan(15_000);
    }
  });
});

describe('live edge (reference §3.3)', () => {
  const live = liveSchema.parse({});

  it('2 s segments are listed once encoded and packaged', () => {
    // Segment 3 is media 6–8 s, listed at 8 s + 2 s publish delay = 10 s.
    expect(availableAtMs(3, live)).toBe(10_000);
    expect(liveEdgeSegment(9_999, live)).toBe(2);
    expect(liveEdgeSegment(10_000, live)).toBe(3);
    expect(liveEdgeSegment(3_000, live)).toBe(-1);
  });

  it('joins at the edge minus the target latency, never past the newest segment', () => {
    // At 30 s: media edge 30 s, target 8 s behind → 22 s → segment 11; newest listed is 13.
    expect(joinSegment(30_000, live)).toBe(11);
    expect(latencyToEdgeMs(30_000, 22_000, live)).toBe(8000);
    // A 20 s target at the same time wants segment 5; a 1 s target wants 14 but only 13 is listed.
    expect(joinSegment(30_000, liveSchema.parse({ targetLatencyMs: 20_000 }))).toBe(5);
    expect(joinSegment(30_000, liveSchema.parse({ targetLatencyMs: 1000 }))).toBe(13);
  });

  it('the DVR window reaches 4 h back, aligned to a segment', () => {
    expect(dvrStartMs(5 * 3600_000, live)).toBe(3600_000);
    expect(dvrStartMs(5 * 3600_000 + 1, live)).toBe(3600_000 + 2000);
    expect(dvrStartMs(60_000, live)).toBe(0);
  });
});
