import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import {
  PENSIEVE_LADDER_KBPS,
  QOE_MODELS,
  chunkQoeSum,
  hdValue,
  interpolateHd,
  pensieveHd,
  pensieveLin,
  pensieveLog,
  rebufferRatio,
  referenceQoe,
  scoreAll,
} from '../../src/qoe/models.js';
import type { SessionMetrics } from '../../src/qoe/types.js';

const REFERENCE_LADDER_KBPS = [300, 600, 1000, 2000, 3000, 5000, 8000, 20000, 25000];

/** A session with no defects at 0 kbps on the reference ladder; override what a test needs. */
function metrics(over: Partial<SessionMetrics> = {}): SessionMetrics {
  return {
    startupMs: 0,
    rebufferMs: 0,
    rebufferCount: 0,
    playMs: 200_000,
    contentMs: 200_000,
    avgBitrateKbps: 0,
    switchCount: 0,
    bytes: 0,
    playedBitratesKbps: [],
    playedRebufferMs: [],
    ladderKbps: REFERENCE_LADDER_KBPS,
    ...over,
  };
}

describe('reference composite QoE (reference §4.3)', () => {
  it('scores a typical session term by term', () => {
    const m = metrics({ startupMs: 1500, rebufferMs: 2000, rebufferCount: 2, playMs: 200_000, avgBitrateKbps: 3000, switchCount: 4 });
    // startup:  (100 − min(1500/30 = 50, 100)) · 0.2 = 50 · 0.2 = 10
    // ratio:    2000 / 200 000 = 0.01 → (100 − 0.01·1000 = 90) · 0.3 = 27
    // count:    (100 − min(2·10, 100) = 80) · 0.2 = 16
    // bitrate:  3000 / 250 = 12 → 12 · 0.2 = 2.4
    // switches: (100 − min(4·5, 100) = 80) · 0.1 = 8
    // total = 10 + 27 + 16 + 2.4 + 8 = 63.4
    expect(referenceQoe(m)).toBeCloseTo(63.4, 10);
  });

  it('clamps the total at 100 (the bitrate term itself is unbounded, as written)', () => {
    // 20 + 30 + 20 + (25000/250)·0.2 = 20 + 10 = 100 exactly.
    expect(referenceQoe(metrics({ avgBitrateKbps: 25_000 }))).toBeCloseTo(100, 10);
    // 50 000 kbps: 20 + 30 + 20 + 40 + 10 = 120 → 100.
    expect(referenceQoe(metrics({ avgBitrateKbps: 50_000 }))).toBe(100);
  });

  it('clamps the total at 0 (the rebuffer term has no inner clamp)', () => {
    const m = metrics({ startupMs: 3000, rebufferMs: 100_000, rebufferCount: 10, playMs: 200_000, avgBitrateKbps: 300, switchCount: 20 });
    // startup: (100 − min(100, 100))·0.2 = 0; ratio 0.5 → (100 − 500)·0.3 = −120; count: 0; bitrate 1.2·0.2 = 0.24;
    // switches: 0 → total −119.76 → 0.
    expect(referenceQoe(m)).toBe(0);
    // The unclamped rebuffer term shows through when the rest is high: ratio 0.2 → (100 − 200)·0.3 = −30;
    // 20 + (−30) + 20 + (5000/250)·0.2 = 4 + 10 = 24.
    expect(referenceQoe(metrics({ rebufferMs: 40_000, avgBitrateKbps: 5000 }))).toBeCloseTo(24, 10);
  });

  it('caps the startup, count and switch terms at 100 points each', () => {
    // startup 6000/30 = 200 → min 100 → 0; count 15·10 → 100 → 0; switches 30·5 → 100 → 0: only 30 + 0.2·(1000/250) = 30.8.
    const m = metrics({ startupMs: 6000, rebufferCount: 15, switchCount: 30, avgBitrateKbps: 1000 });
    expect(referenceQoe(m)).toBeCloseTo(30.8, 10);
  });

  it('rebuffer ratio is rebuffer / played media time; with nothing played it is 1 after a stall, else 0', () => {
    expect(rebufferRatio({ rebufferMs: 3000, playMs: 60_000 })).toBeCloseTo(0.05, 12);
    expect(rebufferRatio({ rebufferMs: 3000, playMs: 0 })).toBe(1);
    expect(rebufferRatio({ rebufferMs: 0, playMs: 0 })).toBe(0);
    // Nothing played, no stall, 0 kbps: 20 + 30 + 20 + 0 + 10 = 80.
    expect(referenceQoe(metrics({ playMs: 0 }))).toBeCloseTo(80, 10);
    // Nothing played after a stall: (100 − 1000)·0.3 = −270 dominates → 0.
    expect(referenceQoe(metrics({ playMs: 0, rebufferMs: 500, rebufferCount: 1 }))).toBe(0);
  });

  it('weights are parameters', () => {
    // Only the bitrate term, at weight 1: 3000 / 250 = 12.
    const onlyBitrate = { startupWeight: 0, rebufferRatioWeight: 0, rebufferCountWeight: 0, bitrateWeight: 1, switchWeight: 0 };
    expect(referenceQoe(metrics({ avgBitrateKbps: 3000 }), onlyBitrate)).toBeCloseTo(12, 10);
    expect(() => referenceQoe(metrics(), { bitrateKbpsPerPoint: 0 })).toThrow(InputError);
  });
});

