/**
 * BOLA-E: BOLA with a placeholder buffer and an insufficient-buffer rule, the version in the DASH reference
 * player. K. Spiteri, R. K. Sitaraman, D. Sparacio, "From Theory to Practice: Improving Bitrate Adaptation in
 * the DASH Reference Player", ACM MMSys 2018 (https://doi.org/10.1145/3204949.3204953), as implemented by
 * Sabre's `BolaEnh` (UMass-LIDS/sabre src/sabre.py).
 *
 * - Utilities u_q = ln(b_q/b_0) + 1. With the insufficient-buffer rule (default) the parameters come from the
 *   buffer target Bb = max(10 s + 2 s per rung, B): γp = (u_max − 1)/(Bb/10 s − 1), Vp = 10 s/γp, so the lowest
 *   rung is chosen below 10 s and the top rung above Bb. Without it (BOLA-PL, Sabre -noibr): γp = gp − 1 and
 *   Vp = (B − seg)/(u_max + γp).
 * - Placeholder buffer (paper §4.1): virtual buffer added to the real level so that BOLA does not restart
 *   from the lowest rung after startup, a seek or a buffer-full pause. It starts at the minimum buffer of the
 *   throughput-based first choice, grows with buffer-full waits, is spent before any real delay, and is kept
 *   between the min and max buffer of the quality downloaded.
 * - Insufficient-buffer rule (paper §4.3): cap the choice so that a segment fits in safety·(level − latency)·T
 *   bits, with safety 0.9 decaying ×0.9 per decision to a floor of 0.5.
 * - Abandonment (paper §4.4): compare the score of finishing against restarting at a lower rung, after taking one
 *   time-to-first-byte off the buffer and the remaining size.
 */
import { z } from 'zod';
import { bytesToBits } from '../core/units.js';
import {
  type AbandonQuiet,
  AbandonQuietRange,
  type AbandonQuietSource,
  LowerRungSizes,
  QUIET_REACH_MIN_MS,
  QUIET_REACH_MS,
  bolaAbandonRuledOut,
  bolaAbandonTarget,
  nondecreasing,
} from './abandon-shortcuts.js';
import { bolaArgmax, bolaScoreLevels, bolaUtilities, bolaVp } from './bola.js';
import {
  LadderCache,
  insufficientBufferCap,
  parsePolicyParams,
  progressElapsedMs,
  progressTtfbMs,
  qualityFromThroughput,
} from './throughput.js';
import type { AbandonDecision, AbrContext, AbrDecision, AbrPolicy, DownloadProgress, DownloadRecord } from './types.js';

export const bolaeParamsSchema = z
  .object({
    gammaP: z
      .number()
      .positive()
      .default(5)
      .describe('γp; used only without the insufficient-buffer rule, as γp − 1 (Sabre -gp 5)'),
    bufferMs: z.number().positive().optional().describe('Buffer B, ms (default: the player maximum buffer; Sabre -b 25)'),
    oscillation: z.boolean().default(false).describe('BOLA-O style up-switch (no +1 above the throughput rung; Sabre -ao)'),
    insufficientBufferRule: z.boolean().default(true).describe('Insufficient-buffer rule on (Sabre: off with -noibr, "BOLA-PL")'),
    minimumBufferMs: z.number().positive().default(10_000).describe('Buffer below which the lowest rung is chosen, ms (dash.js MINIMUM_BUFFER_S 10)'),
    minimumBufferPerLevelMs: z
      .number()
      .nonnegative()
      .default(2_000)
      .describe('Extra target buffer per rung, ms (dash.js MINIMUM_BUFFER_PER_BITRATE_LEVEL_S 2)'),
    ibrSafetyInit: z.number().positive().max(1).default(0.9).describe('Initial insufficient-buffer safety factor and its decay (0.9)'),
    ibrSafetyFloor: z.number().positive().max(1).default(0.5).describe('Floor of the insufficient-buffer safety factor (0.5)'),
  })
  .strict();

export type BolaeParams = z.input<typeof bolaeParamsSchema>;

// ---- Pure maths ----

export interface BolaeParameters {
  /** γp actually used. */
  gammaP: number;
  /** Vp, ms per unit utility. */
  vp: number;
  /** The buffer target Bb the parameters were derived from, ms (Sabre prints it). */
  bufferTargetMs: number;
}

