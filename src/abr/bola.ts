/**
 * BOLA: Lyapunov-optimal buffer-based bitrate adaptation.
 * K. Spiteri, R. Urgaonkar, R. K. Sitaraman, "BOLA: Near-Optimal Bitrate Adaptation for Online Videos",
 * IEEE INFOCOM 2016 (https://arxiv.org/abs/1601.06748), as implemented by Sabre's `Bola` class
 * (UMass-LIDS/sabre src/sabre.py; Spiteri, Sitaraman, Sparacio, MMSys 2018).
 *
 * Variants (paper §V and Sabre's flags):
 * - BOLA-basic (`basic`, Sabre `-ab`): score argmax with a fixed Vp, no abandonment.
 * - BOLA-U (default): the target buffer shrinks near the start, after a seek and near the end of the title
 *   (Vp recomputed per decision), an up-switch beyond what the throughput sustains goes at most one rung above
 *   it, and downloads are abandoned when a lower rung scores better.
 * - BOLA-O (`oscillation`, Sabre `-ao`): the up-switch goes to the sustainable rung and the rest becomes a delay.
 *
 * Utilities u_q = ln(b_q/b_0); Vp = (B − seg)/(u_max + γp); choice = argmax_q (Vp·(u_q + γp) − level)/b_q.
 */
import { z } from 'zod';
import { bytesToBits } from '../core/units.js';
import {
  ALWAYS_QUIET,
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
import { LadderCache, parsePolicyParams, qualityFromThroughput } from './throughput.js';
import type { AbandonDecision, AbrContext, AbrDecision, AbrPolicy, DownloadProgress } from './types.js';

/** Smallest ramp-up target buffer, in segments (Sabre: `max(t / 2, 3)`). */
const MIN_RAMP_SEGMENTS = 3;

export const bolaParamsSchema = z
  .object({
    gammaP: z.number().positive().default(5).describe('γp, the rebuffer-versus-utility weight of the BOLA objective (Sabre -gp 5)'),
    bufferMs: z
      .number()
      .positive()
      .optional()
      .describe('Buffer B the target is derived from, ms (default: the player maximum buffer; Sabre -b 25)'),
    basic: z.boolean().default(false).describe('BOLA-basic: fixed Vp, no abandonment (Sabre -ab)'),
    oscillation: z.boolean().default(false).describe('BOLA-O: limit up-switch oscillation with a delay (Sabre -ao)'),
  })
  .strict();

export type BolaParams = z.input<typeof bolaParamsSchema>;

// ---- Pure maths (STYLE.md: BOLA's Vp / gp / utilities / score apart from event handling) ----

/** Utilities ln(b_q) + (u0 − ln b_0), so that u_0 = `u0` (0 for BOLA, 1 for BOLA-E). Sabre's operation order. */
export function bolaUtilities(ladderKbps: ArrayLike<number>, u0: number): Float64Array {
  const offset = u0 - Math.log(ladderKbps[0] as number);
  return Float64Array.from({ length: ladderKbps.length }, (_, q) => Math.log(ladderKbps[q] as number) + offset);
}

/** Vp = (B − seg)/(u_max + γp), ms per unit utility (paper eq. 11 with the buffer measured in ms). */
export function bolaVp(bufferMs: number, segmentMs: number, uMax: number, gammaP: number): number {
  return (bufferMs - segmentMs) / (uMax + gammaP);
}

/** Per-rung score (Vp·(u + γp) − level)/b, the drift-plus-penalty ratio BOLA maximises. */
export function bolaScore(vp: number, utility: number, gammaP: number, levelMs: number, bitrateKbps: number): number {
  return (vp * (utility + gammaP) - levelMs) / bitrateKbps;
}

/** argmax_q of `bolaScore` over rungs 0..maxIndex; ties go to the lowest rung (strict >). */
export function bolaArgmax(
  vp: number,
  utilities: ArrayLike<number>,
  gammaP: number,
  levelMs: number,
  ladderKbps: ArrayLike<number>,
  maxIndex: number,
): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let q = 0; q <= maxIndex; q++) {
    const s = bolaScore(vp, utilities[q] as number, gammaP, levelMs, ladderKbps[q] as number);
    if (q === 0 || s > bestScore) {
      best = q;
      bestScore = s;
    }
  }
  return best;
}

