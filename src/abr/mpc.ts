/**
 * Model predictive control: Yin, Jindal, Sekar, Sinopoli, "A Control-Theoretic Approach for Dynamic Adaptive
 * Video Streaming over HTTP", SIGCOMM 2015. Three variants:
 * - `mpc`: predict throughput as the harmonic mean of the last 5 samples, then enumerate every rung sequence
 *   over the next `horizon` (5) segments and play the first rung of the best one.
 * - `robust-mpc`: the same with the prediction divided by 1 + the largest relative prediction error of the last 5
 *   samples (RobustMPC).
 * - `fast-mpc`: the same plan read from a table indexed by discretised (buffer, throughput, last rung) (FastMPC);
 *   see `FastMpcTable` for the bins.
 *
 * Constants and arithmetic are those of Pensieve's `test/mpc.py` (Mao et al., SIGCOMM 2017), so the pensieve
 * profile reproduces its logs to the last bit: throughput sample = `bytes / elapsedMs / 1000` (MB/s, decimal; the
 * elapsed time includes the request latency: Pensieve's `delay` with its 80 ms RTT), harmonic mean accumulated
 * oldest first, planned download time `(bytes / 1e6) / MBps` s (no latency), rebuffer when it exceeds the buffer,
 * no buffer cap in the plan (mpc.py has none; the player enforces its own),
 * objective `Σ kbps/1000 − 4.3 Σ rebuffer_s − Σ |Δkbps|/1000` with Δ starting from the rung just downloaded, ties
 * to the LAST best sequence in lexicographic order (`>=`), and a best-reward floor of −1e8. The planner's internal
 * units (s, MB/s) are mpc.py's; its inputs are abrlab's (`ctx.bufferMs`, `DownloadRecord` bytes and ms).
 * mpc.py's off-by-one (segment k planned with the size of k+1) is `sizeIndexOffset: 1`, which the pensieve profile
 * sets; the default 0 plans each segment with its own size. The search itself (exact, with shared prefixes and
 * branch and bound) is in src/abr/mpc-search.ts.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { msToS, nominalSegmentBytes } from '../core/units.js';
import type { Catalog, Representation } from '../origin/catalog.js';
import type { AbrContext, AbrDecision, AbrPolicy, DownloadRecord } from './types.js';
import { MpcScratch, planMpc } from './mpc-search.js';

export { MpcScratch, planMpc, planMpcExhaustive, type MpcPlanInput } from './mpc-search.js';

export const mpcParamsSchema = z
  .object({
    horizon: z.number().int().min(1).max(8).default(5).describe('Segments planned ahead (Yin et al. / mpc.py: 5)'),
    throughputWindow: z.number().int().min(1).default(5).describe('Samples in the harmonic-mean prediction (mpc.py: last 5)'),
    errorWindow: z.number().int().min(1).default(5).describe('RobustMPC: prediction errors whose max discounts the estimate (mpc.py: 5)'),
    rebufferPenaltyPerS: z.number().nonnegative().default(4.3).describe('Objective cost of one rebuffer second, in Mbps units (mpc.py REBUF_PENALTY: 4.3)'),
    switchPenalty: z.number().nonnegative().default(1).describe('Objective weight of |Δ bitrate| in Mbps (mpc.py: 1)'),
    sizeIndexOffset: z
      .number()
      .int()
      .min(0)
      .max(1)
      .default(0)
      .describe('Plan segment k with the size of k + offset; 1 reproduces Pensieve mpc.py\'s off-by-one (sizes past the end count 0)'),
    startIndex: z.number().int().min(0).default(0).describe('Rung before any throughput sample (capped by the ladder and device)'),
    bufferBinMs: z.number().positive().default(500).describe('fast-mpc: buffer bin width, ms (table cell value at the bin\'s lower edge)'),
    throughputBinRatio: z.number().gt(1).default(1.05).describe('fast-mpc: ratio between consecutive throughput bin edges (5 % bins)'),
    throughputBinMinKbps: z.number().positive().default(10).describe('fast-mpc: lower edge of the first throughput bin, kbps'),
  })
  .strict();

export type MpcParams = z.output<typeof mpcParamsSchema>;
export type MpcParamsInput = z.input<typeof mpcParamsSchema>;
export type MpcVariant = 'mpc' | 'robust-mpc' | 'fast-mpc';

export function parseMpcParams(input: unknown, policyName: string): MpcParams {
  const parsed = mpcParamsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError(issue?.message ?? 'invalid policy params', { field: `policy.${policyName}${path ? `.${path}` : ''}` });
  }
  return parsed.data;
}

/** Request to last byte of a download, ms (latency included). */
export function elapsedOf(r: DownloadRecord): number {
  return r.elapsedMs ?? r.doneMs - r.requestMs;
}

/**
 * Harmonic mean, MB/s, of the throughput of the last `window` records (oldest first, mpc.py's order); records
 * without bytes or time are skipped (mpc.py skips its leading empty slots). Undefined with no usable record.
 */