/** γp and Vp of BOLA-E (with the insufficient-buffer rule) or BOLA-PL (without), in Sabre's operation order. */
export function bolaeParameters(p: {
  utilities: ArrayLike<number>;
  bufferMs: number;
  segmentMs: number;
  gammaP: number;
  insufficientBufferRule: boolean;
  minimumBufferMs: number;
  minimumBufferPerLevelMs: number;
}): BolaeParameters {
  const uMax = p.utilities[p.utilities.length - 1] as number;
  if (!p.insufficientBufferRule) {
    // "to match BOLA Basic": utilities are offset by 1, so γp drops by 1.
    const gammaP = p.gammaP - 1;
    return { gammaP, vp: bolaVp(p.bufferMs, p.segmentMs, uMax, gammaP), bufferTargetMs: p.bufferMs };
  }
  let target = p.minimumBufferMs;
  target += p.minimumBufferPerLevelMs * p.utilities.length;
  target = Math.max(target, p.bufferMs);
  const gammaP = (uMax - 1) / (target / p.minimumBufferMs - 1);
  return { gammaP, vp: p.minimumBufferMs / gammaP, bufferTargetMs: target };
}

/** Highest buffer level at which BOLA still picks rung q: Vp·(u_q + γp), ms. */
export function bolaeMaxBufferMs(q: number, vp: number, gammaP: number, utilities: ArrayLike<number>): number {
  return vp * ((utilities[q] as number) + gammaP);
}

/**
 * Lowest buffer level at which BOLA prefers rung q to every lower rung with a lower utility:
 * max(0, max_{q'<q} Vp·(γp + (b_q·u_q' − b_q'·u_q)/(b_q − b_q'))), ms.
 */
export function bolaeMinBufferMs(q: number, vp: number, gammaP: number, utilities: ArrayLike<number>, ladderKbps: ArrayLike<number>): number {
  const b = ladderKbps[q] as number;
  const u = utilities[q] as number;
  let level = 0;
  for (let i = 0; i < q; i++) {
    const ui = utilities[i] as number;
    if (ui < u) {
      const bi = ladderKbps[i] as number;
      const l = vp * (gammaP + (b * ui - bi * u) / (b - bi));
      level = Math.max(level, l);
    }
  }
  return level;
}

// ---- The policy ----

export class BolaePolicy implements AbrPolicy, AbandonQuietSource {
  readonly name: string = 'bolae';
  private readonly p: z.output<typeof bolaeParamsSchema>;
  private readonly ladder = new LadderCache();
  private utilities: Float64Array = new Float64Array(0);
  private gp = 0;
  private vp = 0;
  private bufferTargetMs = 0;
  private ready = false;
  private startup = true;
  /** Virtual buffer added to the real level, ms. */
  private placeholderMs = 0;
  private lastQuality = 0;
  private ibrSafety = 0;
  /**
   * Vp·(γp + u_q) per rung, ms (the abandonment score numerators, also each rung's max buffer) and each rung's
   * min buffer, ms: fixed once Vp and γp are, so computed in `init` (speed: the abandonment poll runs ~50 times
   * per download; `bolaeMinBufferMs` is a loop over the lower rungs).
   */
  private levels: Float64Array = new Float64Array(0);
  private levelsAscending = false;
  private minBuffers: Float64Array = new Float64Array(0);
  private readonly lowerSizes = new LowerRungSizes();
  private readonly quiet = new AbandonQuietRange();

  constructor(params: BolaeParams = {}) {
    this.p = parsePolicyParams(bolaeParamsSchema, params, 'bolae');
  }

  /** Bb, γp and Vp once the catalog is known (Sabre computes them in the constructor). */
  parameters(ctx: Pick<AbrContext, 'catalog' | 'maxBufferMs'>): BolaeParameters {
    this.init(ctx);
    return { gammaP: this.gp, vp: this.vp, bufferTargetMs: this.bufferTargetMs };
  }

  get insufficientBufferRuleOn(): boolean {
    return this.p.insufficientBufferRule;
  }

  /** Current placeholder buffer, ms (for telemetry and tests). */
  get placeholder(): number {
    return this.placeholderMs;
  }

  /**
   * The ladder, with Bb, γp, Vp and the per-rung tables set up on first use. Kept to a comparison and a flag so
   * that the JIT inlines it into the abandonment poll (hot path; a call that is not inlined cost ~40 % of the poll).
   */
  private init(ctx: Pick<AbrContext, 'catalog' | 'maxBufferMs'>): Float64Array {
    const ladder = this.ladder.of(ctx.catalog);
    if (!this.ready) this.setup(ctx, ladder);
    return ladder;
  }

