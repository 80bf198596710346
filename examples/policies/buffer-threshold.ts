/**
 * Example user policy for abrlab: "buffer thresholds over a throughput fit". Copy this file, change the rule,
 * and run it with
 *
 *   npm run abrlab -- sim --trace traces/step-down.json --video traces/videos/reference-10min.json \
 *     --policy ./examples/policies/buffer-threshold.ts --param lowBufferMs=8000
 *
 * or list its path under `policies:` in a scenario (relative to the scenario file).
 *
 * The contract (src/abr/types.ts):
 * - The module exports a FACTORY, as `default` or as `createPolicy`: `(params) => AbrPolicy`. abrlab calls it
 *   once per session, so a policy may keep state in its closure without leaking it between sessions.
 * - `chooseRepresentation(ctx)` returns `{ index, reason }`: `index` into `ctx.catalog.representations`
 *   (ascending bitrate), `reason` a short label that ends up in telemetry and reports.
 * - Everything comes in through `ctx` (buffer in ms, throughput estimate in kbps, the device cap `maxIndex`,
 *   the clock in `ctx.nowMs`). Do not read the wall clock or Math.random: runs must repeat exactly.
 * - Optional hooks: `shouldAbandon(ctx, progress)`, `onDownload(record, ctx)`, `onEvent(event, ctx)`.
 *
 * The rule (three buffer bands, in the spirit of BBA and the reference controller):
 * - buffer below `lowBufferMs`: the lowest rung, to refill as fast as possible;
 * - between `lowBufferMs` and `highBufferMs`: one rung below what the throughput sustains;
 * - above `highBufferMs`: the highest rung whose bitrate fits `safetyFactor` × the throughput estimate.
 */
import type { AbrContext, AbrDecision, AbrPolicy } from '../../src/abr/types.js';

export interface BufferThresholdParams {
  /** Below this buffer level, ms, play the lowest rung. */
  lowBufferMs: number;
  /** At or above this buffer level, ms, play the best rung the throughput sustains. */
  highBufferMs: number;
  /** Fraction of the throughput estimate a rung may use (0 < f ≤ 1). */
  safetyFactor: number;
}

export const defaultParams: BufferThresholdParams = {
  lowBufferMs: 10_000,
  highBufferMs: 20_000,
  safetyFactor: 0.8,
};

/** Highest rung at or below `maxIndex` whose bitrate fits `budgetKbps`; the lowest if none does. */
export function bestFit(ctx: AbrContext, budgetKbps: number): number {
  const reps = ctx.catalog.representations;
  for (let i = Math.min(ctx.maxIndex, reps.length - 1); i > 0; i--) {
    if ((reps[i]?.bitrateKbps ?? Infinity) <= budgetKbps) return i;
  }
  return 0;
}

export default function createPolicy(params: Partial<BufferThresholdParams> = {}): AbrPolicy {
  // Params arrive from the CLI (`--param k=v`) or a scenario: merge with the defaults and check them, so a
  // typo fails loudly instead of running a different experiment.
  for (const key of Object.keys(params)) {
    if (!(key in defaultParams)) throw new Error(`unknown param "${key}"; known: ${Object.keys(defaultParams).join(', ')}`);
  }
  const p: BufferThresholdParams = { ...defaultParams, ...params };
  for (const key of Object.keys(p) as (keyof BufferThresholdParams)[]) {
    if (typeof p[key] !== 'number' || !Number.isFinite(p[key])) throw new Error(`${key} must be a number, got ${String(p[key])}`);
  }
  if (p.lowBufferMs > p.highBufferMs) throw new Error('lowBufferMs must not exceed highBufferMs');
  if (!(p.safetyFactor > 0 && p.safetyFactor <= 1)) throw new Error('safetyFactor must be in (0, 1]');

  return {
    name: 'buffer-threshold',
    chooseRepresentation(ctx: AbrContext): AbrDecision {
      // No estimate yet (first segment): start low, the first download will tell us more.
      if (ctx.throughputKbps === undefined) return { index: 0, reason: 'buffer-threshold:no-estimate' };
      if (ctx.bufferMs < p.lowBufferMs) return { index: 0, reason: 'buffer-threshold:low-buffer' };
      const fit = bestFit(ctx, p.safetyFactor * ctx.throughputKbps);
      if (ctx.bufferMs < p.highBufferMs) return { index: Math.max(0, fit - 1), reason: 'buffer-threshold:mid-buffer' };
      return { index: fit, reason: 'buffer-threshold:high-buffer' };
    },
  };
}