export function harmonicMeanMBps(history: readonly DownloadRecord[], window: number): number | undefined {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, history.length - window); i < history.length; i++) {
    const r = history[i] as DownloadRecord;
    const ms = elapsedOf(r);
    if (!(r.bytes > 0) || !(ms > 0)) continue;
    sum += 1 / (r.bytes / ms / 1000);
    n++;
  }
  return n === 0 ? undefined : 1.0 / (sum / n);
}

/**
 * FastMPC's decision table (Yin et al. 2015), keyed by (horizon, top rung, last rung, buffer bin, throughput bin).
 * Bins (our choice; the paper leaves them to the implementer): buffer in `bufferBinMs` steps from 0; throughput
 * geometric, edges `throughputBinMinKbps · ratio^i` (5 % wide by default, so the tabled prediction is at most 5 %
 * below the live one); each cell holds the MPC plan solved at the bin's LOWER edges (conservative) with CBR
 * sizes (`bitrate × segment duration`), as the paper's table cannot depend on per-segment sizes. Cells are solved
 * the first time they are looked up: the decisions are exactly those of the fully precomputed table, without
 * paying for cells a session never visits.
 */
export class FastMpcTable {
  private readonly cells = new Map<number, number>();
  private catalog: Catalog | undefined;
  private bitrates = new Float64Array(0);

  constructor(
    private readonly params: MpcParams,
    private readonly scratch: MpcScratch,
  ) {}

  lookup(input: { catalog: Catalog; top: number; lastRung: number; horizon: number; bufferMs: number; throughputKbps: number }): number {
    const { catalog, top, horizon } = input;
    if (catalog !== this.catalog) {
      this.cells.clear();
      this.catalog = catalog;
      this.bitrates = Float64Array.from(catalog.representations, (r) => r.bitrateKbps);
    }
    const p = this.params;
    const bBin = Math.min(4095, Math.max(0, Math.floor(input.bufferMs / p.bufferBinMs)));
    const ratioLog = Math.log(p.throughputBinRatio);
    const tRaw = Math.floor(Math.log(input.throughputKbps / p.throughputBinMinKbps) / ratioLog);
    const tBin = Math.min(4095, Math.max(0, Number.isFinite(tRaw) ? tRaw : 0));
    // Six bits each for the top and last rung (ladders of up to 64 rungs; 64^5 sequences would not be solvable anyway).
    const lastRung = Math.min(Math.max(input.lastRung, 0), 63);
    const key = (((horizon * 64 + top) * 64 + lastRung) * 4096 + bBin) * 4096 + tBin;
    const hit = this.cells.get(key);
    if (hit !== undefined) return hit;

    const rungs = top + 1;
    const MBps = (p.throughputBinMinKbps * Math.pow(p.throughputBinRatio, tBin)) / 8000;
    const s = this.scratch;
    s.ensureRungs(horizon, rungs);
    for (let d = 0; d < horizon; d++) {
      s.segmentS[d] = msToS(catalog.segmentDurationMs);
      for (let q = 0; q < rungs; q++) {
        const bytes = nominalSegmentBytes(this.bitrates[q] as number, catalog.segmentDurationMs);
        s.downloadS[d * rungs + q] = bytes / 1e6 / MBps;
      }
    }
    const plan = planMpc(s, {
      horizon,
      rungs,
      startBufferS: msToS(bBin * p.bufferBinMs),
      lastRung,
      bitratesKbps: this.bitrates,
      rebufferPenaltyPerS: p.rebufferPenaltyPerS,
      switchPenalty: p.switchPenalty,
    });
    const index = plan.index < 0 ? 0 : plan.index;
    this.cells.set(key, index);
    return index;
  }

  /** Cells solved so far (for tests and telemetry). */
  get size(): number {
    return this.cells.size;
  }
}

/** MPC / RobustMPC / FastMPC as one AbrPolicy; one instance per session (RobustMPC keeps its error history). */
export class MpcPolicy implements AbrPolicy {
  readonly params: MpcParams;
  private readonly scratch: MpcScratch;
  private bitrates = new Float64Array(8);
  private table: FastMpcTable | undefined;
  /** RobustMPC: relative prediction errors, a ring of the last `errorWindow`. */
  private readonly errors: Float64Array;
  private errorCount = 0;
  /** Previous undiscounted harmonic estimate, MB/s (mpc.py's `past_bandwidth_ests[-1]`), NaN before any. */
  private lastEstimateMBps = Number.NaN;
  /** Identity of the newest record already turned into an error sample. */
  private seenSegment = -1;
  private seenRequestMs = Number.NaN;
  private seenDoneMs = Number.NaN;
  /** mpc.py's `send_data`: kept when no sequence clears the reward floor. */
  private lastChoice = 0;
  /** Decision reasons, built once (no string building per decision). */
  private readonly reasons: { noSample: string; end: string; plan: string; belowFloor: string };

