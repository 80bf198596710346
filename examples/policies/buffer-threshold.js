// @ts-check
/**
 * The plain-JavaScript twin of buffer-threshold.ts (same rule, same defaults): for users who do not write
 * TypeScript. JSDoc types give editors the same checking. Run it with
 *
 *   npm run abrlab -- sim --trace traces/step-down.json --video traces/videos/reference-10min.json \
 *     --policy ./examples/policies/buffer-threshold.js
 *
 * See buffer-threshold.ts for the contract; in short: export a factory `(params) => AbrPolicy` as `default` (or
 * `createPolicy`), and answer `chooseRepresentation(ctx)` with `{ index, reason }`, using only what `ctx` holds.
 *
 * @typedef {import('../../src/abr/types.js').AbrContext} AbrContext
 * @typedef {import('../../src/abr/types.js').AbrDecision} AbrDecision
 * @typedef {import('../../src/abr/types.js').AbrPolicy} AbrPolicy
 * @typedef {{ lowBufferMs: number, highBufferMs: number, safetyFactor: number }} BufferThresholdParams
 */

/** @type {BufferThresholdParams} */
export const defaultParams = {
  lowBufferMs: 10_000, // below this buffer level, ms: the lowest rung
  highBufferMs: 20_000, // at or above it, ms: the best rung the throughput sustains
  safetyFactor: 0.8, // fraction of the throughput estimate a rung may use
};

/**
 * Highest rung at or below `ctx.maxIndex` whose bitrate fits `budgetKbps`; the lowest if none does.
 * @param {AbrContext} ctx
 * @param {number} budgetKbps
 * @returns {number}
 */
export function bestFit(ctx, budgetKbps) {
  const reps = ctx.catalog.representations;
  for (let i = Math.min(ctx.maxIndex, reps.length - 1); i > 0; i--) {
    if ((reps[i]?.bitrateKbps ?? Infinity) <= budgetKbps) return i;
  }
  return 0;
}

/**
 * @param {Partial<BufferThresholdParams>} [params]
 * @returns {AbrPolicy}
 */
export default function createPolicy(params = {}) {
  // Merge with the defaults and check, so a typo fails loudly instead of running a different experiment.
  for (const key of Object.keys(params)) {
    if (!(key in defaultParams)) throw new Error(`unknown param "${key}"; known: ${Object.keys(defaultParams).join(', ')}`);
  }
  /** @type {BufferThresholdParams} */
  const p = { ...defaultParams, ...params };
  for (const [key, value] of Object.entries(p)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${key} must be a number, got ${String(value)}`);
  }
  if (p.lowBufferMs > p.highBufferMs) throw new Error('lowBufferMs must not exceed highBufferMs');
  if (!(p.safetyFactor > 0 && p.safetyFactor <= 1)) throw new Error('safetyFactor must be in (0, 1]');

  return {
    name: 'buffer-threshold',
    /** @param {AbrContext} ctx @returns {AbrDecision} */
    chooseRepresentation(ctx) {
      if (ctx.throughputKbps === undefined) return { index: 0, reason: 'buffer-threshold:no-estimate' };
      if (ctx.bufferMs < p.lowBufferMs) return { index: 0, reason: 'buffer-threshold:low-buffer' };
      const fit = bestFit(ctx, p.safetyFactor * ctx.throughputKbps);
      if (ctx.bufferMs < p.highBufferMs) return { index: Math.max(0, fit - 1), reason: 'buffer-threshold:mid-buffer' };
      return { index: fit, reason: 'buffer-threshold:high-buffer' };
    },
  };
}
