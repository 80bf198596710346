/**
 * The reference design's ABR controller (reference/streaming-architecture.md §2.2, `ABRController`), every rule
 * a parameter whose default is the reference constant:
 *
 * 1. Safety margin: only `safetyFactor` (0.85) of the throughput estimate is spent.
 * 2. Buffer bands: below `panicBufferMs` (5 s) the lowest rung ("PANIC"); below `conservativeBufferMs` (10 s)
 *    `conservativeStepDown` (1) rung below the best that fits ("CONSERVATIVE"); otherwise the best that fits.
 * 3. Device capability: never above `ctx.maxIndex` (device caps and §5.3 degradations, e.g. "Slow Device →
 *    limit to 1080p", arrive through it).
 * 4. Hysteresis, exactly `should_switch_quality`: switch when the target is at least `bigStepLevels` (2) rungs
 *    below or above the current quality, or when MORE than `minSwitchIntervalMs` (10 s) have passed since the
 *    last switch (the sketch's `time_since_last_switch() > 10`, strict); before any switch the interval rule
 *    allows it. Note that the panic band is subject to hysteresis too, as in the reference: one rung above the
 *    lowest, within 10 s of a switch, the controller holds.
 *
 * Choices the sketch leaves open, made here:
 * - Start-up: the sketch starts at "720p_medium" (2000 kbps) and its estimator reads 0 before any download. We
 *   keep the initial quality until the first throughput estimate (`startupBitrateKbps`: the highest rung at or
 *   below it, the lowest if none) rather than spending an estimate of 0.
 * - State: the controller owns its current quality and its last switch time (the sketch's `current_quality`),
 *   measured on `ctx.nowMs`. It does not read `ctx.lastIndex` or `ctx.lastSwitchMs`, so it is correct whatever
 *   the player records. Setting the initial quality is not a switch.
 * - Device cap over hysteresis: if the current quality is above `ctx.maxIndex` (the cap dropped), the controller
 *   moves to the capped target at once (`cap:device`) — holding would play a rung the device cannot.
 *
 * Rule maths are pure exported functions (`bestFit`, `conservative`, `shouldSwitch`, `selectTarget`), apart
 * from the stateful policy (STYLE.md: dash.js habit).
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { msToS } from '../core/units.js';
import type { Representation } from '../origin/catalog.js';
import type { AbrContext, AbrDecision, AbrPolicy } from './types.js';

export const referenceAbrParamsSchema = z
  .object({
    safetyFactor: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.85)
      .describe('Fraction of the throughput estimate a rung may use (reference §2.2: 85 %)'),
    panicBufferMs: z
      .number()
      .nonnegative()
      .default(5000)
      .describe('Below this buffer level, ms, play the lowest rung (reference §2.2 PANIC: < 5 s)'),
    conservativeBufferMs: z
      .number()
      .nonnegative()
      .default(10_000)
      .describe('Below this buffer level, ms, play below the best fit (reference §2.2 CONSERVATIVE: < 10 s)'),
    conservativeStepDown: z
      .number()
      .int()
      .nonnegative()
      .default(1)
      .describe('Rungs below the best fit in the conservative band (reference §2.2: one level below)'),
    bigStepLevels: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe('A target this many rungs away or more switches at once, hysteresis or not (reference §2.2: 2+ levels)'),
    minSwitchIntervalMs: z
      .number()
      .nonnegative()
      .default(10_000)
      .describe('Smaller moves wait until more than this, ms, has passed since the last switch (reference §2.2: 10 s)'),
    startupBitrateKbps: z
      .number()
      .nonnegative()
      .default(2000)
      .describe('Initial quality, kbps: highest rung at or below it until the first estimate (reference §2.2: 720p_medium)'),
  })
  .strict()
  .refine((p) => p.conservativeBufferMs >= p.panicBufferMs, {
    message: 'conservativeBufferMs must be at least panicBufferMs (the conservative band lies above the panic band)',
    path: ['conservativeBufferMs'],
  });

export type ReferenceAbrParams = z.output<typeof referenceAbrParamsSchema>;
export type ReferenceAbrParamsInput = z.input<typeof referenceAbrParamsSchema>;

/** Validates policy params; errors name the field (`policy.reference.<field>`) and the value's problem. */
export function parseReferenceAbrParams(input: unknown = {}): ReferenceAbrParams {
  const parsed = referenceAbrParamsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError(issue?.message ?? 'invalid policy params', { field: `policy.reference${path ? `.${path}` : ''}` });
  }
  return parsed.data;
}

/** Highest rung whose bitrate is at or below `bandwidthKbps`; the lowest (0) if none fits (`get_best_profile`). */
export function bestFit(input: { representations: readonly Representation[]; bandwidthKbps: number }): number {
  const reps = input.representations;
  for (let i = reps.length - 1; i >= 0; i--) {
    if ((reps[i] as Representation).bitrateKbps <= input.bandwidthKbps) return i;
  }
  return 0;
}

/** `stepDown` rungs below the best fit, never below the lowest (`get_conservative_profile`, stepDown 1). */
export function conservative(input: {
  representations: readonly Representation[];
  bandwidthKbps: number;
  stepDown: number;
}): number {
  return Math.max(0, bestFit(input) - input.stepDown);
}

export type SwitchRule = 'big-drop' | 'big-raise' | 'interval' | 'hold';

