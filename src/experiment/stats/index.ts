/** Statistics of the A/B analysis and the CI gate: pure functions, randomness only from an injected `Rng`. */
export { mean, sampleVariance, sampleSd, midRanks, quantileSorted } from './descriptive.js';
export { normalCdf, studentTCdf, studentTSurvival, studentTQuantile, incompleteBeta, lnGamma } from '../../stats/distributions.js';
export { bootstrapMeanInterval, bootstrapMeanDiffInterval, type BootstrapInterval, type BootstrapOptions } from './bootstrap.js';
export { wilcoxonSignedRank, signedRankCdf, mannWhitneyU, SIGNED_RANK_EXACT_MAX_N, type SignedRankResult, type MannWhitneyResult } from './rank-tests.js';
export { pairedPermutationTest, type PermutationResult } from './permutation.js';
export { welchT, welchTFromMoments, welchLowerBound, momentsOf, type SampleMoments, type WelchResult } from './welch.js';
export { cohensDz, hedgesG } from './effect-size.js';
export { holmAdjust } from './holm.js';