describe("Pensieve's QoE (Mao et al. 2017 §5.1, per-chunk reward of MODEL.md)", () => {
  // One session on Pensieve's ladder: chunks 750, 1850, 1850, 300 kbps; stalls 0.5 s, 0, 1 s, 0.
  const pensieveSession = metrics({
    ladderKbps: PENSIEVE_LADDER_KBPS,
    playedBitratesKbps: [750, 1850, 1850, 300],
    playedRebufferMs: [500, 0, 1000, 0],
  });

  it('QoE_lin: Mbps − 4.3·rebuffer_s − |ΔMbps|, no smoothness on the first chunk', () => {
    // c0: 0.75 − 4.3·0.5 = 0.75 − 2.15 = −1.40
    // c1: 1.85 − 0 − |1.85 − 0.75| = 1.85 − 1.10 = 0.75
    // c2: 1.85 − 4.3·1 − 0 = −2.45
    // c3: 0.30 − 0 − |0.30 − 1.85| = 0.30 − 1.55 = −1.25
    // total = −1.40 + 0.75 − 2.45 − 1.25 = −4.35
    expect(pensieveLin(pensieveSession)).toBeCloseTo(-4.35, 10);
  });

  it('QoE_log: ln(R/300) − 2.66·rebuffer_s − |Δ ln R|', () => {
    // Let L = ln(1850/300). c0: ln 2.5 − 1.33; c1: L − (L − ln 2.5) = ln 2.5; c2: L − 2.66; c3: 0 − L.
    // total = 2·ln 2.5 − 3.99 = 1.8325814637 − 3.99 = −2.1574185363
    expect(pensieveLog(pensieveSession)).toBeCloseTo(2 * Math.log(2.5) - 3.99, 10);
    expect(pensieveLog(pensieveSession)).toBeCloseTo(-2.1574185363, 9);
  });

  it('QoE_hd: map 300→1, 750→2, 1850→12; 8·rebuffer_s; smoothness on mapped values', () => {
    // c0: 2 − 8·0.5 = −2; c1: 12 − |12 − 2| = 2; c2: 12 − 8·1 = 4; c3: 1 − |1 − 12| = −10; total = −6.
    expect(pensieveHd(pensieveSession)).toBeCloseTo(-6, 10);
  });

  it('matches the reward column of a Pensieve log line by line (chunk 0 uses q_prev = q0, so no smoothness)', () => {
    // MODEL.md: chunk 0 is 750 kbps, reward = 0.75 − 4.3 × startup delay; e.g. a 4.06 s first download:
    // 0.75 − 17.458 = −16.708 (MODEL.md: "≈ −16.7").
    const m = metrics({ ladderKbps: PENSIEVE_LADDER_KBPS, playedBitratesKbps: [750], playedRebufferMs: [4060] });
    expect(pensieveLin(m)).toBeCloseTo(-16.708, 10);
  });

  it('QoE_lin on another ladder penalises a stall second by the top rung in Mbps (25 on the reference ladder)', () => {
    const m = metrics({ playedBitratesKbps: [2000, 5000, 3000], playedRebufferMs: [0, 100, 0] });
    // c0: 2; c1: 5 − 25·0.1 − |5 − 2| = 5 − 2.5 − 3 = −0.5; c2: 3 − 0 − |3 − 5| = 1; total = 2.5
    expect(pensieveLin(m)).toBeCloseTo(2.5, 10);
    // An explicit μ = 4.3 instead: c1 = 5 − 0.43 − 3 = 1.57 → total 2 + 1.57 + 1 = 4.57
    expect(pensieveLin(m, { linRebufferPenaltyPerS: 4.3 })).toBeCloseTo(4.57, 10);
  });

  it('QoE_log on the reference ladder normalises by its lowest rung (300)', () => {
    const m = metrics({ playedBitratesKbps: [600, 600], playedRebufferMs: [0, 0] });
    // 2 · ln(600/300) = 2 ln 2 = 1.3862943611
    expect(pensieveLog(m)).toBeCloseTo(1.3862943611, 9);
  });

  it('QoE_hd on a ladder that is not 6 rungs interpolates the map by bitrate, clamped at 1 and 20', () => {
    // 1000 kbps: between 750 (2) and 1200 (3) → 2 + 250/450 = 2.5555…
    expect(interpolateHd(1000)).toBeCloseTo(2 + 250 / 450, 12);
    // 2000 kbps: between 1850 (12) and 2850 (15) → 12 + 150/1000·3 = 12.45
    expect(interpolateHd(2000)).toBeCloseTo(12.45, 12);
    expect(interpolateHd(200)).toBe(1);
    expect(interpolateHd(25_000)).toBe(20);
    expect(interpolateHd(2850)).toBe(15);
    const m = metrics({ playedBitratesKbps: [1000, 2000, 5000], playedRebufferMs: [0, 0, 500] });
    // q = 2.5556, 12.45, 20. c0: 2.5556; c1: 12.45 − 9.8944 = 2.5556; c2: 20 − 8·0.5 − 7.55 = 8.45
    // total = 2·(2 + 5/9) + 8.45 = 5.1111 + 8.45 = 13.5611…
    expect(pensieveHd(m)).toBeCloseTo(2 * (2 + 5 / 9) + 8.45, 10);
  });

  it('QoE_hd on any 6-rung ladder maps by rank', () => {
    const ladder = [200, 400, 800, 1600, 3200, 6400];
    expect(hdValue(200, ladder)).toBe(1);
    expect(hdValue(1600, ladder)).toBe(12);
    expect(hdValue(6400, ladder)).toBe(20);
    // c0: 3; c1: 12 − |12 − 3| = 3; total 6
    const m = metrics({ ladderKbps: ladder, playedBitratesKbps: [800, 1600], playedRebufferMs: [0, 0] });
    expect(pensieveHd(m)).toBeCloseTo(6, 12);
    expect(() => hdValue(1000, ladder)).toThrow(InputError);
  });

  it('rejects mismatched per-chunk arrays and empty ladders', () => {
    expect(() => pensieveLin(metrics({ playedBitratesKbps: [300], playedRebufferMs: [] }))).toThrow(/playedRebufferMs/);
    expect(() => pensieveLog(metrics({ ladderKbps: [], playedBitratesKbps: [], playedRebufferMs: [] }))).toThrow(InputError);
  });

  it('an empty session scores 0 on every Pensieve model', () => {
    expect(pensieveLin(metrics())).toBe(0);
    expect(pensieveLog(metrics())).toBe(0);
    expect(pensieveHd(metrics())).toBe(0);
  });

  it('property: with no stalls and one bitrate, lin = N · Mbps and log = N · ln(R/Rmin)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PENSIEVE_LADDER_KBPS), fc.integer({ min: 1, max: 60 }), (kbps, n) => {
        const m = metrics({
          ladderKbps: PENSIEVE_LADDER_KBPS,
          playedBitratesKbps: new Array(n).fill(kbps),
          playedRebufferMs: new Array(n).fill(0),
        });
        expect(pensieveLin(m)).toBeCloseTo((n * kbps) / 1000, 9);
        expect(pensieveLog(m)).toBeCloseTo(n * Math.log(kbps / 300), 9);
      }),
    );
  });

  it('property: every stall second costs exactly μ (chunkQoeSum is linear in rebuffer)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 19 }),
        (quality, at) => {
          const i = at % quality.length;
          const zero = new Array<number>(quality.length).fill(0);
          const stall = zero.map((_, k) => (k === i ? 1000 : 0));
          const base = chunkQoeSum({ quality, rebufferMs: zero, rebufferPenaltyPerS: 2.66, smoothPenalty: 1 });
          const withStall = chunkQoeSum({ quality, rebufferMs: stall, rebufferPenaltyPerS: 2.66, smoothPenalty: 1 });
          expect(base - withStall).toBeCloseTo(2.66, 9);
        },
      ),
    );
  });
});

