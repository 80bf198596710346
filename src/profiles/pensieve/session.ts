/**
 * The session loop of Pensieve's test scripts (`test/bb.py`, `test/mpc.py`; Mao et al., SIGCOMM 2017) driving an
 * abrlab AbrPolicy through fixed_env:
 *
 * - chunk 0 is always `defaultQuality` (1, 750 kbps) and is not a policy decision;
 * - after every chunk: reward = kbps/1000 − 4.3·rebuffer_s − 1·|Δkbps|/1000 (Δ from the previous chunk, from the
 *   default quality for chunk 0), time_stamp += delay + reported sleep, then the policy decides the next chunk;
 * - the decision after the last chunk is still asked for (mpc.py updates its error history there) and discarded.
 *
 * A policy's `delayMs` is ignored: the simulator has no idle time except its buffer-cap sleep.
 */
import { harmonicMeanKbps } from '../../abr/rate-based.js';
import { createBuiltinPolicy } from '../../abr/registry.js';
import type { AbrPolicy, AbrPolicyFactory, DownloadRecord } from '../../abr/types.js';
import { InputError } from '../../core/errors.js';
import type { Catalog, Representation } from '../../origin/catalog.js';
import { PENSIEVE_POLICY_PARAMS, type PensieveConfig } from './config.js';
import { PensieveContext } from './context.js';
import { PensieveEnv } from './env.js';
import type { CookedTrace, PensieveVideo } from './files.js';

/** Per-chunk columns of one session, in the simulator's units. */
export interface PensieveRun {
  trace: string;
  policy: string;
  quality: Int32Array;
  chunkBytes: Float64Array;
  /** Download + RTT, ms. */
  delayMs: Float64Array;
  /** Sleep as fixed_env reports it (the residual), ms. */
  sleepMs: Float64Array;
  /** Buffer after the chunk and the sleep, ms. */
  bufferMs: Float64Array;
  rebufferMs: Float64Array;
  reward: Float64Array;
  /** Pensieve's logged `time_stamp`, ms, cumulative from `startTimeStampMs` (the start of the batch run). */
  timeStampMs: Float64Array;
  /** Session clock at each request, ms (Σ delay + sleep of the chunks before). */
  requestMs: Float64Array;
  /** Why the policy chose each chunk's quality (`pensieve:default-quality` for chunk 0). */
  reasons: string[];
}

export type PensievePolicySpec = string | AbrPolicy | AbrPolicyFactory;

/** The catalog policies see: Pensieve's ladder, `chunkCount` chunks of `chunkMs`, and every size line read. */
export function pensieveCatalog(config: PensieveConfig, video: PensieveVideo, source = video.name): Catalog {
  const levels = config.bitratesKbps.length;
  if (video.sizesBytes.length !== levels) {
    throw new InputError(`has ${video.sizesBytes.length} size files for ${levels} bitrates`, { file: source });
  }
  video.sizesBytes.forEach((sizes, q) => {
    if (sizes.length < config.chunkCount) {
      throw new InputError(`video_size_${q} has ${sizes.length} chunk sizes; the simulator plays ${config.chunkCount}`, { file: source });
    }
  });
  // Resolution is not part of Pensieve's data (only sizes): width and height are 0, codecs nominal.
  const representations: Representation[] = config.bitratesKbps.map((kbps, q) => ({
    id: `q${q}`,
    bitrateKbps: kbps,
    width: 0,
    height: 0,
    codecs: 'avc1.640028',
  }));
  const chunkMs = config.chunkMs;
  return {
    name: video.name,
    segmentDurationMs: chunkMs,
    segmentCount: config.chunkCount,
    durationMs: config.chunkCount * chunkMs,
    representations,
    // Longer than segmentCount on purpose: mpc.py reads the 49th size (its off-by-one), which is never played.
    sizesBytes: video.sizesBytes,
    segmentDurationAt: () => chunkMs,
  };
}

/**
 * A policy for one session: a built-in name (with the Pensieve params of PENSIEVE_POLICY_PARAMS unless
 * `fixMpcOffByOne`), a factory, or an instance (used as is: its state carries over between sessions, which is how
 * the original robust MPC leaks its error history from trace to trace).
 */
