/**
 * Buffer-based adaptation: Huang, Johari, McKeown, Trunnell, Watson, "A Buffer-Based Approach to Rate
 * Adaptation: Evidence from a Large Video Streaming Service", SIGCOMM 2014 (BBA-0, Algorithm 1).
 *
 * The buffer level alone picks the rate: below the reservoir the lowest rung, above reservoir + cushion the
 * highest, and in between a linear map. Two maps are offered (`map`):
 * - `rate`: BBA-0 as published. f(B) rises linearly from R_min at the reservoir to R_max at reservoir + cushion;
 *   the rate changes only when f(B) crosses the next rung above the current one (then the highest rung strictly
 *   below f(B)) or the next rung below it (then the lowest rung strictly above f(B)). This is the paper's
 *   hysteresis; `bba` uses it.
 * - `index`: Pensieve's `test/bb.py` (Mao et al., SIGCOMM 2017), the `bb` baseline: the floor of a linear map from
 *   buffer to the quality INDEX, `int((levels − 1) · (B − reservoir) / cushion)`, stateless, reservoir 5 s,
 *   cushion 10 s (bb.py's `RESEVOIR = 5`, `CUSHION = 10`). The arithmetic is done in seconds in bb.py's order so
 *   the pensieve profile reproduces its logs bit for bit (`B = bufferMs / 1000` is what fixed_env hands bb.py).
 *
 * Both read `ctx.bufferMs` (the buffer after the last download) and never exceed `ctx.maxIndex`.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { msToS } from '../core/units.js';
import type { Representation } from '../origin/catalog.js';
import type { AbrContext, AbrDecision, AbrPolicy } from './types.js';

export const bbaParamsSchema = z
  .object({
    reservoirMs: z
      .number()
      .nonnegative()
      .default(5000)
      .describe('Below this buffer, ms, play the lowest rung (Pensieve bb.py: 5 s; the paper sizes it per session)'),
    cushionMs: z
      .number()
      .positive()
      .default(10_000)
      .describe('Buffer span, ms, of the linear map above the reservoir (Pensieve bb.py: 10 s)'),
    map: z
      .enum(['rate', 'index'])
      .default('rate')
      .describe('`rate`: BBA-0 rate map with hysteresis (Huang et al. 2014); `index`: floor of a map to the rung index (Pensieve bb.py)'),
  })
  .strict();

export type BbaParams = z.output<typeof bbaParamsSchema>;
export type BbaParamsInput = z.input<typeof bbaParamsSchema>;

/** Pensieve's `bb` baseline (test/bb.py): BBA with reservoir 5 s, cushion 10 s and the index map. */
export const PENSIEVE_BB_PARAMS: BbaParamsInput = Object.freeze({ reservoirMs: 5000, cushionMs: 10_000, map: 'index' });

export function parseBbaParams(input: unknown, policyName: string): BbaParams {
  const parsed = bbaParamsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError(issue?.message ?? 'invalid policy params', { field: `policy.${policyName}${path ? `.${path}` : ''}` });
  }
  return parsed.data;
}

/**
 * Pensieve bb.py's map: 0 below the reservoir, `levels − 1` at or above reservoir + cushion, else
 * `int((levels − 1) · (B − r) / cu)` with B, r, cu in seconds, evaluated in bb.py's order.
 */
export function bbIndexMap(input: { bufferMs: number; reservoirMs: number; cushionMs: number; levels: number }): number {
  const bufferS = msToS(input.bufferMs);
  const reservoirS = msToS(input.reservoirMs);
  const cushionS = msToS(input.cushionMs);
  if (bufferS < reservoirS) return 0;
  if (bufferS >= reservoirS + cushionS) return input.levels - 1;
  return Math.trunc(((input.levels - 1) * (bufferS - reservoirS)) / cushionS);
}

