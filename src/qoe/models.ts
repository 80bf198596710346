/**
 * QoE models: pure functions of `SessionMetrics` (DESIGN.md: `QoeModel.score(sessionMetrics) → number`).
 *
 * - `referenceQoe`: the composite 0–100 score of reference/streaming-architecture.md §4.3, term by term as written.
 * - `pensieveLin`, `pensieveLog`, `pensieveHd`: the QoE metrics of Mao et al., "Neural Adaptive Video Streaming
 *   with Pensieve", SIGCOMM 2017, §5.1, summed over played chunks n = 1..N:
 *     Σ q(R_n) − μ Σ T_n − Σ_{n≥2} |q(R_n) − q(R_{n−1})|
 *   with T_n the rebuffer charged to chunk n in seconds and q, μ per variant. The per-chunk form and the
 *   constants follow the authors' simulator (shared/conformance/pensieve/MODEL.md, "QoE / reward"): rates in Mbps
 *   (kbps / 1000), smoothness weight 1, no smoothness term on the first chunk.
 *
 * Rebuffer time per chunk is taken as given in `playedRebufferMs`; these functions add no start-up term (Pensieve's
 * own env charges the first chunk's whole download as rebuffer; a session that wants that puts it there).
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { kbpsToMbps, msToS } from '../core/units.js';
import type { QoeScores, SessionMetrics } from './types.js';

/** A named QoE model (DESIGN.md "Interfaces"). */
export interface QoeModel {
  readonly name: keyof QoeScores;
  score(metrics: SessionMetrics): number;
}

// ---------------------------------------------------------------------------------------------------------------
// Reference composite (§4.3)

export const referenceQoeParamsSchema = z
  .object({
    startupMsPerPoint: z.number().positive().default(30).describe('Startup ms costing one point (§4.3: startup_time / 30)'),
    startupWeight: z.number().nonnegative().default(0.2).describe('Weight of the startup term (§4.3: 20 %)'),
    rebufferRatioPoints: z
      .number()
      .nonnegative()
      .default(1000)
      .describe('Points lost per unit of rebuffer ratio (§4.3: rebuffering_ratio * 1000, ratio as a fraction)'),
    rebufferRatioWeight: z.number().nonnegative().default(0.3).describe('Weight of the rebuffer-ratio term (§4.3: 30 %)'),
    rebufferCountPoints: z.number().nonnegative().default(10).describe('Points lost per stall (§4.3: rebuffering_count * 10)'),
    rebufferCountWeight: z.number().nonnegative().default(0.2).describe('Weight of the stall-count term (§4.3: 20 %)'),
    bitrateKbpsPerPoint: z.number().positive().default(250).describe('Average kbps earning one point (§4.3: average_bitrate / 250)'),
    bitrateWeight: z.number().nonnegative().default(0.2).describe('Weight of the bitrate term (§4.3: 20 %)'),
    switchPoints: z.number().nonnegative().default(5).describe('Points lost per quality switch (§4.3: bitrate_switches * 5)'),
    switchWeight: z.number().nonnegative().default(0.1).describe('Weight of the switch term (§4.3: 10 %)'),
  })
  .strict();

export type ReferenceQoeParams = z.output<typeof referenceQoeParamsSchema>;
export type ReferenceQoeParamsInput = z.input<typeof referenceQoeParamsSchema>;

/**
 * §4.3's `rebuffering_ratio = total_rebuffer_time / play_duration`, as a fraction. `play_duration` is the media
 * time played (`playMs`); with nothing played the ratio is 1 if the session stalled at all, else 0 (a session
 * that only stalled is as bad as the formula can express, and 0/0 must not turn into NaN).
 */
export function rebufferRatio(m: Pick<SessionMetrics, 'rebufferMs' | 'playMs'>): number {
  if (m.playMs > 0) return m.rebufferMs / m.playMs;
  return m.rebufferMs > 0 ? 1 : 0;
}

/**
 * The reference composite, exactly as §4.3 writes it:
 *   (100 − min(startup/30, 100))·0.2 + (100 − ratio·1000)·0.3 + (100 − min(count·10, 100))·0.2
 *   + (bitrate/250)·0.2 + (100 − min(switches·5, 100))·0.1, clamped to [0, 100].
 * As written, the rebuffer term has no inner clamp (it goes negative above a 10 % ratio) and the bitrate term has
 * no cap (25 Mbps earns 20 points); only the total is clamped.
 */