// Reference data beside the checkout (DESIGN.md "Conventions"): ../shared/conformance/pensieve/logs/bb.
const BB_LOGS_DIR = fileURLToPath(new URL('../../../shared/conformance/pensieve/logs/bb/', import.meta.url));
const haveBbLogs = existsSync(BB_LOGS_DIR);

describe('QoE_lin against the Pensieve simulator logs (reads ../shared/conformance/pensieve/logs/bb)', () => {
  it.skipIf(!haveBbLogs)('sums to the log reward column on every BB log (skipped when ../shared/conformance is absent)', () => {
    const files = readdirSync(BB_LOGS_DIR).filter((f) => f.startsWith('log_sim_bb_'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      // Columns (MODEL.md): time_s, bitrate_kbps, buffer_s, rebuffer_s, chunk_bytes, delay_ms, reward.
      const rows = readFileSync(BB_LOGS_DIR + f, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => line.split('\t').map(Number));
      const m = metrics({
        ladderKbps: PENSIEVE_LADDER_KBPS,
        playedBitratesKbps: rows.map((r) => r[1] as number),
        playedRebufferMs: rows.map((r) => (r[3] as number) * 1000),
      });
      const logged = rows.reduce((sum, r) => sum + (r[6] as number), 0);
      expect(pensieveLin(m), f).toBeCloseTo(logged, 9);
    }
  });
});

describe('scoreAll and QOE_MODELS', () => {
  it('gives every built-in score of a session', () => {
    const m = metrics({
      ladderKbps: PENSIEVE_LADDER_KBPS,
      playedBitratesKbps: [750, 1850, 1850, 300],
      playedRebufferMs: [500, 0, 1000, 0],
      startupMs: 1500,
      rebufferMs: 2000,
      rebufferCount: 2,
      avgBitrateKbps: 3000,
      switchCount: 4,
    });
    const s = scoreAll(m);
    expect(s.reference).toBeCloseTo(63.4, 10); // same arithmetic as the §4.3 test above
    expect(s.lin).toBeCloseTo(-4.35, 10);
    expect(s.log).toBeCloseTo(2 * Math.log(2.5) - 3.99, 10);
    expect(s.hd).toBeCloseTo(-6, 10);
    expect(QOE_MODELS.map((q) => q.name)).toEqual(['reference', 'lin', 'log', 'hd']);
    for (const q of QOE_MODELS) expect(q.score(m)).toBeCloseTo(s[q.name], 12);
  });

  it('property: the reference score stays in [0, 100]', () => {
    fc.assert(
      fc.property(
        fc.record({
          startupMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
          rebufferMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
          rebufferCount: fc.integer({ min: 0, max: 1000 }),
          playMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
          avgBitrateKbps: fc.double({ min: 0, max: 1e5, noNaN: true }),
          switchCount: fc.integer({ min: 0, max: 1000 }),
        }),
        (over) => {
          const q = referenceQoe(metrics(over));
          expect(q).toBeGreaterThanOrEqual(0);
          expect(q).toBeLessThanOrEqual(100);
        },
      ),
    );
  });
});

describe('QoE of other codecs (reference §7.2: equal quality at lower bitrate)', () => {
  it('scores the H.264-equivalent quality when the metrics carry it', async () => {
    const { scoreAll } = await import('../../src/qoe/models.js');
    // Two 4 s segments played at an AV1 rung of 1650 kbps that looks like 3000 kbps in H.264, on a 2-rung ladder.
    const base = {
      startupMs: 1000,
      rebufferMs: 0,
      rebufferCount: 0,
      playMs: 8000,
      contentMs: 8000,
      avgBitrateKbps: 1650,
      switchCount: 0,
      bytes: 1_650_000,
      playedBitratesKbps: [1650, 1650],
      playedRebufferMs: [0, 0],
      ladderKbps: [550, 1650],
    };
    const withQuality = { ...base, quality: { avgKbps: 3000, playedKbps: [3000, 3000], ladderKbps: [1000, 3000] } };
    const asH264 = { ...base, avgBitrateKbps: 3000, playedBitratesKbps: [3000, 3000], ladderKbps: [1000, 3000] };
    expect(scoreAll(withQuality)).toEqual(scoreAll(asH264));
    // QoE_lin counts Mbps: 3 + 3 = 6 for the equivalent quality, not 1.65 + 1.65.
    expect(scoreAll(withQuality).lin).toBeCloseTo(6, 12);
  });
});