/** BBA-0's f(B), kbps: R_min at the reservoir rising linearly to R_max at reservoir + cushion. */
export function bbaRateMapKbps(input: { bufferMs: number; reservoirMs: number; cushionMs: number; minKbps: number; maxKbps: number }): number {
  const x = (input.bufferMs - input.reservoirMs) / input.cushionMs;
  return input.minKbps + (input.maxKbps - input.minKbps) * Math.min(1, Math.max(0, x));
}

/**
 * BBA-0, Algorithm 1 of Huang et al. on rungs `reps[0..top]`. `prevIndex` is the rate of the previous chunk
 * (-1 before the first: treated as the lowest rung).
 */
export function bba0Index(input: {
  reps: readonly Representation[];
  top: number;
  prevIndex: number;
  bufferMs: number;
  reservoirMs: number;
  cushionMs: number;
}): { index: number; reason: string } {
  const { reps, top } = input;
  const prev = Math.min(Math.max(input.prevIndex, 0), top);
  if (input.bufferMs <= input.reservoirMs) return { index: 0, reason: 'bba:reservoir' };
  if (input.bufferMs >= input.reservoirMs + input.cushionMs) return { index: top, reason: 'bba:upper-reservoir' };
  const f = bbaRateMapKbps({
    bufferMs: input.bufferMs,
    reservoirMs: input.reservoirMs,
    cushionMs: input.cushionMs,
    minKbps: (reps[0] as Representation).bitrateKbps,
    maxKbps: (reps[top] as Representation).bitrateKbps,
  });
  const rateOf = (i: number): number => (reps[i] as Representation).bitrateKbps;
  const plus = prev === top ? rateOf(top) : rateOf(prev + 1);
  const minus = prev === 0 ? rateOf(0) : rateOf(prev - 1);
  if (f >= plus) {
    // Highest rung strictly below f(B) (at least the lowest).
    let i = top;
    while (i > 0 && rateOf(i) >= f) i--;
    return { index: i, reason: 'bba:up' };
  }
  if (f <= minus) {
    // Lowest rung strictly above f(B) (at most the highest).
    let i = 0;
    while (i < top && rateOf(i) <= f) i++;
    return { index: i, reason: 'bba:down' };
  }
  return { index: prev, reason: 'bba:hold' };
}

/** BBA as an AbrPolicy: stateless apart from the previous rate, which it reads from `ctx.lastIndex`. */
export class BbaPolicy implements AbrPolicy {
  readonly params: BbaParams;

  constructor(
    readonly name: string,
    params: BbaParamsInput | Readonly<Record<string, unknown>> = {},
  ) {
    this.params = parseBbaParams(params, name);
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    const reps = ctx.catalog.representations;
    const levels = reps.length;
    const top = Math.max(0, Math.min(ctx.maxIndex, levels - 1));
    const p = this.params;
    if (p.map === 'index') {
      const index = bbIndexMap({ bufferMs: ctx.bufferMs, reservoirMs: p.reservoirMs, cushionMs: p.cushionMs, levels });
      if (index > top) return { index: top, reason: 'cap:device' };
      // Constant reasons: no string building on the per-segment path.
      const reason =
        ctx.bufferMs < p.reservoirMs ? 'bb:reservoir' : ctx.bufferMs >= p.reservoirMs + p.cushionMs ? 'bb:top' : 'bb:linear';
      return { index, reason };
    }
    return bba0Index({ reps, top, prevIndex: ctx.lastIndex, bufferMs: ctx.bufferMs, reservoirMs: p.reservoirMs, cushionMs: p.cushionMs });
  }
}

/** `bba`: BBA-0 with the rate map (defaults reservoir 5 s, cushion 10 s: the reference profile's buffer bands). */
export function createBba(params: BbaParamsInput | Readonly<Record<string, unknown>> = {}): BbaPolicy {
  return new BbaPolicy('bba', params);
}

/** `bb`: Pensieve's buffer-based baseline (test/bb.py constants); params override them. */
export function createPensieveBb(params: BbaParamsInput | Readonly<Record<string, unknown>> = {}): BbaPolicy {
  return new BbaPolicy('bb', { ...PENSIEVE_BB_PARAMS, ...params });
}