export function resolvePensievePolicy(spec: PensievePolicySpec, params: Record<string, unknown> = {}, fixMpcOffByOne = false): AbrPolicy {
  if (typeof spec === 'string') {
    const compat = fixMpcOffByOne ? {} : (PENSIEVE_POLICY_PARAMS[spec] ?? {});
    return createBuiltinPolicy(spec, { ...compat, ...params });
  }
  if (typeof spec === 'function') return spec(params);
  return spec;
}

/** Runs one session of `trace` through `env` (which is restarted on it) with `policy`. */
export function simulatePensieveSession(input: {
  env: PensieveEnv;
  config: PensieveConfig;
  catalog: Catalog;
  trace: CookedTrace;
  policy: AbrPolicy;
  startTimeStampMs?: number;
}): PensieveRun {
  const { env, config, catalog, trace, policy } = input;
  const n = config.chunkCount;
  const levels = config.bitratesKbps.length;
  const kbps = config.bitratesKbps;
  const run: PensieveRun = {
    trace: trace.name,
    policy: policy.name,
    quality: new Int32Array(n),
    chunkBytes: new Float64Array(n),
    delayMs: new Float64Array(n),
    sleepMs: new Float64Array(n),
    bufferMs: new Float64Array(n),
    rebufferMs: new Float64Array(n),
    reward: new Float64Array(n),
    timeStampMs: new Float64Array(n),
    requestMs: new Float64Array(n),
    reasons: new Array<string>(n),
  };
  const ctx = new PensieveContext(catalog, config.bufferThreshMs, levels - 1, config.linkRttMs);
  env.startSession(trace);

  let timeStamp = input.startTimeStampMs ?? 0;
  let sessionMs = 0;
  let bitRate = config.defaultQuality;
  let lastBitRate = config.defaultQuality;
  let reason = 'pensieve:default-quality';
  for (let k = 0; k < n; k++) {
    const requestMs = sessionMs;
    const step = env.step(bitRate);
    timeStamp += step.delayMs;
    timeStamp += step.sleepMs;
    sessionMs += step.delayMs;
    const doneMs = sessionMs;
    sessionMs += step.sleepMs;

    const rebufS = step.rebufferMs / 1000;
    const reward =
      (kbps[bitRate] as number) / 1000.0 -
      config.rebufferPenalty * rebufS -
      (config.smoothPenalty * Math.abs((kbps[bitRate] as number) - (kbps[lastBitRate] as number))) / 1000.0;

    run.quality[k] = bitRate;
    run.chunkBytes[k] = step.chunkBytes;
    run.delayMs[k] = step.delayMs;
    run.sleepMs[k] = step.sleepMs;
    run.bufferMs[k] = step.bufferMs;
    run.rebufferMs[k] = step.rebufferMs;
    run.reward[k] = reward;
    run.timeStampMs[k] = timeStamp;
    run.requestMs[k] = requestMs;
    run.reasons[k] = reason;

    const record: DownloadRecord = {
      segmentIndex: k,
      repIndex: bitRate,
      bytes: step.chunkBytes,
      requestMs,
      firstByteMs: requestMs + config.linkRttMs,
      doneMs,
      abandoned: false,
      elapsedMs: step.delayMs,
    };
    ctx.history.push(record);
    if (bitRate !== lastBitRate) ctx.lastSwitchMs = doneMs;
    lastBitRate = bitRate;
    ctx.nowMs = sessionMs;
    ctx.segmentIndex = k + 1;
    ctx.bufferMs = step.bufferMs;
    ctx.lastIndex = bitRate;
    ctx.throughputKbps = harmonicMeanKbps(ctx.history, 5);
    ctx.phase = step.endOfVideo ? 'ended' : 'playing';
    ctx.playheadMs = (k + 1) * config.chunkMs - step.bufferMs;
    policy.onDownload?.(record, ctx);

    const decision = policy.chooseRepresentation(ctx);
    if (!Number.isInteger(decision.index) || decision.index < 0 || decision.index >= levels) {
      throw new InputError(`policy "${policy.name}" chose representation ${decision.index} after chunk ${k}; valid: 0..${levels - 1}`);
    }
    bitRate = decision.index;
    reason = decision.reason;
  }
  return run;
}