  constructor(
    readonly name: MpcVariant,
    params: MpcParamsInput | Readonly<Record<string, unknown>> = {},
  ) {
    this.params = parseMpcParams(params, name);
    this.scratch = new MpcScratch(this.params.horizon, 8);
    this.errors = new Float64Array(this.params.errorWindow);
    this.reasons = { noSample: `${name}:no-sample`, end: `${name}:end`, plan: `${name}:plan`, belowFloor: `${name}:below-floor` };
  }

  chooseRepresentation(ctx: AbrContext): AbrDecision {
    const p = this.params;
    const catalog = ctx.catalog;
    const reps = catalog.representations;
    const top = Math.max(0, Math.min(ctx.maxIndex, reps.length - 1));
    const harmonic = harmonicMeanMBps(ctx.history, p.throughputWindow);
    if (harmonic === undefined) return { index: Math.min(p.startIndex, top), reason: this.reasons.noSample };

    let predicted = harmonic;
    if (this.name === 'robust-mpc') {
      this.recordError(ctx.history);
      predicted = harmonic / (1 + this.maxError());
    }
    this.lastEstimateMBps = harmonic;

    const horizon = Math.min(p.horizon, catalog.segmentCount - ctx.segmentIndex);
    if (horizon <= 0) return { index: 0, reason: this.reasons.end };
    const lastRung = Math.min(Math.max(ctx.lastIndex, 0), reps.length - 1);

    if (this.name === 'fast-mpc') {
      this.table ??= new FastMpcTable(p, this.scratch);
      const index = this.table.lookup({ catalog, top, lastRung, horizon, bufferMs: ctx.bufferMs, throughputKbps: predicted * 8000 });
      return { index, reason: 'fast-mpc:table' };
    }

    const rungs = top + 1;
    if (this.bitrates.length < reps.length) this.bitrates = new Float64Array(reps.length);
    for (let i = 0; i < reps.length; i++) this.bitrates[i] = (reps[i] as Representation).bitrateKbps;
    const s = this.scratch;
    s.ensureRungs(horizon, rungs);
    for (let d = 0; d < horizon; d++) {
      const seg = ctx.segmentIndex + d;
      const sizeAt = seg + p.sizeIndexOffset;
      s.segmentS[d] = msToS(catalog.segmentDurationAt(Math.min(seg, catalog.segmentCount - 1)));
      for (let q = 0; q < rungs; q++) {
        const sizes = catalog.sizesBytes[q] as Float64Array;
        // mpc.py's get_chunk_size: 0 past the end of its table.
        const bytes = sizeAt < sizes.length ? (sizes[sizeAt] as number) : 0;
        s.downloadS[d * rungs + q] = bytes / 1000000 / predicted;
      }
    }
    const plan = planMpc(s, {
      horizon,
      rungs,
      startBufferS: msToS(ctx.bufferMs),
      lastRung,
      bitratesKbps: this.bitrates,
      rebufferPenaltyPerS: p.rebufferPenaltyPerS,
      switchPenalty: p.switchPenalty,
    });
    if (plan.index < 0) return { index: Math.min(this.lastChoice, top), reason: this.reasons.belowFloor };
    this.lastChoice = plan.index;
    return { index: plan.index, reason: this.reasons.plan };
  }

  /**
   * mpc.py: after each download, error = |previous estimate − new sample| / new sample (0 before any estimate).
   * Only a record not seen before adds an error, so repeated calls without a download change nothing.
   */
  private recordError(history: readonly DownloadRecord[]): void {
    const r = history[history.length - 1];
    if (r === undefined) return;
    if (r.segmentIndex === this.seenSegment && r.requestMs === this.seenRequestMs && r.doneMs === this.seenDoneMs) return;
    this.seenSegment = r.segmentIndex;
    this.seenRequestMs = r.requestMs;
    this.seenDoneMs = r.doneMs;
    const ms = elapsedOf(r);
    if (!(r.bytes > 0) || !(ms > 0)) return;
    const sample = r.bytes / ms / 1000;
    const err = Number.isNaN(this.lastEstimateMBps) ? 0 : Math.abs(this.lastEstimateMBps - sample) / sample;
    this.errors[this.errorCount % this.errors.length] = err;
    this.errorCount++;
  }

  private maxError(): number {
    const n = Math.min(this.errorCount, this.errors.length);
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, this.errors[i] as number);
    return m;
  }
}

export const createMpc = (params: MpcParamsInput | Readonly<Record<string, unknown>> = {}): MpcPolicy => new MpcPolicy('mpc', params);
export const createRobustMpc = (params: MpcParamsInput | Readonly<Record<string, unknown>> = {}): MpcPolicy =>
  new MpcPolicy('robust-mpc', params);
export const createFastMpc = (params: MpcParamsInput | Readonly<Record<string, unknown>> = {}): MpcPolicy =>
  new MpcPolicy('fast-mpc', params);
