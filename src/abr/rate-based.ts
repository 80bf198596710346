/**
 * Rate-based adaptation, Pensieve's "RB" baseline (Mao et al., SIGCOMM 2017, baselines: "predicts throughput using
 * the harmonic mean of the experienced throughput for the past 5 chunk downloads, then selects the highest
 * available bitrate that is below the predicted throughput"). The harmonic mean is the predictor of Yin et al.,
 * SIGCOMM 2015 (robust to outliers: one fast sample barely moves it).
 *
 * A sample is `bytes · 8 / elapsedMs` kbps over request-to-last-byte, latency included, like Pensieve's
 * `size / delay` (its delay holds the 80 ms RTT). The estimate is multiplied by `safetyFactor` (Pensieve's RB in
 * its dash.js player uses p_rb = 1, our default) and the highest rung at or below it is played, never above
 * `ctx.maxIndex`. Before any sample: `startIndex`.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { rateKbps } from '../core/units.js';
import type { Representation } from '../origin/catalog.js';
import { elapsedOf } from './mpc.js';
import type { AbrContext, AbrDecision, AbrPolicy, DownloadRecord } from './types.js';

export const rateBasedParamsSchema = z
  .object({
    window: z.number().int().min(1).default(5).describe('Past downloads in the harmonic mean (Pensieve RB: 5)'),
    safetyFactor: z.number().gt(0).lte(1).default(1).describe('Fraction of the estimate a rung may use (Pensieve RB p_rb: 1)'),
    startIndex: z.number().int().min(0).default(0).describe('Rung before any throughput sample'),
  })
  .strict();

export type RateBasedParams = z.output<typeof rateBasedParamsSchema>;
export type RateBasedParamsInput = z.input<typeof rateBasedParamsSchema>;

/**
 * Harmonic mean, kbps, of the last `window` downloads' throughput (n / Σ 1/x_i), skipping records without bytes
 * or time; undefined when none is usable.
 */
export function harmonicMeanKbps(history: readonly DownloadRecord[], window: number): number | undefined {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, history.length - window); i < history.length; i++) {
    const r = history[i] as DownloadRecord;
    const ms = elapsedOf(r);
    if (!(r.bytes > 0) || !(ms > 0)) continue;
    sum += 1 / rateKbps(r.bytes, ms);
    n++;
  }
  return n === 0 ? undefined : n / sum;
}

/** Highest rung of `reps[0..top]` at or below `kbps`, the lowest if none fits. */
export function highestAtOrBelow(reps: readonly Representation[], top: number, kbps: number): number {
  for (let i = top; i > 0; i--) if ((reps[i] as Representation).bitrateKbps <= kbps) return i;
  return 0;
}

export class RateBasedPolicy implements AbrPolicy {
  readonly name = 'rate-based';
  readonly params: RateBasedParams;

  constructor(params: RateBasedParamsInput | Readonly<Record<string, unknown>> = {}) {
    const parsed = rateBasedParamsSchema.safeParse(params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String).join('.') ?? '';
      throw new InputError(issue?.message ?? 'invalid policy params', { field: `policy.rate-based${path ? `.${path}` : ''}` });
    }
    this.params = parsed.data;
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    const reps = ctx.catalog.representations;
    const top = Math.max(0, Math.min(ctx.maxIndex, reps.length - 1));
    const estimate = harmonicMeanKbps(ctx.history, this.params.window);
    if (estimate === undefined) return { index: Math.min(this.params.startIndex, top), reason: 'rb:no-sample' };
    return { index: highestAtOrBelow(reps, top, estimate * this.params.safetyFactor), reason: 'rb:harmonic' };
  }
}

export function createRateBased(params: RateBasedParamsInput | Readonly<Record<string, unknown>> = {}): RateBasedPolicy {
  return new RateBasedPolicy(params);
}