  private setup(ctx: Pick<AbrContext, 'catalog' | 'maxBufferMs'>, ladder: Float64Array): void {
    this.utilities = bolaUtilities(ladder, 1);
    const params = bolaeParameters({
      utilities: this.utilities,
      bufferMs: this.p.bufferMs ?? ctx.maxBufferMs,
      segmentMs: ctx.catalog.segmentDurationMs,
      gammaP: this.p.gammaP,
      insufficientBufferRule: this.p.insufficientBufferRule,
      minimumBufferMs: this.p.minimumBufferMs,
      minimumBufferPerLevelMs: this.p.minimumBufferPerLevelMs,
    });
    this.gp = params.gammaP;
    this.vp = params.vp;
    this.bufferTargetMs = params.bufferTargetMs;
    this.levels = bolaScoreLevels(new Float64Array(ladder.length), this.vp, this.gp, this.utilities);
    this.levelsAscending = nondecreasing(this.levels, this.levels.length);
    this.minBuffers = Float64Array.from({ length: ladder.length }, (_, q) => bolaeMinBufferMs(q, this.vp, this.gp, this.utilities, ladder));
    this.ready = true;
  }

  private minBuffer(q: number): number {
    return this.minBuffers[q] as number;
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    const ladder = this.init(ctx);
    const level = ctx.bufferMs;
    const tput = ctx.throughputKbps;
    const segMs = ctx.catalog.segmentDurationMs;
    const lat = ctx.latencyMs ?? 0;
    if (this.startup) {
      if (tput === undefined) return { index: this.lastQuality, reason: 'bolae:startup:no-estimate' };
      this.startup = false;
      this.ibrSafety = this.p.ibrSafetyInit;
      const q = qualityFromThroughput(ladder, ctx.maxIndex, segMs, lat, tput);
      this.placeholderMs = Math.max(0, this.minBuffer(q) - level);
      return { index: q, reason: 'bolae:startup:throughput' };
    }

    let q = bolaArgmax(this.vp, this.utilities, this.gp, level + this.placeholderMs, ladder, ctx.maxIndex);
    let reason = 'bolae:argmax';
    const qt = tput === undefined ? 0 : qualityFromThroughput(ladder, ctx.maxIndex, segMs, lat, tput);
    if (q > this.lastQuality && q > qt) {
      q = Math.max(this.lastQuality, qt);
      if (!this.p.oscillation) q += 1;
      reason = 'bolae:capped-by-throughput';
    }

    // Above the rung's max buffer: spend the placeholder first; only the excess is a real delay.
    let delayMs = level + this.placeholderMs - bolaeMaxBufferMs(q, this.vp, this.gp, this.utilities);
    if (delayMs > 0) {
      if (delayMs <= this.placeholderMs) {
        this.placeholderMs -= delayMs;
        delayMs = 0;
      } else {
        delayMs -= this.placeholderMs;
        this.placeholderMs = 0;
      }
    } else {
      delayMs = 0;
    }
    if (q === ladder.length - 1) delayMs = 0;

    if (this.p.insufficientBufferRule && tput !== undefined) {
      const safeBits = this.ibrSafety * (level - lat) * tput;
      this.ibrSafety *= this.p.ibrSafetyInit;
      this.ibrSafety = Math.max(this.ibrSafety, this.p.ibrSafetyFloor);
      const capped = insufficientBufferCap(ladder, q, segMs, safeBits);
      if (capped < q) {
        q = capped;
        delayMs = 0;
        this.placeholderMs = Math.min(Math.max(0, this.minBuffer(q) - level), this.placeholderMs);
        reason = 'bolae:insufficient-buffer';
      }
    }
    return delayMs > 0 ? { index: q, delayMs, reason } : { index: q, reason };
  }

  onBufferFullWait(waitMs: number): void {
    this.placeholderMs += waitMs;
  }

  onDownload(record: DownloadRecord, ctx: AbrContext): void {
    this.init(ctx);
    this.lastQuality = record.repIndex;
    const level = ctx.bufferMs;
    if (!record.abandoned) {
      if (record.replacement === true) {
        // A replacement did not grow the real buffer, but BOLA's view of it improved by one segment.
        this.placeholderMs += ctx.catalog.segmentDurationMs;
        return;
      }
      const levelWas = level + (record.elapsedMs ?? record.doneMs - record.requestMs);
      const maxPlaceholder = Math.max(0, bolaeMaxBufferMs(record.repIndex, this.vp, this.gp, this.utilities) - levelWas);
      this.placeholderMs = Math.min(this.placeholderMs, maxPlaceholder);
      // Not below the rung's min buffer either (the choice may not have been BOLA's); not while rebuffering.
      if (level > 0) this.placeholderMs = Math.max(this.placeholderMs, this.minBuffer(record.repIndex) - levelWas);
    } else if (record.replacement !== true) {
      // An abandonment says the placeholder was optimistic: trim it to a conservative level.
      const target = record.abandonedToIndex ?? 0;
      const wantMs = target > 0 ? this.minBuffer(target) : this.p.minimumBufferMs;
      this.placeholderMs = Math.min(this.placeholderMs, Math.max(0, wantMs - level));
    }
  }

