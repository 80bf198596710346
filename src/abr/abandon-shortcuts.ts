/**
 * Exact speed shortcuts for abandonment polling (issue 3, item 6: a Sabre session polls ~10,000 times). Nothing
 * here changes a decision: each shortcut answers only where the plain rule is proven to give the same answer.
 *
 * - `AbandonQuiet`: a policy's promise that the polls that follow in a download would answer "keep going", so a
 *   transport may skip them (the Sabre profile's poller does).
 * - BOLA's and BOLA-E's abandonment rule (Spiteri et al., MMSys 2018, §4.4; Sabre's `check_abandon`):
 *   per-download constants (`LowerRungSizes`), the exact argmax (`bolaAbandonTarget`), a division-free test that
 *   rules a poll out (`bolaAbandonRuledOut`) and its extension to the polls that follow (`AbandonQuietRange`).
 *
 * Hot paths: nothing here allocates per poll (STYLE.md 8); arguments are positional for that reason.
 */

/**
 * A promise about the abandonment polls that follow, which a policy may make right after `shouldAbandon` answered
 * undefined (speed: a transport that polls often, the Sabre profile, then skips the calls). Until the download ends
 * or another method of the policy is called, every later poll of the same download (same time to first byte,
 * elapsed time and bits received not decreasing) with at most `remainBits` left to fetch (computed as the policy
 * does, total minus loaded bytes in bits), at least `minBufferMs` of buffer and less than `untilElapsedMs` elapsed
 * would answer undefined and change nothing.
 */
export interface AbandonQuiet {
  readonly remainBits: number;
  readonly minBufferMs: number;
  readonly untilElapsedMs: number;
}

/** A policy that makes `AbandonQuiet` promises. */
export interface AbandonQuietSource {
  /** The promise that goes with the last `shouldAbandon` answer, or undefined for none. */
  abandonQuiet(): AbandonQuiet | undefined;
}

export function isAbandonQuietSource(policy: object): policy is AbandonQuietSource {
  return typeof (policy as Partial<AbandonQuietSource>).abandonQuiet === 'function';
}

/** The promise of a policy that never abandons. */
export const ALWAYS_QUIET: AbandonQuiet = Object.freeze({ remainBits: Infinity, minBufferMs: -Infinity, untilElapsedMs: Infinity });

/**
 * The segment's size at each rung below the one downloading, b_q/b_cur of its size, bits (Sabre's
 * `size * bitrates[q] / bitrates[cur]`, same operations). They are constants of one download, so the abandonment
 * poll (about 50 per download in the Sabre profile) computes them once per download, memoised on
 * (ladder, size, rung). Speed shortcut; hot path: nothing is allocated once the array has the ladder's length.
 */
export class LowerRungSizes {
  private ladder: Float64Array | undefined;
  private sizeBits = Number.NaN;
  private rep = -1;
  /** Sizes at rungs 0..rep−1, bits. */
  bits: Float64Array = new Float64Array(0);
  /** Whether `bits` ascend (an ascending ladder): then the rungs below a size bound form a prefix. */
  ascending = true;
  /** The smallest of `bits`, Infinity when there is no lower rung: no rung fits a bound at or below it. */
  smallestBits = Infinity;

  /** Kept to the memo check so that the JIT inlines it into the poll; the fill is a method of its own. */
  of(ladderKbps: Float64Array, sizeBits: number, rep: number): Float64Array {
    return sizeBits === this.sizeBits && rep === this.rep && ladderKbps === this.ladder ? this.bits : this.fill(ladderKbps, sizeBits, rep);
  }

  private fill(ladderKbps: Float64Array, sizeBits: number, rep: number): Float64Array {
    if (this.bits.length < ladderKbps.length) this.bits = new Float64Array(ladderKbps.length);
    const bits = this.bits;
    const cur = ladderKbps[rep] as number;
    let ascending = true;
    let smallest = Infinity;
    for (let q = 0; q < rep; q++) {
      const b = (sizeBits * (ladderKbps[q] as number)) / cur;
      bits[q] = b;
      if (q > 0 && !(b >= (bits[q - 1] as number))) ascending = false;
      if (!(b >= smallest)) smallest = b;
    }
    this.smallestBits = smallest;
    this.ladder = ladderKbps;
    this.sizeBits = sizeBits;
    this.rep = rep;
    this.ascending = ascending;
    return bits;
  }
}

/**
 * BOLA's abandonment choice (Sabre's `check_abandon` loop, BOLA and BOLA-E alike): the lowest rung q < `rep` that
 * both fits (`sizes[q] < limitBits`) and scores best, (`levels[q]` − `levelMs`)/`sizes[q]` > `score` (strict, so
 * ties keep the lower rung), or −1. `levels[q]` = Vp·(γp + u_q), ms. With ascending sizes the fitting rungs are a
 * prefix, so the scan stops at the first that does not fit (exact: the skipped rungs could not be chosen).
 */
export function bolaAbandonTarget(
  levels: Float64Array,
  sizes: LowerRungSizes,
  rep: number,
  levelMs: number,
  limitBits: number,
  score: number,
): number {
  const bits = sizes.bits;
  const ascending = sizes.ascending;
  let to = -1;
  for (let q = 0; q < rep; q++) {
    const b = bits[q] as number;
    if (b < limitBits) {
      const s = ((levels[q] as number) - levelMs) / b;
      if (s > score) {
        score = s;
        to = q;
      }
    } else if (ascending) {
      break;
    }
  }
  return to;
}

/** Margin of `bolaAbandonRuledOut`'s product test: far above the rounding of the products (2^-53 each). */
const CERTIFY_MARGIN = 1 - 2 ** -40;

