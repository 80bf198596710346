import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { constantTrace } from '../../../src/net/trace.js';
import { simulateSeries, type SeriesSessionOptions } from '../../../src/sim/content/series-session.js';
import { cbrCatalog, fixedPolicy } from '../../helpers/fakes.js';

// Three 40 s episodes of ten 4 s segments at 1000 kbps: 500,000 B = 4,000,000 bits each; on 10 Mbps with no
// latency one segment alone takes 400 ms. Credits at 35 s, the 15 s countdown, prefetch from 80 % = 32 s.
const ep = () => cbrCatalog({ ratesKbps: [1000], segments: 10 });
const catalogs = [ep(), ep(), ep()];
const SEG_BYTES = 500_000;
const series = {
  series: 'test',
  episodes: [0, 1, 2].map((i) => ({ id: `e${i + 1}`, video: `e${i + 1}.json`, creditsStartMs: 35_000 })),
};
const base: SeriesSessionOptions = { series, catalogs, trace: constantTrace(10_000), latencyMs: 0, policy: () => fixedPolicy(0) };
const autoplay = [{ kind: 'autoplay' }, { kind: 'autoplay' }] as const;

describe('series: next-episode prefetch and seamless transitions (hand-computed)', () => {
  // Episode 1: segment 0 in at 400 ms, first frame at 400 (4 s buffer). The player has all 40 s long before
  // its playhead reaches 32 s (clock 32,400), so the link is idle then and the prefetch fetches segments 0–4 of
  // episode 2 one at a time: 32,400 → 34,400. Autoplay: the countdown (35 s + 15 s) outlasts the episode, so it
  // moves on at the end, media 40 s = clock 40,400. Episode 2's first segment is in the store: first frame at
  // 40,400, gap 0.
  const r = simulateSeries({ ...base, ends: autoplay });

  it('prefetches from 80 % and moves on with no gap', () => {
    expect(r.episodes).toHaveLength(3);
    expect(r.transitions).toHaveLength(2);
    const t0 = r.transitions[0];
    expect(t0?.prefetch.startedAtMs).toBeCloseTo(32_400, 6);
    expect(t0?.prefetch.segments).toBe(5);
    expect(t0?.lastFrameMs).toBeCloseTo(40_400, 6);
    expect(t0?.firstFrameMs).toBeCloseTo(40_400, 6);
    expect(t0?.gapMs).toBeCloseTo(0, 6);
    expect(t0?.prefetch.usedSegments).toBe(5);
    expect(t0?.prefetch.wastedBytes).toBe(0);
    // Episode 2 starts at 40,400 and reaches 32 s at 72,400; it ends at 80,400.
    expect(r.transitions[1]?.prefetch.startedAtMs).toBeCloseTo(72_400, 6);
    expect(r.transitions[1]?.gapMs).toBeCloseTo(0, 6);
    expect(r.gaps.overTarget).toBe(0);
  });

  it('every byte is fetched once: 30 segments cross the link, 10 of them prefetched', () => {
    expect(r.linkBytes).toBe(30 * SEG_BYTES);
    expect(r.prefetchedBytes).toBe(10 * SEG_BYTES);
    expect(r.wastedPrefetchBytes).toBe(0);
    // The stored segments are served at once: rows of episode 2's first segments take no time.
    const first = r.episodes[1]?.segments[0];
    expect(first?.requestMs).toBeCloseTo(40_400, 6);
    expect(first?.doneMs).toBeCloseTo(40_400, 6);
    expect(r.episodes[1]?.summary.startupMs).toBeCloseTo(0, 6);
  });

  it('without prefetch the next episode waits for its first segment: a 400 ms gap', () => {
    const off = simulateSeries({ ...base, ends: autoplay, prefetch: 'off' });
    expect(off.transitions.map((t) => t.gapMs)).toEqual([expect.closeTo(400, 6), expect.closeTo(400, 6)]);
    expect(off.prefetchedBytes).toBe(0);
    expect(off.linkBytes).toBe(30 * SEG_BYTES);
  });

  it('a viewer who stops at the credits wastes the whole prefetch', () => {
    // Leaves at media 35 s = clock 35,400; the prefetch finished at 34,400: 5 segments never played.
    const stop = simulateSeries({ ...base, ends: [{ kind: 'stop' }] });
    expect(stop.episodes).toHaveLength(1);
    expect(stop.episodes[0]?.summary.endReason).toBe('user-exit');
    expect(stop.episodes[0]?.summary.playMs).toBeCloseTo(35_000, 6);
    expect(stop.transitions).toHaveLength(1);
    expect(stop.transitions[0]?.to).toBeUndefined();
    expect(stop.wastedPrefetchBytes).toBe(5 * SEG_BYTES);
    expect(stop.linkBytes).toBe(15 * SEG_BYTES);
  });

  it('a manual click 2 s into the countdown moves on at media 37 s (clock 37,400)', () => {
    const manual = simulateSeries({ ...base, ends: [{ kind: 'manual-next', afterMs: 2000 }, { kind: 'stop' }] });
    expect(manual.transitions[0]?.lastFrameMs).toBeCloseTo(37_400, 6);
    expect(manual.transitions[0]?.gapMs).toBeCloseTo(0, 6);
    expect(manual.episodes[0]?.summary.playMs).toBeCloseTo(37_000, 6);
  });

  it('skips the intro: episode 2 starts at the segment holding 8 s, and those are what is prefetched', () => {
    const withIntro = { ...series, episodes: series.episodes.map((e, i) => (i === 1 ? { ...e, skipIntroMs: 8000 } : e)) };
    const s = simulateSeries({ ...base, series: withIntro, ends: autoplay });
    expect(s.episodes[1]?.segments[0]?.index).toBe(2);
    expect(s.transitions[0]?.prefetch.usedSegments).toBe(5);
    expect(s.transitions[0]?.gapMs).toBeCloseTo(0, 6);
    // Episode 2 plays media 8–40 s: 32 s.
    expect(s.episodes[1]?.summary.playMs).toBeCloseTo(32_000, 6);
  });

  it('draws the binge from the seed when no ends are given (same seed, same binge)', () => {
    const a = simulateSeries({ ...base, seed: 7 });
    const b = simulateSeries({ ...base, seed: 7 });
    expect(a.ends).toEqual(b.ends);
    expect(a.transitions).toEqual(b.transitions);
    const never = simulateSeries({ ...base, series: { ...series, continueProbability: 0 }, seed: 7 });
    expect(never.ends).toEqual([{ kind: 'stop' }]);
  });

  it('rejects a catalog count that does not match the episodes, naming the field', () => {
    expect(() => simulateSeries({ ...base, catalogs: [ep()] })).toThrow(InputError);
    expect(() => simulateSeries({ ...base, catalogs: [ep()] })).toThrow(/series\.episodes/);
  });
});

