/**
 * Throughput rule, as in Sabre's `ThroughputRule` (UMass-LIDS/sabre src/sabre.py) and dash.js's ThroughputRule +
 * InsufficientBufferRule + AbandonRequestsRule of the BOLA work (Spiteri, Sitaraman, Sparacio, "From theory to
 * practice: improving bitrate adaptation in the DASH reference player", MMSys 2018).
 *
 * - Choice: the highest rung whose bitrate fits the safe throughput 0.9·T once the latency estimate is taken out
 *   of the segment time (`qualityFromThroughput`).
 * - Insufficient-buffer rule: cap the choice so that one segment fits in safety·(buffer − latency)·T bits, with
 *   a safety factor that starts at 0.9, decays ×0.9 per decision and floors at 0.5 (never reset: Sabre).
 * - Abandonment: after 500 ms, if the download would end past 1.8 segment durations, drop to the rung the
 *   measured rate sustains, when that segment is smaller than what is left.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { bytesToBits } from '../core/units.js';
import type { Catalog } from '../origin/catalog.js';
import type { AbandonQuiet, AbandonQuietSource } from './abandon-shortcuts.js';
import type { AbandonDecision, AbrContext, AbrDecision, AbrPolicy, DownloadProgress } from './types.js';

export const throughputParamsSchema = z
  .object({
    safetyFactor: z
      .number()
      .positive()
      .max(1)
      .default(0.9)
      .describe('Fraction of the throughput estimate a choice may use (dash.js bandwidthSafetyFactor 0.9)'),
    insufficientBufferRule: z
      .boolean()
      .default(true)
      .describe('Cap the choice so one segment downloads within the buffer (Sabre: off with -noibr)'),
    ibrSafetyInit: z
      .number()
      .positive()
      .max(1)
      .default(0.9)
      .describe('Initial insufficient-buffer safety factor, also its per-decision decay (Sabre 0.9)'),
    ibrSafetyFloor: z.number().positive().max(1).default(0.5).describe('Floor of the insufficient-buffer safety factor (Sabre 0.5)'),
    abandonMultiplier: z
      .number()
      .positive()
      .default(1.8)
      .describe('Abandon when the download would take longer than this many segment durations (dash.js 1.8)'),
    abandonGraceMs: z.number().nonnegative().default(500).describe('No abandonment before this much time since the request, ms (dash.js 500)'),
  })
  .strict();

export type ThroughputParams = z.input<typeof throughputParamsSchema>;

/**
 * Validates a policy's params with its schema; a bad value is an InputError naming the policy and the field
 * (the CLI prints it in one line).
 */