/**
 * Whether `bolaAbandonTarget` is sure to answer −1 at this poll, decided with multiplications only (speed shortcut:
 * over Sabre's 3G traces it settles 99.8 % of BOLA-E's polls, without the divisions of the exact test).
 * Same inputs, except that the size left to fetch `limitBits` may be replaced by an upper bound `boundBits`
 * (BOLA-E's sz ≤ what is left of the download). Requires `levels[0..rep]` nondecreasing (the caller checks).
 *
 * Why it is exact, for each lower rung q, with a_q = fl(levels[q] − level) as the exact test computes it: q can win
 * only if it fits (sizes[q] < limit ≤ bound) and fl(a_q/sizes[q]) > fl(a_rep/limit). Rounding is monotone, so it is
 * enough that a_q/sizes[q] ≤ a_rep/limit in real numbers. If a_q ≤ 0 ≤ a_rep, the left side is ≤ 0 ≤ the right.
 * If a_q ≤ a_rep < 0 (levels nondecreasing), |a_q| ≥ |a_rep| over a smaller size is the more negative. If a_q > 0,
 * then a_rep ≥ a_q > 0 and it is enough that a_q·bound ≤ a_rep·sizes[q]; both products are rounded by at most
 * 2^-53 relative, so the test on the rounded products with a 2^-40 margin implies it (finite, normal products
 * only; anything else is left to the exact test).
 */
export function bolaAbandonRuledOut(levels: Float64Array, sizes: LowerRungSizes, rep: number, levelMs: number, boundBits: number): boolean {
  const bits = sizes.bits;
  const aRep = (levels[rep] as number) - levelMs;
  for (let q = 0; q < rep; q++) {
    const b = bits[q] as number;
    if (!(b < boundBits)) {
      if (sizes.ascending) return true;
      continue;
    }
    const aq = (levels[q] as number) - levelMs;
    if (aq <= 0) continue;
    const y = aRep * b;
    if (!(aq * boundBits <= y * CERTIFY_MARGIN && y < 1e300 && y > 1e-300)) return false;
  }
  return true;
}

/**
 * How far below the current buffer `AbandonQuietRange` certificates are tried, ms: `QUIET_REACH_MS` first, then a
 * quarter of it at a time down to `QUIET_REACH_MIN_MS`, then the current buffer itself. The buffer drains during a
 * download, so a certificate that holds 4 s lower covers up to 4 s of polls (~80), and the shorter reaches
 * catch downloads close to abandoning. Tuned on Sabre's 3G traces (BOLA-E: ~520 policy calls per session instead
 * of ~10,000 polls); they never change a decision, only speed.
 */
export const QUIET_REACH_MS = 4000;
export const QUIET_REACH_MIN_MS = 60;

/**
 * A `bolaAbandonRuledOut` certificate kept for the polls that follow (speed shortcut; the poll is then a few
 * comparisons). The test is monotone: if it holds at (level, bound), it holds at any level' >= level and
 * bound' <= bound (for a rung that fits, a higher level lowers a_q·bound faster than a_rep·sizes[q] since
 * sizes[q] < bound; a smaller bound lowers the left side; a rung with a_q <= 0 keeps it; the 2^-40 margin also
 * covers the rounding of a_q and a_rep at the later level), so a certificate made at a level below the current
 * one covers every later poll of the same download whose buffer has not drained below it, the size left only
 * shrinking. It is keyed on everything else the scores depend on: ladder, segment size, rung, Vp (the score
 * levels), and BOLA-E's placeholder and time to first byte (level = max(0, buffer + placeholder − ttfb), monotone in
 * the buffer). NaN keys never match. It is also the policy's `AbandonQuiet` promise while `live`.
 */
export class AbandonQuietRange implements AbandonQuiet {
  private ladder: Float64Array | undefined;
  private sizeBits = Number.NaN;
  private rep = -1;
  private vp = Number.NaN;
  private placeholderMs = Number.NaN;
  private ttfbMs = Number.NaN;
  /** The certificate's bound on the bits left, and the lowest buffer it covers, ms. */
  remainBits = -Infinity;
  minBufferMs = Infinity;
  readonly untilElapsedMs = Infinity;
  /** Whether the last poll was answered under this certificate (then it is the policy's promise). */
  live = false;

  // Positional arguments: called at every poll, where a parameter object would allocate (speed shortcut).
  covers(ladder: Float64Array, sizeBits: number, rep: number, vp: number, placeholderMs: number, ttfbMs: number, remainBits: number, bufferMs: number): boolean {
    return (
      remainBits <= this.remainBits &&
      bufferMs >= this.minBufferMs &&
      sizeBits === this.sizeBits &&
      rep === this.rep &&
      vp === this.vp &&
      placeholderMs === this.placeholderMs &&
      ttfbMs === this.ttfbMs &&
      ladder === this.ladder
    );
  }

  set(ladder: Float64Array, sizeBits: number, rep: number, vp: number, placeholderMs: number, ttfbMs: number, remainBits: number, minBufferMs: number): void {
    this.ladder = ladder;
    this.sizeBits = sizeBits;
    this.rep = rep;
    this.vp = vp;
    this.placeholderMs = placeholderMs;
    this.ttfbMs = ttfbMs;
    this.remainBits = remainBits;
    this.minBufferMs = minBufferMs;
    this.live = true;
  }

  /** The promise, if the last poll was answered under the certificate. */
  promise(): AbandonQuiet | undefined {
    return this.live ? this : undefined;
  }
}

/** Whether `values[0..n)` never decreases (a precondition of `bolaAbandonRuledOut`). */
export function nondecreasing(values: ArrayLike<number>, n: number): boolean {
  for (let i = 1; i < n; i++) if (!((values[i] as number) >= (values[i - 1] as number))) return false;
  return true;
}

