/**
 * DYNAMIC: BOLA when the buffer is large, the throughput rule when it is small (Spiteri, Sitaraman, Sparacio,
 * MMSys 2018, §5; Sabre's `Dynamic` class, UMass-LIDS/sabre src/sabre.py; dash.js v3's abrDynamic).
 *
 * One rule: both policies decide every segment (so both keep their state moving: BOLA's last quality follows
 * its own hypothetical choices and the throughput rule's safety factor keeps decaying). Starting in throughput
 * mode, switch to BOLA when level > 10 s and BOLA's choice >= the throughput choice; switch back when
 * level < 10 s and BOLA's choice < the throughput choice. Abandonment always follows the throughput rule, a
 * replacement download forces throughput mode, and seeks are not forwarded (all as in Sabre).
 */
import { z } from 'zod';
import { BolaPolicy, bolaParamsSchema } from './bola.js';
import type { AbandonQuiet, AbandonQuietSource } from './abandon-shortcuts.js';
import { ThroughputPolicy, parsePolicyParams, throughputParamsSchema } from './throughput.js';
import type { AbandonDecision, AbrContext, AbrDecision, AbrPolicy, DownloadProgress, DownloadRecord } from './types.js';

export const dynamicParamsSchema = bolaParamsSchema
  .extend(throughputParamsSchema.shape)
  .extend({
    switchBufferMs: z
      .number()
      .positive()
      .default(10_000)
      .describe('Buffer level around which DYNAMIC switches between BOLA and the throughput rule, ms (Sabre 10 s)'),
  })
  .strict();

export type DynamicParams = z.input<typeof dynamicParamsSchema>;

/** DYNAMIC's switch rule as a pure function: whether BOLA is in charge after this decision. */
export function dynamicUseBola(p: {
  usingBola: boolean;
  levelMs: number;
  bolaIndex: number;
  throughputIndex: number;
  switchBufferMs: number;
}): boolean {
  if (p.usingBola) return !(p.levelMs < p.switchBufferMs && p.bolaIndex < p.throughputIndex);
  return p.levelMs > p.switchBufferMs && p.bolaIndex >= p.throughputIndex;
}

export class DynamicPolicy implements AbrPolicy, AbandonQuietSource {
  readonly name: string = 'dynamic';
  private readonly bola: BolaPolicy;
  private readonly tput: ThroughputPolicy;
  private readonly switchBufferMs: number;
  private usingBola = false;

  constructor(params: DynamicParams = {}) {
    const p = parsePolicyParams(dynamicParamsSchema, params, 'dynamic');
    const { gammaP, bufferMs, basic, oscillation, switchBufferMs, ...tputParams } = p;
    this.bola = new BolaPolicy({ gammaP, basic, oscillation, ...(bufferMs !== undefined ? { bufferMs } : {}) });
    this.tput = new ThroughputPolicy(tputParams);
    this.switchBufferMs = switchBufferMs;
  }

  /** Whether BOLA currently decides (for telemetry and tests). */
  get bolaActive(): boolean {
    return this.usingBola;
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    const b = this.bola.chooseRepresentation(ctx);
    const t = this.tput.chooseRepresentation(ctx);
    this.usingBola = dynamicUseBola({
      usingBola: this.usingBola,
      levelMs: ctx.bufferMs,
      bolaIndex: b.index,
      throughputIndex: t.index,
      switchBufferMs: this.switchBufferMs,
    });
    const d = this.usingBola ? b : t;
    return { ...d, reason: `dynamic:${d.reason}` };
  }

  shouldAbandon(ctx: AbrContext, progress: DownloadProgress): AbandonDecision | undefined {
    return this.tput.shouldAbandon(ctx, progress);
  }

  abandonQuiet(): AbandonQuiet | undefined {
    return this.tput.abandonQuiet();
  }

  onDownload(record: DownloadRecord): void {
    if (record.replacement === true) this.usingBola = false;
  }
}

export const createDynamicPolicy = (params?: Record<string, unknown>): AbrPolicy =>
  new DynamicPolicy(params as DynamicParams | undefined);