export function referenceQoe(m: SessionMetrics, params: ReferenceQoeParamsInput = {}): number {
  const p = parseParams(referenceQoeParamsSchema, params, 'qoe.reference');
  const startup = (100 - Math.min(m.startupMs / p.startupMsPerPoint, 100)) * p.startupWeight;
  const rebuffer = (100 - rebufferRatio(m) * p.rebufferRatioPoints) * p.rebufferRatioWeight;
  const count = (100 - Math.min(m.rebufferCount * p.rebufferCountPoints, 100)) * p.rebufferCountWeight;
  const bitrate = (m.avgBitrateKbps / p.bitrateKbpsPerPoint) * p.bitrateWeight;
  const switches = (100 - Math.min(m.switchCount * p.switchPoints, 100)) * p.switchWeight;
  return Math.max(0, Math.min(100, startup + rebuffer + count + bitrate + switches));
}

// ---------------------------------------------------------------------------------------------------------------
// Pensieve (Mao et al. 2017, §5.1)

/** Pensieve's ladder, kbps, and QoE_hd's value per rung (MODEL.md: quality values [1, 2, 3, 12, 15, 20]). */
export const PENSIEVE_LADDER_KBPS: readonly number[] = [300, 750, 1200, 1850, 2850, 4300];
export const PENSIEVE_HD_VALUES: readonly number[] = [1, 2, 3, 12, 15, 20];

export const pensieveQoeParamsSchema = z
  .object({
    linRebufferPenaltyPerS: z
      .number()
      .nonnegative()
      .optional()
      .describe('QoE_lin μ per rebuffer second (default: top rung in Mbps, 4.3 on Pensieve\'s ladder)'),
    logRebufferPenaltyPerS: z.number().nonnegative().default(2.66).describe('QoE_log μ per rebuffer second (Pensieve §5.1: 2.66)'),
    hdRebufferPenaltyPerS: z.number().nonnegative().default(8).describe('QoE_hd μ per rebuffer second (Pensieve §5.1: 8)'),
    smoothPenalty: z.number().nonnegative().default(1).describe('Weight of |Δq| between consecutive chunks (Pensieve: 1)'),
  })
  .strict();

export type PensieveQoeParams = z.output<typeof pensieveQoeParamsSchema>;
export type PensieveQoeParamsInput = z.input<typeof pensieveQoeParamsSchema>;

/** Σ q_n − μ Σ T_n − w Σ_{n≥2} |q_n − q_{n−1}|, with q given per chunk. Pure; the shared core of the three. */
export function chunkQoeSum(input: {
  quality: readonly number[];
  rebufferMs: readonly number[];
  rebufferPenaltyPerS: number;
  smoothPenalty: number;
}): number {
  const { quality, rebufferMs } = input;
  if (quality.length !== rebufferMs.length) {
    throw new InputError(
      `${quality.length} played bitrates but ${rebufferMs.length} rebuffer values; give one of each per played segment`,
      { field: 'playedRebufferMs' },
    );
  }
  let total = 0;
  for (let n = 0; n < quality.length; n++) {
    const q = quality[n] as number;
    total += q - input.rebufferPenaltyPerS * msToS(rebufferMs[n] as number);
    if (n > 0) total -= input.smoothPenalty * Math.abs(q - (quality[n - 1] as number));
  }
  return total;
}

/** QoE_lin: q(R) = R in Mbps; μ = top rung in Mbps (4.3 on Pensieve's ladder: a stall second costs the best chunk). */
export function pensieveLin(m: SessionMetrics, params: PensieveQoeParamsInput = {}): number {
  const p = parseParams(pensieveQoeParamsSchema, params, 'qoe.pensieve');
  const topKbps = requireLadder(m)[m.ladderKbps.length - 1] as number;
  return chunkQoeSum({
    quality: m.playedBitratesKbps.map(kbpsToMbps),
    rebufferMs: m.playedRebufferMs,
    rebufferPenaltyPerS: p.linRebufferPenaltyPerS ?? kbpsToMbps(topKbps),
    smoothPenalty: p.smoothPenalty,
  });
}

/** QoE_log: q(R) = ln(R / R_min), R_min the lowest rung; μ = 2.66. */
export function pensieveLog(m: SessionMetrics, params: PensieveQoeParamsInput = {}): number {
  const p = parseParams(pensieveQoeParamsSchema, params, 'qoe.pensieve');
  const minKbps = requireLadder(m)[0] as number;
  return chunkQoeSum({
    quality: m.playedBitratesKbps.map((kbps) => Math.log(kbps / minKbps)),
    rebufferMs: m.playedRebufferMs,
    rebufferPenaltyPerS: p.logRebufferPenaltyPerS,
    smoothPenalty: p.smoothPenalty,
  });
}