/**
 * BOLA-U's ramp target buffer, ms: max(min(i − seekIndex, N − i)/2, 3) segments, so the buffer target is small
 * right after the start or a seek and near the end of the title (Sabre's non-basic Bola).
 */
export function bolaRampBufferMs(segmentIndex: number, lastSeekIndex: number, segmentCount: number, segmentMs: number): number {
  const t = Math.min(segmentIndex - lastSeekIndex, segmentCount - segmentIndex);
  return Math.max(t / 2, MIN_RAMP_SEGMENTS) * segmentMs;
}

/** Vp·(γp + u_q) for every rung into `out`, ms (the score numerators; Sabre's operation order). */
export function bolaScoreLevels(out: Float64Array, vp: number, gammaP: number, utilities: ArrayLike<number>): Float64Array {
  for (let q = 0; q < out.length; q++) out[q] = vp * (gammaP + (utilities[q] as number));
  return out;
}

// ---- The policy ----

export class BolaPolicy implements AbrPolicy, AbandonQuietSource {
  readonly name: string = 'bola';
  private readonly p: z.output<typeof bolaParamsSchema>;
  private readonly ladder = new LadderCache();
  private utilities: Float64Array = new Float64Array(0);
  private vp = 0;
  private bufferMs = 0;
  /** Last quality BOLA chose (or abandoned to); up-switch limits compare against it. */
  private lastQuality = 0;
  /** Segment index of the last seek, for the ramp target (0 at the start). */
  private lastSeekIndex = 0;
  private ready = false;
  /** Vp·(γp + u_q) per rung, ms, for the Vp in `levelsVp` (Vp changes per decision; recomputed when it does). */
  private levels: Float64Array = new Float64Array(0);
  private levelsVp = Number.NaN;
  private levelsAscending = false;
  private readonly lowerSizes = new LowerRungSizes();
  private readonly quiet = new AbandonQuietRange();

  constructor(params: BolaParams = {}) {
    this.p = parsePolicyParams(bolaParamsSchema, params, 'bola');
  }

  /** Sabre builds these in the constructor from the manifest; here on first sight of the catalog. */
  private init(ctx: AbrContext): Float64Array {
    const ladder = this.ladder.of(ctx.catalog);
    if (!this.ready) {
      this.utilities = bolaUtilities(ladder, 0);
      this.bufferMs = this.p.bufferMs ?? ctx.maxBufferMs;
      this.vp = bolaVp(this.bufferMs, ctx.catalog.segmentDurationMs, this.utilities[ladder.length - 1] as number, this.p.gammaP);
      this.ready = true;
    }
    return ladder;
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    const ladder = this.init(ctx);
    const segMs = ctx.catalog.segmentDurationMs;
    const gp = this.p.gammaP;
    if (!this.p.basic) {
      const target = bolaRampBufferMs(ctx.segmentIndex, this.lastSeekIndex, ctx.catalog.segmentCount, segMs);
      this.vp = bolaVp(Math.min(this.bufferMs, target), segMs, this.utilities[ladder.length - 1] as number, gp);
    }
    let q = bolaArgmax(this.vp, this.utilities, gp, ctx.bufferMs, ladder, ctx.maxIndex);
    let delayMs = 0;
    let reason = 'bola:argmax';
    if (q > this.lastQuality) {
      const qt = ctx.throughputKbps === undefined ? 0 : qualityFromThroughput(ladder, ctx.maxIndex, segMs, ctx.latencyMs ?? 0, ctx.throughputKbps);
      if (q <= qt) {
        reason = 'bola:argmax';
      } else if (this.lastQuality > qt) {
        q = this.lastQuality;
        reason = 'bola:hold-above-throughput';
      } else if (!this.p.oscillation) {
        q = qt + 1;
        reason = 'bola-u:throughput+1';
      } else {
        q = qt;
        delayMs = Math.max(0, ctx.bufferMs - this.vp * (gp + (this.utilities[q] as number)));
        if (q === ladder.length - 1) delayMs = 0;
        reason = 'bola-o:throughput+delay';
      }
    }
    this.lastQuality = q;
    return delayMs > 0 ? { index: q, delayMs, reason } : { index: q, reason };
  }

