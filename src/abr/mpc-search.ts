/**
 * The MPC planner's search (Yin et al., SIGCOMM 2015; the objective and arithmetic of Pensieve's `test/mpc.py`,
 * see src/abr/mpc.ts): the best first rung over every rung sequence of the horizon. `planMpc` is the fast exact
 * search the policies use; `planMpcExhaustive` is the plain enumeration it must agree with, kept as the reference
 * for its tests and benchmark.
 */

/** mpc.py's `max_reward = -100000000`: a sequence scoring below this is never chosen. */
const REWARD_FLOOR = -100_000_000;

/**
 * Reusable scratch for `planMpc`: per-depth partial sums and the per-position download times. Allocated once per
 * policy instance so the 6^5-leaf enumeration allocates nothing.
 */
export class MpcScratch {
  readonly bufferS: Float64Array;
  readonly rebufferS: Float64Array;
  readonly bitrateSum: Float64Array;
  readonly switchSum: Float64Array;
  readonly lastRung: Int32Array;
  readonly choice: Int32Array;
  /** Planned download time of rung q at position d, s: `downloadS[d * rungs + q]`. */
  downloadS: Float64Array;
  readonly segmentS: Float64Array;
  /** Fastest planned download at position d, s (the pruning bound's forced stall). */
  readonly minDownloadS: Float64Array;

  constructor(horizon: number, rungs: number) {
    this.bufferS = new Float64Array(horizon + 1);
    this.rebufferS = new Float64Array(horizon + 1);
    this.bitrateSum = new Float64Array(horizon + 1);
    this.switchSum = new Float64Array(horizon + 1);
    this.lastRung = new Int32Array(horizon + 1);
    this.choice = new Int32Array(horizon + 1);
    this.downloadS = new Float64Array(horizon * rungs);
    this.segmentS = new Float64Array(horizon);
    this.minDownloadS = new Float64Array(horizon);
  }

  ensureRungs(horizon: number, rungs: number): void {
    if (this.downloadS.length < horizon * rungs) this.downloadS = new Float64Array(horizon * rungs);
  }
}

/** Planning inputs of `planMpc` (the per-position download times and segment lengths are in the scratch). */
export interface MpcPlanInput {
  horizon: number;
  rungs: number;
  startBufferS: number;
  lastRung: number;
  bitratesKbps: Float64Array;
  rebufferPenaltyPerS: number;
  switchPenalty: number;
}

/**
 * Relative slack of the pruning bound. A sequence's reward is a handful of float operations on partial sums, so
 * it lies within a few ulps (~1e-15 relative to the size of its terms) of its exact value; a subtree is pruned
 * only when its bound is below the best reward by more than 1e-12 of the terms' size, so rounding can never
 * prune a sequence that the exhaustive search would pick.
 */
const BOUND_SLACK = 1e-12;

/**
 * Best first rung over every sequence of rungs 0..rungs−1 of length `horizon`: exactly what `planMpcExhaustive`
 * (mpc.py's loop) picks, ties included, found faster:
 * - Shared prefixes: partial sums per depth, so each sequence is still accumulated position by position (the same
 *   floats as mpc.py) but a prefix is summed once for all its completions.
 * - Reverse lexicographic order (highest rungs first) with a strictly-better rule: the first maximum met is then
 *   the LAST one in lexicographic order, which is mpc.py's `>=` tie rule.
 * - Branch and bound: a prefix's completions can at best add the top bitrate at every remaining position, and
 *   cannot stall less than the next position's fastest download forces; a prefix whose bound (with
 *   `BOUND_SLACK`) is below the best reward so far cannot be chosen, so its subtree is skipped.
 * Reads `s.downloadS` and `s.segmentS` (filled by the caller). Returns index -1 when no sequence reaches the
 * −1e8 floor. Allocates only its result.
 */
