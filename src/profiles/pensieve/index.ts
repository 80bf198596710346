/**
 * The `pensieve` compatibility profile: Pensieve's chunk-level test simulator (Mao et al., "Neural Adaptive Video
 * Streaming with Pensieve", SIGCOMM 2017; `test/fixed_env.py` + the loop of `test/bb.py` / `test/mpc.py`),
 * reproduced exactly, driving abrlab's own policies (src/abr) through AbrPolicy. See
 * shared/conformance/pensieve/MODEL.md for the model and its quirks.
 *
 * - `runPensieveSession`: one trace, one policy → SessionResult (the `abrlab sim --profile pensieve` output).
 * - `runPensieveBatch`: a directory (or list) of traces in name order, as one Pensieve test run: the logged time
 *   stamps are cumulative across the run, and a policy INSTANCE given as `policy` is shared by all sessions (the
 *   original robust MPC's error-history leak); names and factories give every trace a fresh policy (the
 *   "reset" variant of the reference logs).
 */
import type { AbrPolicy } from '../../abr/types.js';
import type { SessionResult } from '../../qoe/types.js';
import { parsePensieveConfig, type PensieveConfig, type PensieveConfigInput } from './config.js';
import { PensieveEnv } from './env.js';
import { listTraceFiles, readCookedTrace, readPensieveVideo, type CookedTrace, type PensieveVideo } from './files.js';
import { pensieveSessionResult } from './result.js';
import { pensieveCatalog, resolvePensievePolicy, simulatePensieveSession, type PensievePolicySpec, type PensieveRun } from './session.js';

export { parsePensieveConfig, pensieveConfigSchema, PENSIEVE_POLICY_PARAMS } from './config.js';
export type { PensieveConfig, PensieveConfigInput } from './config.js';
export { PensieveEnv, type PensieveStep } from './env.js';
export { listTraceFiles, parseCookedTrace, parseVideoSizes, readCookedTrace, readPensieveVideo } from './files.js';
export type { CookedTrace, PensieveVideo } from './files.js';
export { pensieveChunkRows, pensieveMetrics, pensieveSessionResult, type PensieveChunkRow } from './result.js';
export { pensieveCatalog, resolvePensievePolicy, simulatePensieveSession } from './session.js';
export type { PensievePolicySpec, PensieveRun } from './session.js';

export interface PensieveCommonOptions {
  /** Video: a directory holding `video_size_0..<levels−1>`, or sizes already read. */
  video: string | PensieveVideo;
  /** A built-in policy name (`bb`, `robust-mpc`, ...), a factory, or an instance. */
  policy: PensievePolicySpec;
  /** Params for a named policy or a factory (override the profile's Pensieve params). */
  policyParams?: Record<string, unknown>;
  /** Simulator constants (defaults: fixed_env's). */
  config?: PensieveConfigInput;
  /** Plan MPC chunk k with its own size instead of mpc.py's k+1 (Pensieve PR #52's fix). */
  fixMpcOffByOne?: boolean;
}

export interface PensieveSessionOptions extends PensieveCommonOptions {
  /** Trace: a cooked file path, or samples already read. */
  trace: string | CookedTrace;
}

export interface PensieveBatchOptions extends PensieveCommonOptions {
  /** A directory of cooked traces (run in name order), or files / traces in run order. */
  traces: string | readonly (string | CookedTrace)[];
}

export interface PensieveBatchResult {
  sessions: SessionResult[];
  /** Raw per-chunk columns of each session, same order. */
  runs: PensieveRun[];
  /** Mean over sessions of the total reward (all chunks): MODEL.md's headline figure. */
  meanTotalReward: number;
}

interface Prepared {
  config: PensieveConfig;
  video: PensieveVideo;
  videoName: string;
  env: PensieveEnv;
  catalog: ReturnType<typeof pensieveCatalog>;
}

function prepare(opts: PensieveCommonOptions): Prepared {
  const config = parsePensieveConfig(opts.config ?? {});
  const video = typeof opts.video === 'string' ? readPensieveVideo(opts.video, config.bitratesKbps.length) : opts.video;
  const videoName = typeof opts.video === 'string' ? opts.video : video.name;
  const catalog = pensieveCatalog(config, video, videoName);
  return { config, video, videoName, env: new PensieveEnv(config, video), catalog };
}

const loadTrace = (t: string | CookedTrace): CookedTrace => (typeof t === 'string' ? readCookedTrace(t) : t);

/** One session: `trace` × `video` × `policy`, as `abrlab sim --profile pensieve --json` prints it. */
export function runPensieveSession(opts: PensieveSessionOptions): SessionResult {
  const p = prepare(opts);
  const policy = resolvePensievePolicy(opts.policy, opts.policyParams, opts.fixMpcOffByOne);
  const run = simulatePensieveSession({ env: p.env, config: p.config, catalog: p.catalog, trace: loadTrace(opts.trace), policy });
  return pensieveSessionResult(run, p.config, { video: p.videoName });
}

/** A Pensieve test run over many traces (see the module comment for policy sharing and time stamps). */
export function runPensieveBatch(opts: PensieveBatchOptions): PensieveBatchResult {
  const p = prepare(opts);
  const sources = typeof opts.traces === 'string' ? listTraceFiles(opts.traces) : opts.traces;
  const shared: AbrPolicy | undefined = typeof opts.policy === 'object' ? opts.policy : undefined;
  const sessions: SessionResult[] = [];
  const runs: PensieveRun[] = [];
  let timeStampMs = 0;
  let rewardSum = 0;
  for (const source of sources) {
    const trace = loadTrace(source);
    const policy = shared ?? resolvePensievePolicy(opts.policy, opts.policyParams, opts.fixMpcOffByOne);
    const run = simulatePensieveSession({ env: p.env, config: p.config, catalog: p.catalog, trace, policy, startTimeStampMs: timeStampMs });
    if (run.timeStampMs.length > 0) timeStampMs = run.timeStampMs[run.timeStampMs.length - 1] as number;
    const result = pensieveSessionResult(run, p.config, { video: p.videoName });
    rewardSum += result.compat?.['totalReward'] as number;
    sessions.push(result);
    runs.push(run);
  }
  return { sessions, runs, meanTotalReward: sessions.length > 0 ? rewardSum / sessions.length : 0 };
}