/** `should_switch_quality`: whether the controller may move from `currentIndex` to `targetIndex`, and which rule said so. */
export function shouldSwitch(input: {
  currentIndex: number;
  targetIndex: number;
  nowMs: number;
  /** -Infinity when there has been no switch yet. */
  lastSwitchMs: number;
  bigStepLevels: number;
  minSwitchIntervalMs: number;
}): { allowed: boolean; rule: SwitchRule } {
  if (input.targetIndex <= input.currentIndex - input.bigStepLevels) return { allowed: true, rule: 'big-drop' };
  if (input.targetIndex >= input.currentIndex + input.bigStepLevels) return { allowed: true, rule: 'big-raise' };
  if (input.nowMs - input.lastSwitchMs > input.minSwitchIntervalMs) return { allowed: true, rule: 'interval' };
  return { allowed: false, rule: 'hold' };
}

/** Highest rung at or below `bitrateKbps`, the lowest if none (the start-up quality). */
export function rungAtOrBelow(representations: readonly Representation[], bitrateKbps: number): number {
  return bestFit({ representations, bandwidthKbps: bitrateKbps });
}

/** Buffer band reasons, e.g. `panic:buffer<5s` with the default threshold. */
export function panicReason(params: ReferenceAbrParams): string {
  return `panic:buffer<${msToS(params.panicBufferMs)}s`;
}

/**
 * The target of one decision before hysteresis (`select_quality` up to the device check): buffer band, safety
 * margin, then the device cap. `reason` names the rule that fixed the index.
 */
export function selectTarget(input: {
  representations: readonly Representation[];
  throughputKbps: number;
  bufferMs: number;
  /** Highest playable rung, already clamped to the ladder. */
  maxIndex: number;
  params: ReferenceAbrParams;
}): { index: number; reason: string } {
  const { representations, params } = input;
  const safeKbps = input.throughputKbps * params.safetyFactor;
  let index: number;
  let reason: string;
  if (input.bufferMs < params.panicBufferMs) {
    index = 0;
    reason = panicReason(params);
  } else if (input.bufferMs < params.conservativeBufferMs) {
    index = conservative({ representations, bandwidthKbps: safeKbps, stepDown: params.conservativeStepDown });
    reason = 'conservative';
  } else {
    index = bestFit({ representations, bandwidthKbps: safeKbps });
    reason = 'best-fit';
  }
  if (index > input.maxIndex) {
    index = input.maxIndex;
    reason = 'cap:device';
  }
  return { index, reason };
}

/** Stateful reference controller: one instance per session. */
export class ReferenceAbr implements AbrPolicy {
  readonly name = 'reference';
  readonly params: ReferenceAbrParams;
  /** The sketch's `current_quality`: index into the ladder, or -1 before the first decision. */
  private currentIndex = -1;
  /** Clock time of the last switch, ms; -Infinity before any switch. */
  private lastSwitchMs = Number.NEGATIVE_INFINITY;
  /** Whether a throughput estimate has ever been seen (start-up vs. a later estimator reset). */
  private sawEstimate = false;

  /** `params` are validated here (scenario and CLI params arrive untyped). */
  constructor(params: ReferenceAbrParamsInput | Readonly<Record<string, unknown>> = {}) {
    this.params = parseReferenceAbrParams(params);
  }

  /** Current quality (-1 before the first decision), for tests and telemetry. */
  get current(): number {
    return this.currentIndex;
  }

  /** Clock time of the last switch, ms (-Infinity if none). */
  get lastSwitchAtMs(): number {
    return this.lastSwitchMs;
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    const reps = ctx.catalog.representations;
    const topIndex = Math.max(0, Math.min(ctx.maxIndex, reps.length - 1));

    let startCapped = false;
    if (this.currentIndex < 0) {
      // Initial quality (the sketch's "720p_medium"); setting it is not a switch.
      const startIndex = rungAtOrBelow(reps, this.params.startupBitrateKbps);
      startCapped = startIndex > topIndex;
      this.currentIndex = Math.min(startIndex, topIndex);
    }

    if (!this.hasEstimate(ctx)) {
      if (this.currentIndex > topIndex) return { index: this.moveTo(topIndex, ctx.nowMs), reason: 'cap:device' };
      if (startCapped) return { index: this.currentIndex, reason: 'cap:device' };
      return { index: this.currentIndex, reason: this.sawEstimate ? 'hold:no-estimate' : 'startup:no-estimate' };
    }
    this.sawEstimate = true;

    const target = selectTarget({
      representations: reps,
      throughputKbps: ctx.throughputKbps as number,
      bufferMs: ctx.bufferMs,
      maxIndex: topIndex,
      params: this.params,
    });
    if (this.currentIndex > topIndex) return { index: this.moveTo(target.index, ctx.nowMs), reason: 'cap:device' };
    if (target.index === this.currentIndex) return { index: this.currentIndex, reason: target.reason };

    const verdict = shouldSwitch({
      currentIndex: this.currentIndex,
      targetIndex: target.index,
      nowMs: ctx.nowMs,
      lastSwitchMs: this.lastSwitchMs,
      bigStepLevels: this.params.bigStepLevels,
      minSwitchIntervalMs: this.params.minSwitchIntervalMs,
    });
    if (!verdict.allowed) return { index: this.currentIndex, reason: 'hold:hysteresis' };
    return { index: this.moveTo(target.index, ctx.nowMs), reason: target.reason };
  }

  private hasEstimate(ctx: AbrContext): boolean {
    // NaN and negative estimates are treated as "no estimate" rather than steering the ladder.
    return ctx.throughputKbps !== undefined && ctx.throughputKbps >= 0 && Number.isFinite(ctx.throughputKbps);
  }

  private moveTo(index: number, nowMs: number): number {
    if (index !== this.currentIndex) {
      this.currentIndex = index;
      this.lastSwitchMs = nowMs;
    }
    return index;
  }
}

export function createReferenceAbr(params: ReferenceAbrParamsInput | Readonly<Record<string, unknown>> = {}): ReferenceAbr {
  return new ReferenceAbr(params);
}