describe('series: the §4.1 predictive prefetcher as a switch', () => {
  it('a binge-watcher (rate 0.8 > 0.7: next episode 0.75 > 0.6) gets the 5-segment prefetch', () => {
    const p = simulateSeries({ ...base, ends: autoplay, prefetch: 'predictive', viewerBingeRate: 0.8 });
    expect(p.transitions[0]?.prefetch.segments).toBe(5);
    expect(p.transitions[0]?.prefetch.reason).toMatch(/^predictive: next episode 0\.75 > 0\.6/);
    expect(p.transitions[0]?.gapMs).toBeCloseTo(0, 6);
  });

  it('an occasional viewer (rate 0.5: next episode 0.5 ≤ 0.6) gets none, and the 400 ms gap', () => {
    const p = simulateSeries({ ...base, ends: autoplay, prefetch: 'predictive', viewerBingeRate: 0.5 });
    expect(p.transitions[0]?.prefetch.segments).toBe(0);
    expect(p.transitions[0]?.prefetch.reason).toMatch(/next episode 0\.50 ≤ 0\.6/);
    expect(p.transitions[0]?.gapMs).toBeCloseTo(400, 6);
    expect(p.prefetchedBytes).toBe(0);
  });
});

describe('series: the binge as one session (combineTitles)', () => {
  it('sums what the episodes played: 3 × 40 s, 30 segment rows, 1000 kbps, the first episode\'s startup', () => {
    const r = simulateSeries({ ...base, ends: autoplay });
    expect(r.session.video).toBe('test');
    expect(r.session.segments).toHaveLength(30);
    expect(r.session.summary.playMs).toBeCloseTo(120_000, 6);
    expect(r.session.summary.completion).toBeCloseTo(1, 9);
    expect(r.session.summary.avgBitrateKbps).toBeCloseTo(1000, 9);
    // Episode 1's first segment alone: 400 ms.
    expect(r.session.summary.startupMs).toBeCloseTo(400, 6);
    expect(r.session.summary.rebufferCount).toBe(0);
    // One timeline on the shared clock: playback from 400 ms, played steps until the third episode (from 80,400).
    expect(r.session.timeline?.playStartMs).toBeCloseTo(400, 6);
    expect(Math.max(...(r.session.timeline?.played.tMs ?? []))).toBeGreaterThanOrEqual(80_400 - 1e-6);
  });

  it('a viewer who stops at the credits: one episode, 35 s played, the session ends as the user left', () => {
    const stop = simulateSeries({ ...base, ends: [{ kind: 'stop' }], player: { recordTimeline: false } });
    expect(stop.session.summary.playMs).toBeCloseTo(35_000, 6);
    expect(stop.session.summary.endReason).toBe('user-exit');
    expect(stop.session.timeline).toBeUndefined();
  });
});

describe('series: the combined timeline', () => {
  it('marks where each later episode starts playing (40,400 and 80,400 ms, as computed above)', () => {
    const r = simulateSeries({ ...base, ends: autoplay, player: { recordTimeline: true } });
    const titles = (r.session.timeline?.marks ?? []).filter((m) => m.kind === 'title');
    expect(titles.map((m) => Math.round(m.tMs))).toEqual([40_400, 80_400]);
    expect(titles[0]?.label).toContain('starts');
  });
});