export function planMpc(s: MpcScratch, p: MpcPlanInput): { index: number; reward: number } {
  const { horizon, rungs, bitratesKbps, rebufferPenaltyPerS, switchPenalty } = p;
  const { bufferS, rebufferS, bitrateSum, switchSum, lastRung, choice, downloadS, segmentS, minDownloadS } = s;
  let maxReward = REWARD_FLOOR;
  let best = -1;
  if (horizon <= 0) return 0 >= maxReward ? { index: 0, reward: 0 } : { index: -1, reward: maxReward };
  let topKbps = 0;
  for (let q = 0; q < rungs; q++) topKbps = Math.max(topKbps, bitratesKbps[q] as number);
  for (let d = 0; d < horizon; d++) {
    let m = Infinity;
    for (let q = 0; q < rungs; q++) m = Math.min(m, downloadS[d * rungs + q] as number);
    minDownloadS[d] = m;
  }
  bufferS[0] = p.startBufferS;
  rebufferS[0] = 0;
  bitrateSum[0] = 0;
  switchSum[0] = 0;
  lastRung[0] = p.lastRung;
  const leafDepth = horizon - 1;
  const leafBase = leafDepth * rungs;
  let d = 0;
  choice[0] = rungs - 1;
  for (;;) {
    if (d === leafDepth) {
      // Every rung at the last position of the prefix choice[0..d−1], highest first.
      const buf0 = bufferS[d] as number;
      const reb0 = rebufferS[d] as number;
      const br0 = bitrateSum[d] as number;
      const sw0 = switchSum[d] as number;
      const prevKbps = bitratesKbps[lastRung[d] as number] as number;
      for (let q = rungs - 1; q >= 0; q--) {
        const dt = downloadS[leafBase + q] as number;
        let reb = reb0;
        // The buffer after the last position does not enter the objective: only the stall does.
        if (buf0 < dt) reb += dt - buf0;
        const kbps = bitratesKbps[q] as number;
        const reward = (br0 + kbps) / 1000 - rebufferPenaltyPerS * reb - switchPenalty * ((sw0 + Math.abs(kbps - prevKbps)) / 1000);
        // Strictly better, or the first to reach the floor: with the reverse order this is mpc.py's `>=`.
        if (reward > maxReward || (best < 0 && reward >= maxReward)) {
          maxReward = reward;
          best = d === 0 ? q : (choice[0] as number);
        }
      }
      if (d === 0) break;
      d--;
      choice[d] = (choice[d] as number) - 1;
      continue;
    }
    const q = choice[d] as number;
    if (q < 0) {
      if (d === 0) break;
      d--;
      choice[d] = (choice[d] as number) - 1;
      continue;
    }
    const dt = downloadS[d * rungs + q] as number;
    let buf = bufferS[d] as number;
    let reb = rebufferS[d] as number;
    if (buf < dt) {
      reb += dt - buf;
      buf = 0;
    } else {
      buf -= dt;
    }
    const kbps = bitratesKbps[q] as number;
    const next = d + 1;
    const nextBuf = buf + (segmentS[d] as number);
    const nextBr = (bitrateSum[d] as number) + kbps;
    const nextSw = (switchSum[d] as number) + Math.abs(kbps - (bitratesKbps[lastRung[d] as number] as number));
    // Bound on every completion of this prefix (see above); skip the subtree when it cannot beat the best.
    const forcedS = Math.max(0, (minDownloadS[next] as number) - nextBuf);
    const gainKbps = nextBr + (horizon - next) * topKbps;
    const lossRebuffer = rebufferPenaltyPerS * (reb + forcedS);
    const lossSwitch = switchPenalty * (nextSw / 1000);
    const bound = gainKbps / 1000 - lossRebuffer - lossSwitch;
    if (best >= 0 && bound + BOUND_SLACK * (1 + gainKbps / 1000 + lossRebuffer + lossSwitch) < maxReward) {
      choice[d] = q - 1;
      continue;
    }
    bufferS[next] = nextBuf;
    rebufferS[next] = reb;
    bitrateSum[next] = nextBr;
    switchSum[next] = nextSw;
    lastRung[next] = q;
    choice[next] = rungs - 1;
    d = next;
  }
  return { index: best, reward: maxReward };
}