export function parsePolicyParams<S extends z.ZodType>(schema: S, params: unknown, policy: string): z.output<S> {
  const r = schema.safeParse(params ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  throw new InputError(`policy ${policy}: ${issue?.message ?? 'invalid parameters'}`, field ? { field } : {});
}

/**
 * Sabre's `quality_from_throughput`: the largest q with latency + seg·b_q/T <= seg (at least 0), scanning up
 * from 0 and stopping at the first rung that fails. Positional arguments: it runs once per decision and per
 * abandonment poll, and a parameter object would allocate (speed shortcut).
 */
export function qualityFromThroughput(
  ladderKbps: ArrayLike<number>,
  maxIndex: number,
  segmentMs: number,
  latencyMs: number,
  throughputKbps: number,
): number {
  let q = 0;
  while (q + 1 <= maxIndex && latencyMs + (segmentMs * (ladderKbps[q + 1] as number)) / throughputKbps <= segmentMs) q++;
  return q;
}

/**
 * Insufficient-buffer cap: the first q' < q whose next rung's segment (b_{q'+1}·seg bits) exceeds `safeBits`,
 * else q itself. Sabre's loop, shared by the throughput rule and BOLA-E.
 */
export function insufficientBufferCap(ladderKbps: ArrayLike<number>, q: number, segmentMs: number, safeBits: number): number {
  for (let i = 0; i < q; i++) {
    if ((ladderKbps[i + 1] as number) * segmentMs > safeBits) return i;
  }
  return q;
}

/**
 * The ladder as a typed array, rebuilt only when the catalog changes. `of` is called at every decision and
 * abandonment poll: it is kept to one comparison so that the JIT inlines it, with the rebuild (and its closure)
 * in a method of its own (speed: a call that is not inlined cost as much as the whole BOLA-E poll).
 */
export class LadderCache {
  private catalog: Catalog | undefined;
  kbps: Float64Array = new Float64Array(0);

  of(catalog: Catalog): Float64Array {
    return catalog === this.catalog ? this.kbps : this.rebuild(catalog);
  }

  private rebuild(catalog: Catalog): Float64Array {
    this.catalog = catalog;
    this.kbps = Float64Array.from(catalog.representations, (r) => r.bitrateKbps);
    return this.kbps;
  }
}

/**
 * How far ahead (ms of elapsed time) the throughput rule's on-time promise reaches. It never changes a decision,
 * only how many polls are skipped against how often the promise fails; tuned on Sabre's 3G traces.
 */
export const THROUGHPUT_QUIET_REACH_MS = 1000;
export const THROUGHPUT_QUIET_REACH_MIN_MS = 60;

/** Time since the request, ms: the transport's exact figure when it gives one. */
export function progressElapsedMs(ctx: AbrContext, p: DownloadProgress): number {
  return p.elapsedMs ?? ctx.nowMs - p.requestMs;
}

/** Time to first byte, ms; before the first byte, the whole elapsed time. */
export function progressTtfbMs(ctx: AbrContext, p: DownloadProgress): number {
  if (p.timeToFirstByteMs !== undefined) return p.timeToFirstByteMs;
  return p.firstByteMs === undefined ? progressElapsedMs(ctx, p) : p.firstByteMs - p.requestMs;
}

export class ThroughputPolicy implements AbrPolicy, AbandonQuietSource {
  readonly name = 'throughput';
  private readonly p: z.output<typeof throughputParamsSchema>;
  private readonly ladder = new LadderCache();
  /** Insufficient-buffer safety factor; decays per decision, never reset (Sabre). */
  private ibrSafety: number;
  /** The `AbandonQuiet` promise that goes with the last `shouldAbandon` answer, or undefined. */
  private quiet: AbandonQuiet | undefined;
  /** The promise of the grace period (no abandonment before `abandonGraceMs`). */
  private readonly graceQuiet: AbandonQuiet;
  /** The promise of an on-time download (`promiseOnTime`), reused: no allocation per poll. */
  private readonly onTimeQuiet = { remainBits: 0, minBufferMs: -Infinity, untilElapsedMs: 0 };

  constructor(params: ThroughputParams = {}) {
    this.p = parsePolicyParams(throughputParamsSchema, params, 'throughput');
    this.ibrSafety = this.p.ibrSafetyInit;
    this.graceQuiet = Object.freeze({ remainBits: Infinity, minBufferMs: -Infinity, untilElapsedMs: this.p.abandonGraceMs });
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    const tput = ctx.throughputKbps;
    if (tput === undefined) return { index: 0, reason: 'throughput:no-estimate:lowest' };
    const ladder = this.ladder.of(ctx.catalog);
    const segMs = ctx.catalog.segmentDurationMs;
    const lat = ctx.latencyMs ?? 0;
    const q = qualityFromThroughput(ladder, ctx.maxIndex, segMs, lat, tput * this.p.safetyFactor);
    if (!this.p.insufficientBufferRule) return { index: q, reason: 'throughput:estimate' };
    const safeBits = this.ibrSafety * (ctx.bufferMs - lat) * tput;
    this.ibrSafety *= this.p.ibrSafetyInit;
    this.ibrSafety = Math.max(this.ibrSafety, this.p.ibrSafetyFloor);
    const capped = insufficientBufferCap(ladder, q, segMs, safeBits);
    return { index: capped, reason: capped < q ? 'throughput:insufficient-buffer' : 'throughput:estimate' };
  }

  shouldAbandon(ctx: AbrContext, progress: DownloadProgress): AbandonDecision | undefined {
    const elapsedMs = progressElapsedMs(ctx, progress);
    const ttfbMs = progressTtfbMs(ctx, progress);
    const transferMs = elapsedMs - ttfbMs;
    // Within the grace period, so are the later polls that are still within it.
    this.quiet = elapsedMs < this.p.abandonGraceMs ? this.graceQuiet : undefined;
    if (!(elapsedMs >= this.p.abandonGraceMs && transferMs > 0)) return undefined;
    const ladder = this.ladder.of(ctx.catalog);
    const segMs = ctx.catalog.segmentDurationMs;
    const sizeBits = bytesToBits(progress.totalBytes);
    const tput = bytesToBits(progress.loadedBytes) / transferMs;
    const leftBits = sizeBits - bytesToBits(progress.loadedBytes);
    const timeLeftMs = leftBits / tput;
    const limitMs = this.p.abandonMultiplier * segMs;
    if (!(elapsedMs + timeLeftMs > limitMs)) {
      this.promiseOnTime(ttfbMs, elapsedMs, leftBits, bytesToBits(progress.loadedBytes), limitMs);
      return undefined;
    }
    const q = qualityFromThroughput(ladder, ctx.maxIndex, segMs, ctx.latencyMs ?? 0, tput * this.p.safetyFactor);
    const cur = progress.repIndex;
    const estimateBits = (sizeBits * (ladder[q] as number)) / (ladder[cur] as number);
    if (q >= cur || estimateBits >= leftBits) return undefined;
    return { index: q, reason: 'throughput:abandon:too-slow' };
  }

  abandonQuiet(): AbandonQuiet | undefined {
    return this.quiet;
  }

  /**
   * The `AbandonQuiet` promise of a download on time (speed shortcut, exact): the projected end, elapsed + left/rate,
   * computed with the same operations as `shouldAbandon` but with each input at its worst for the polls up to
   * `THROUGHPUT_QUIET_REACH_MS` ahead (elapsed at the end of the reach, no more bits than now). Each operation is
   * monotone in its inputs (IEEE rounding is), so if that projection is within the limit, so is every such poll's.
   * Positional arguments: no allocation per poll.
   */
  private promiseOnTime(ttfbMs: number, elapsedMs: number, leftBits: number, gotBits: number, limitMs: number): void {
    // The longest reach first, then shorter ones (a quarter each time) when the download is too close to the limit.
    for (let reachMs = THROUGHPUT_QUIET_REACH_MS; reachMs >= THROUGHPUT_QUIET_REACH_MIN_MS; reachMs /= 4) {
      const untilMs = elapsedMs + reachMs;
      if (untilMs + leftBits / (gotBits / (untilMs - ttfbMs)) <= limitMs) {
        this.onTimeQuiet.remainBits = leftBits;
        this.onTimeQuiet.untilElapsedMs = untilMs;
        this.quiet = this.onTimeQuiet;
        return;
      }
    }
  }
}

export const createThroughputPolicy = (params?: Record<string, unknown>): AbrPolicy =>
  new ThroughputPolicy(params as ThroughputParams | undefined);