/**
 * QoE_hd's value of a played bitrate. Pensieve defines it on its own 6-rung ladder (300→1, 750→2, 1200→3,
 * 1850→12, 2850→15, 4300→20). Generalisation (our choice): on any 6-rung ladder, by rank (rung i gets the i-th
 * value), so the "HD jump" stays between the 3rd and 4th rung; on other ladders, linear interpolation of the map
 * by bitrate, clamped to 1 below 300 kbps and 20 above 4300 kbps (so every rung above 4.3 Mbps is worth 20).
 */
export function hdValue(bitrateKbps: number, ladderKbps: readonly number[]): number {
  if (ladderKbps.length === PENSIEVE_HD_VALUES.length) {
    const rank = ladderKbps.indexOf(bitrateKbps);
    if (rank < 0) {
      throw new InputError(`played bitrate ${bitrateKbps} kbps is not a rung of the ladder [${ladderKbps.join(', ')}]`, {
        field: 'playedBitratesKbps',
      });
    }
    return PENSIEVE_HD_VALUES[rank] as number;
  }
  return interpolateHd(bitrateKbps);
}

/** Piecewise-linear interpolation of Pensieve's HD map by bitrate, clamped at both ends. */
export function interpolateHd(bitrateKbps: number): number {
  const xs = PENSIEVE_LADDER_KBPS;
  const ys = PENSIEVE_HD_VALUES;
  if (bitrateKbps <= (xs[0] as number)) return ys[0] as number;
  for (let i = 1; i < xs.length; i++) {
    const x1 = xs[i] as number;
    if (bitrateKbps <= x1) {
      const x0 = xs[i - 1] as number;
      const y0 = ys[i - 1] as number;
      return y0 + ((bitrateKbps - x0) / (x1 - x0)) * ((ys[i] as number) - y0);
    }
  }
  return ys[ys.length - 1] as number;
}

/** QoE_hd: q(R) = HD value (see `hdValue`), μ = 8, smoothness on the mapped values. */
export function pensieveHd(m: SessionMetrics, params: PensieveQoeParamsInput = {}): number {
  const p = parseParams(pensieveQoeParamsSchema, params, 'qoe.pensieve');
  requireLadder(m);
  return chunkQoeSum({
    quality: m.playedBitratesKbps.map((kbps) => hdValue(kbps, m.ladderKbps)),
    rebufferMs: m.playedRebufferMs,
    rebufferPenaltyPerS: p.hdRebufferPenaltyPerS,
    smoothPenalty: p.smoothPenalty,
  });
}

// ---------------------------------------------------------------------------------------------------------------

export interface QoeParamsInput {
  reference?: ReferenceQoeParamsInput;
  pensieve?: PensieveQoeParamsInput;
}

/** Every built-in score of one session (the `summary.qoe` object of the `--json` contract). */
export function scoreAll(metrics: SessionMetrics, params: QoeParamsInput = {}): QoeScores {
  // Other codecs: score the H.264-equivalent quality of what played, not its bitrate (reference §7.2).
  const q = metrics.quality;
  const m = q === undefined ? metrics : { ...metrics, avgBitrateKbps: q.avgKbps, playedBitratesKbps: q.playedKbps, ladderKbps: q.ladderKbps };
  const pensieve = params.pensieve ?? {};
  return {
    reference: referenceQoe(m, params.reference ?? {}),
    lin: pensieveLin(m, pensieve),
    log: pensieveLog(m, pensieve),
    hd: pensieveHd(m, pensieve),
  };
}

/** The built-in models with default parameters, as `QoeModel`s. */
export const QOE_MODELS: readonly QoeModel[] = Object.freeze([
  { name: 'reference', score: (m: SessionMetrics) => referenceQoe(m) },
  { name: 'lin', score: (m: SessionMetrics) => pensieveLin(m) },
  { name: 'log', score: (m: SessionMetrics) => pensieveLog(m) },
  { name: 'hd', score: (m: SessionMetrics) => pensieveHd(m) },
]);

function requireLadder(m: SessionMetrics): readonly number[] {
  if (m.ladderKbps.length === 0 || !((m.ladderKbps[0] as number) > 0)) {
    throw new InputError('the ladder must have at least one rung with a positive bitrate', { field: 'ladderKbps' });
  }
  return m.ladderKbps;
}

function parseParams<S extends z.ZodType>(schema: S, input: unknown, field: string): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError(issue?.message ?? 'invalid QoE params', { field: `${field}${path ? `.${path}` : ''}` });
  }
  return parsed.data;
}
