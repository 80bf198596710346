import type { GeneratorSpecInput, PresetName } from './spec.js';

/**
 * Named network profiles. Levels are rough figures from the public traces in ../shared/traces-public
 * (SOURCES.md): Norway HSDPA 3G means 1.0–3.3 Mbit/s, Ghent 4G ≈ 28 Mbit/s and Lumos5G 4G ≈ 40 Mbit/s,
 * Lumos5G mmWave means 300–500 Mbit/s peaking at 1.77 Gbit/s with ~2 % zero-throughput seconds.
 * They are plausible shapes for testing, not fitted models.
 */
export const PRESETS: Record<PresetName, GeneratorSpecInput> = {
  '3g': {
    generator: 'markov',
    levelsKbps: [250, 500, 1000, 1500, 2500, 3500],
    stayProbability: 0.85,
    noiseSd: 0.15,
  },
  '4g': {
    generator: 'markov',
    levelsKbps: [3000, 8000, 15_000, 25_000, 35_000, 45_000],
    stayProbability: 0.85,
    noiseSd: 0.15,
  },
  '5g-mmwave': {
    generator: 'markov',
    // The 0 level models mmWave blockage; the chain reaches it from the lowest non-zero level.
    levelsKbps: [0, 50_000, 150_000, 300_000, 600_000, 1_000_000, 1_500_000],
    stayProbability: 0.8,
    noiseSd: 0.2,
  },
  wifi: { generator: 'random-walk', startKbps: 20_000, logSd: 0.05, minKbps: 5000, maxKbps: 60_000 },
  fluctuating: { generator: 'genet', minKbps: 300, maxKbps: 6000, changeIntervalMs: 2000, rttMs: 80 },
  outage: {
    generator: 'gilbert-elliott',
    goodKbps: 3000,
    badKbps: 0,
    stepMs: 1000,
    pGoodToBad: 0.03,
    pBadToGood: 0.3,
  },
};