  // Hot path (polled ~50 times per download): per-download and per-Vp constants are memoised, nothing allocated.
  shouldAbandon(ctx: AbrContext, progress: DownloadProgress): AbandonDecision | undefined {
    if (this.p.basic) return undefined;
    this.quiet.live = false;
    const ladder = this.init(ctx);
    const sizeBits = bytesToBits(progress.totalBytes);
    const gotBits = bytesToBits(progress.loadedBytes);
    const remainBits = sizeBits - gotBits;
    if (gotBits <= 0 || remainBits <= 0) return undefined;
    if (this.vp !== this.levelsVp) {
      if (this.levels.length !== ladder.length) this.levels = new Float64Array(ladder.length);
      bolaScoreLevels(this.levels, this.vp, this.p.gammaP, this.utilities);
      this.levelsAscending = nondecreasing(this.levels, this.levels.length);
      this.levelsVp = this.vp;
    }
    const level = ctx.bufferMs;
    const cur = progress.repIndex;
    if (this.quiet.covers(ladder, sizeBits, cur, this.levelsVp, 0, 0, remainBits, level)) {
      this.quiet.live = true;
      return undefined;
    }
    return this.checkAbandon(ladder, sizeBits, remainBits, cur, level);
  }

  /**
   * The rest of `shouldAbandon`, apart so that the JIT inlines only the few comparisons above into the poll loop
   * (speed: with this inlined too the poll loop ran markedly slower). Positional arguments: no allocation per poll.
   */
  private checkAbandon(ladder: Float64Array, sizeBits: number, remainBits: number, cur: number, level: number): AbandonDecision | undefined {
    const vp = this.levelsVp;
    // No lower rung smaller than what is left (none at all at rung 0): nothing can be chosen (exact shortcut).
    this.lowerSizes.of(ladder, sizeBits, cur);
    if (!(this.lowerSizes.smallestBits < remainBits)) {
      // Nor at any later poll of this download, whatever the level.
      this.quiet.set(ladder, sizeBits, cur, vp, 0, 0, remainBits, -Infinity);
      return undefined;
    }
    // Exact shortcuts without divisions (most polls end here): a certificate down to QUIET_REACH_MS below this
    // level, else a quarter of that, else down to this level (it still covers polls at an empty buffer); the size
    // left is the bound itself.
    if (this.levelsAscending) {
      for (let reachMs = QUIET_REACH_MS; ; reachMs = reachMs >= 4 * QUIET_REACH_MIN_MS ? reachMs / 4 : 0) {
        const minLevelMs = level - reachMs;
        if (bolaAbandonRuledOut(this.levels, this.lowerSizes, cur, minLevelMs, remainBits)) {
          this.quiet.set(ladder, sizeBits, cur, vp, 0, 0, remainBits, minLevelMs);
          return undefined;
        }
        if (reachMs === 0) break;
      }
    }
    const score = ((this.levels[cur] as number) - level) / remainBits;
    // Keeping the download scores negative only when the buffer is above the target: nothing to gain.
    if (score < 0) return undefined;
    const to = bolaAbandonTarget(this.levels, this.lowerSizes, cur, level, remainBits, score);
    if (to < 0) return undefined;
    this.lastQuality = to;
    return { index: to, reason: 'bola:abandon:better-score' };
  }

  abandonQuiet(): AbandonQuiet | undefined {
    return this.p.basic ? ALWAYS_QUIET : this.quiet.promise();
  }

  onEvent(event: 'seek' | 'rebuffer' | 'playing', ctx: AbrContext): void {
    if (event === 'seek') this.lastSeekIndex = Math.floor(ctx.playheadMs / ctx.catalog.segmentDurationMs);
  }
}

export const createBolaPolicy = (params?: Record<string, unknown>): AbrPolicy => new BolaPolicy(params as BolaParams | undefined);
