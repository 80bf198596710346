import { describe, expect, it } from 'vitest';
import { parseSabreMovie, parseSabreNetwork, runSabreSession, type SabreMetrics } from '../../../src/profiles/sabre/index.js';

/** 3 segments of 1 s at 100 / 200 kbps with nominal sizes. */
const tinyMovie = parseSabreMovie({
  segment_duration_ms: 1000,
  bitrates_kbps: [100, 200],
  segment_sizes_bits: [
    [100_000, 200_000],
    [100_000, 200_000],
    [100_000, 200_000],
  ],
});
const constant1000 = parseSabreNetwork([{ duration_ms: 1_000_000, bandwidth_kbps: 1000, latency_ms: 0 }]);

describe('Sabre session loop', () => {
  // Hand run (throughput rule, sliding-window estimator so that equal samples average exactly):
  //   seg 0 at q0: 100,000 bits / 1000 kbps = 100 ms (startup). Buffer [q0], T = 1000, latency 0.
  //   seg 1: 0.9·1000 = 900 sustains 200 kbps (0 + 1000·200/900 = 222 <= 1000); insufficient-buffer
  //          safe = 0.9·1000·1000 = 900,000 >= 200·1000 → q1. 200 ms; q0 starts playing (u 0, 100 kbps).
  //          Buffer [q0 (200 played), q1] = 1800 ms. Sample 1000 kbps = T: a "leq" estimate with error 0.
  //   seg 2: safe = 0.81·1800·1000 → q1 again, 200 ms; level 2600. Another leq with error 0.
  //   Play-out: 600 ms of q0, then q1 at P = 1100 ms (switch 100 kbps, ln 2; sustainable rung is 1 at
  //   1000 kbps, so the ramp-up time is 1.1 s), then q1 again. P = 100 + 200 + 200 + 2600 = 3100 ms.
  //   TA = 1000/3100; utility 2·ln2 = 1.386294; bitrate 100 + 200 + 200 = 500.
  it('reproduces a hand-computed session', () => {
    const r = runSabreSession({ movie: tinyMovie, network: constant1000, policy: 'throughput', options: { movingAverage: 'sliding' } });
    const m = (r.compat as { metrics: SabreMetrics }).metrics;
    const ta = 1000 / 3100;
    expect(m.buffer_size).toBe(25_000);
    expect(m.total_play_time).toBeCloseTo(3.1, 12);
    expect(m.total_play_time_chunks).toBeCloseTo(3.1, 12);
    expect(m.total_played_utility).toBeCloseTo(2 * Math.LN2, 12);
    expect(m.total_played_bitrate).toBe(500);
    expect(m.time_average_played_bitrate).toBeCloseTo(500 * ta, 9);
    expect(m.total_rebuffer).toBe(0);
    expect(m.total_rebuffer_events).toBe(0);
    expect(m.total_bitrate_change).toBe(100);
    expect(m.total_log_bitrate_change).toBeCloseTo(Math.LN2, 12);
    expect(m.time_average_score).toBeCloseTo(2 * Math.LN2 * ta, 12);
    expect(m.over_estimate_count).toBe(0);
    expect(m.leq_estimate_count).toBe(2);
    expect(m.leq_estimate).toBe(0);
    expect(m.estimate).toBe(0);
    expect(m.rampup_time).toBeCloseTo(1.1, 12);
    expect(m.total_reaction_time).toBe(0);
    expect(r.segments.map((s) => [s.index, s.repIndex, s.requestMs, s.doneMs])).toEqual([
      [0, 0, 0, 100],
      [1, 1, 100, 300],
      [2, 1, 300, 500],
    ]);
    expect(r.summary.startupMs).toBe(100);
    expect(r.summary.playMs).toBe(3000);
    expect(r.summary.switchCount).toBe(1);
    expect(r.summary.avgBitrateKbps).toBeCloseTo(500 / 3, 9);
  });

  // Bandwidth collapses from 10 Mbps to 100 kbps 40 ms in: segment 0 (q0, 30 ms) comes fast, so the estimate
  // says 10 Mbps and the throughput rule asks for q1; after 500 ms the rule abandons to q0 (the measured
  // ~300 kbps cannot bring 3 Mbit within 1.8 segments, and q0's 300 kbit is less than what is left).
  const movie = parseSabreMovie({
    segment_duration_ms: 3000,
    bitrates_kbps: [100, 1000],
    segment_sizes_bits: [
      [300_000, 3_000_000],
      [300_000, 3_000_000],
      [300_000, 3_000_000],
    ],
  });
  const collapse = parseSabreNetwork([
    { duration_ms: 40, bandwidth_kbps: 10_000, latency_ms: 0 },
    { duration_ms: 1_000_000, bandwidth_kbps: 100, latency_ms: 0 },
  ]);

  it("Sabre's bug: after an abandonment the ABR is asked again and picks the same quality", () => {
    const r = runSabreSession({ movie, network: collapse, policy: 'throughput' });
    const seg1 = r.segments.filter((s) => s.index === 1);
    expect(seg1[0]).toMatchObject({ repIndex: 1, abandoned: true });
    // The estimate did not change (abandoned samples are not pushed): q1 again, abandoned again.
    expect(seg1[1]).toMatchObject({ repIndex: 1, abandoned: true });
  });

  it('fixAbandonTarget: the retry uses the quality the abandonment rule chose', () => {
    const r = runSabreSession({ movie, network: collapse, policy: 'throughput', options: { fixAbandonTarget: true } });
    const seg1 = r.segments.filter((s) => s.index === 1);
    expect(seg1[0]).toMatchObject({ repIndex: 1, abandoned: true });
    expect(seg1[1]).toMatchObject({ repIndex: 0, abandoned: false });
    expect(seg1).toHaveLength(2);
  });

  it('the first segment is never abandoned, and -noa turns polling off', () => {
    const r = runSabreSession({ movie, network: collapse, policy: 'throughput', options: { noAbandon: true } });
    expect(r.segments.some((s) => s.abandoned)).toBe(false);
    expect(r.segments.map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('the movie length option repeats the segment list', () => {
    const r = runSabreSession({ movie: tinyMovie, network: constant1000, policy: 'bola', options: { movieLengthS: 7.5 } });
    // ceil(7500/1000) = 8 segments.
    expect(r.segments.filter((s) => !s.abandoned)).toHaveLength(8);
  });

  it('BOLA-E prints its buffer target Bb (max(10 s + 2 s × 2 rungs, 25 s) = 25000)', () => {
    const r = runSabreSession({ movie: tinyMovie, network: constant1000, policy: 'bolae' });
    expect((r.compat as { stdout: string[] }).stdout).toEqual(['25000']);
  });

  it('a policy choosing a rung outside the ladder is an input error naming it', () => {
    const bad = { name: 'bad', chooseRepresentation: () => ({ index: 7, reason: 'x' }) };
    expect(() => runSabreSession({ movie: tinyMovie, network: constant1000, policy: bad })).toThrow(/bad chose representation 7/);
  });
});
