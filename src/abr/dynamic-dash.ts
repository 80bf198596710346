/**
 * `dynamicdash`: BOLA-E and the throughput rule with buffer hysteresis, Sabre's `DynamicDash` class
 * (UMass-LIDS/sabre src/sabre.py), the combination the MMSys 2018 paper proposed for dash.js (Spiteri,
 * Sitaraman, Sparacio, §5).
 *
 * One rule: in throughput mode switch to BOLA-E once the level exceeds 10 s; in BOLA-E mode switch back below 5 s.
 * Only the active rule is asked (so BOLA-E stays in its startup state until its first turn, and that first
 * choice is throughput-based); buffer-full waits and download reports reach both; abandonment follows the
 * active rule; seeks are not forwarded. Sabre computes thresholds from the buffer size and then overwrites them
 * with 5 s / 10 s; these are the defaults here.
 */
import { z } from 'zod';
import { BolaePolicy, bolaeParamsSchema } from './bolae.js';
import type { AbandonQuiet, AbandonQuietSource } from './abandon-shortcuts.js';
import { ThroughputPolicy, parsePolicyParams, throughputParamsSchema } from './throughput.js';
import type { AbandonDecision, AbrContext, AbrDecision, AbrPolicy, DownloadProgress, DownloadRecord } from './types.js';

export const dynamicDashParamsSchema = bolaeParamsSchema
  .extend(throughputParamsSchema.shape)
  .extend({
    // `insufficientBufferRule` and `ibrSafety*` are shared by both rules, as Sabre's single -noibr flag is.
    lowBufferMs: z.number().nonnegative().default(5_000).describe('Leave BOLA-E below this level, ms (Sabre 5 s)'),
    highBufferMs: z.number().nonnegative().default(10_000).describe('Enter BOLA-E above this level, ms (Sabre 10 s)'),
  })
  .strict()
  .refine((p) => p.lowBufferMs <= p.highBufferMs, { message: 'lowBufferMs must not exceed highBufferMs', path: ['lowBufferMs'] });

export type DynamicDashParams = z.input<typeof dynamicDashParamsSchema>;

/** The hysteresis as a pure function: whether BOLA-E is in charge for the decision at `levelMs`. */
export function dynamicDashUseBola(p: { usingBola: boolean; levelMs: number; lowBufferMs: number; highBufferMs: number }): boolean {
  if (p.usingBola) return !(p.levelMs < p.lowBufferMs);
  return p.levelMs > p.highBufferMs;
}

export class DynamicDashPolicy implements AbrPolicy, AbandonQuietSource {
  readonly name: string = 'dynamicdash';
  readonly bola: BolaePolicy;
  private readonly tput: ThroughputPolicy;
  private readonly lowBufferMs: number;
  private readonly highBufferMs: number;
  private usingBola = false;

  constructor(params: DynamicDashParams = {}) {
    const p = parsePolicyParams(dynamicDashParamsSchema, params, 'dynamicdash');
    const { safetyFactor, abandonMultiplier, abandonGraceMs, lowBufferMs, highBufferMs, ...bolaeParams } = p;
    this.bola = new BolaePolicy(bolaeParams);
    this.tput = new ThroughputPolicy({
      safetyFactor,
      abandonMultiplier,
      abandonGraceMs,
      insufficientBufferRule: p.insufficientBufferRule,
      ibrSafetyInit: p.ibrSafetyInit,
      ibrSafetyFloor: p.ibrSafetyFloor,
    });
    this.lowBufferMs = lowBufferMs;
    this.highBufferMs = highBufferMs;
  }

  get bolaActive(): boolean {
    return this.usingBola;
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    this.usingBola = dynamicDashUseBola({
      usingBola: this.usingBola,
      levelMs: ctx.bufferMs,
      lowBufferMs: this.lowBufferMs,
      highBufferMs: this.highBufferMs,
    });
    const d = this.usingBola ? this.bola.chooseRepresentation(ctx) : this.tput.chooseRepresentation(ctx);
    return { ...d, reason: `dynamicdash:${d.reason}` };
  }

  shouldAbandon(ctx: AbrContext, progress: DownloadProgress): AbandonDecision | undefined {
    return this.usingBola ? this.bola.shouldAbandon(ctx, progress) : this.tput.shouldAbandon(ctx, progress);
  }

  abandonQuiet(): AbandonQuiet | undefined {
    return this.usingBola ? this.bola.abandonQuiet() : this.tput.abandonQuiet();
  }

  onBufferFullWait(waitMs: number): void {
    this.bola.onBufferFullWait(waitMs);
  }

  onDownload(record: DownloadRecord, ctx: AbrContext): void {
    this.bola.onDownload(record, ctx);
  }
}

export const createDynamicDashPolicy = (params?: Record<string, unknown>): AbrPolicy =>
  new DynamicDashPolicy(params as DynamicDashParams | undefined);