  abandonQuiet(): AbandonQuiet | undefined {
    return this.quiet.promise();
  }

  onEvent(event: 'seek' | 'rebuffer' | 'playing'): void {
    if (event === 'seek') this.startup = true;
  }

  // Hot path (polled ~50 times per download): per-download and per-session constants are precomputed, nothing
  // is allocated unless the download is abandoned.
  shouldAbandon(ctx: AbrContext, progress: DownloadProgress): AbandonDecision | undefined {
    this.quiet.live = false;
    const ladder = this.init(ctx);
    const sizeBits = bytesToBits(progress.totalBytes);
    const gotBits = bytesToBits(progress.loadedBytes);
    const remainBits = sizeBits - gotBits;
    if (gotBits <= 0 || remainBits <= 0) return undefined;
    const cur = progress.repIndex;
    const ttfbMs = progressTtfbMs(ctx, progress);
    const elapsedMs = progressElapsedMs(ctx, progress);
    const placeholderMs = this.placeholderMs;
    // Exact shortcuts without divisions (most polls end in one): with 0 <= ttfb <= elapsed the measured rate is
    // >= 0, so sz <= remainBits (or sz is NaN or -Infinity, and nothing is abandoned): remainBits bounds sz.
    const bounded = ttfbMs >= 0 && elapsedMs >= ttfbMs && this.levelsAscending;
    if (bounded && this.quiet.covers(ladder, sizeBits, cur, this.vp, placeholderMs, ttfbMs, remainBits, ctx.bufferMs)) {
      this.quiet.live = true;
      return undefined;
    }
    return this.checkAbandon(ctx, ladder, sizeBits, gotBits, cur, ttfbMs, elapsedMs, bounded);
  }

  /**
   * The rest of `shouldAbandon`, apart so that the JIT inlines only the few comparisons above into the poll loop
   * (speed: with this inlined too the poll loop ran markedly slower). Positional arguments: no allocation per poll.
   */
  private checkAbandon(
    ctx: AbrContext,
    ladder: Float64Array,
    sizeBits: number,
    gotBits: number,
    cur: number,
    ttfbMs: number,
    elapsedMs: number,
    bounded: boolean,
  ): AbandonDecision | undefined {
    const remainBits = sizeBits - gotBits;
    const placeholderMs = this.placeholderMs;
    this.lowerSizes.of(ladder, sizeBits, cur);
    // Restarting costs another time to first byte: take it off the buffer and off what is left to fetch.
    const bl = Math.max(0, ctx.bufferMs + placeholderMs - ttfbMs);
    if (bounded) {
      // No lower rung fits (nor at any later poll of this download, whatever the buffer); else a certificate down
      // to QUIET_REACH_MS less buffer, else a quarter of that, else down to this buffer (it still covers polls at an
      // empty buffer). The level of a lower buffer is computed as `bl` is.
      const bufferMs = ctx.bufferMs;
      const fits = this.lowerSizes.smallestBits < remainBits;
      for (let reachMs = QUIET_REACH_MS; ; reachMs = reachMs >= 4 * QUIET_REACH_MIN_MS ? reachMs / 4 : 0) {
        const minBufferMs = fits ? bufferMs - reachMs : -Infinity;
        if (bolaAbandonRuledOut(this.levels, this.lowerSizes, cur, Math.max(0, minBufferMs + placeholderMs - ttfbMs), remainBits)) {
          this.quiet.set(ladder, sizeBits, cur, this.vp, placeholderMs, ttfbMs, remainBits, minBufferMs);
          return undefined;
        }
        if (reachMs === 0) break;
      }
    }
    const tput = gotBits / (elapsedMs - ttfbMs);
    const sz = remainBits - ttfbMs * tput;
    if (sz <= 0 || !(this.lowerSizes.smallestBits < sz)) return undefined;
    const score = ((this.levels[cur] as number) - bl) / sz;
    // The size check is not implied by the score: with a large buffer a small remainder scores worse.
    const to = bolaAbandonTarget(this.levels, this.lowerSizes, cur, bl, sz, score);
    return to < 0 ? undefined : { index: to, reason: 'bolae:abandon:better-score' };
  }
}

export const createBolaePolicy = (params?: Record<string, unknown>): AbrPolicy => new BolaePolicy(params as BolaeParams | undefined);