/**
 * The plain exhaustive search that `planMpc` must agree with (kept as the reference for its tests): best first
 * rung over every sequence of rungs 0..rungs−1 of length `horizon`, enumerated depth first in lexicographic order; partial sums are shared by sequences with a common prefix, which gives the same floats as
 * mpc.py's per-sequence loop because each sequence is still accumulated position by position. The last position
 * is a tight loop over the rungs (it holds 5/6 of the work). Reads `s.downloadS` and `s.segmentS` (filled by the
 * caller). Returns index -1 when no sequence reaches the −1e8 floor. Allocates only its result.
 */
export function planMpcExhaustive(
  s: MpcScratch,
  p: {
    horizon: number;
    rungs: number;
    startBufferS: number;
    lastRung: number;
    bitratesKbps: Float64Array;
    rebufferPenaltyPerS: number;
    switchPenalty: number;
  },
): { index: number; reward: number } {
  const { horizon, rungs, bitratesKbps, rebufferPenaltyPerS, switchPenalty } = p;
  const { bufferS, rebufferS, bitrateSum, switchSum, lastRung, choice, downloadS, segmentS } = s;
  let maxReward = REWARD_FLOOR;
  let best = -1;
  if (horizon <= 0) return 0 >= maxReward ? { index: 0, reward: 0 } : { index: -1, reward: maxReward };
  bufferS[0] = p.startBufferS;
  rebufferS[0] = 0;
  bitrateSum[0] = 0;
  switchSum[0] = 0;
  lastRung[0] = p.lastRung;
  const leafDepth = horizon - 1;
  const leafBase = leafDepth * rungs;
  let d = 0;
  choice[0] = 0;
  for (;;) {
    if (d === leafDepth) {
      // Every rung at the last position of the prefix choice[0..d−1].
      const buf0 = bufferS[d] as number;
      const reb0 = rebufferS[d] as number;
      const br0 = bitrateSum[d] as number;
      const sw0 = switchSum[d] as number;
      const prevKbps = bitratesKbps[lastRung[d] as number] as number;
      for (let q = 0; q < rungs; q++) {
        const dt = downloadS[leafBase + q] as number;
        let reb = reb0;
        // The buffer after the last position does not enter the objective: only the stall does.
        if (buf0 < dt) reb += dt - buf0;
        const kbps = bitratesKbps[q] as number;
        const reward = (br0 + kbps) / 1000 - rebufferPenaltyPerS * reb - switchPenalty * ((sw0 + Math.abs(kbps - prevKbps)) / 1000);
        if (reward >= maxReward) {
          maxReward = reward;
          best = d === 0 ? q : (choice[0] as number);
        }
      }
      if (d === 0) break;
      d--;
      choice[d] = (choice[d] as number) + 1;
      continue;
    }
    const q = choice[d] as number;
    if (q === rungs) {
      if (d === 0) break;
      d--;
      choice[d] = (choice[d] as number) + 1;
      continue;
    }
    const dt = downloadS[d * rungs + q] as number;
    let buf = bufferS[d] as number;
    let reb = rebufferS[d] as number;
    if (buf < dt) {
      reb += dt - buf;
      buf = 0;
    } else {
      buf -= dt;
    }
    const kbps = bitratesKbps[q] as number;
    const next = d + 1;
    bufferS[next] = buf + (segmentS[d] as number);
    rebufferS[next] = reb;
    bitrateSum[next] = (bitrateSum[d] as number) + kbps;
    switchSum[next] = (switchSum[d] as number) + Math.abs(kbps - (bitratesKbps[lastRung[d] as number] as number));
    lastRung[next] = q;
    choice[next] = 0;
    d = next;
  }
  return { index: best, reward: maxReward };
}
