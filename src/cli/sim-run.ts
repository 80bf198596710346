import { InputError } from '../core/errors.js';
import { resolvePolicyFactory } from '../abr/load-policy.js';
import { loadTraceFile } from '../net/formats/index.js';
import { REFERENCE_CDNS } from '../origin/cdn.js';
import { parseFaultsFlag } from '../origin/faults.js';
import { loadCatalogFile } from '../origin/load-catalog.js';
import type { SessionResult, SessionResultWithTimeline } from '../qoe/types.js';
import { detectProfile } from './detect-profile.js';
import { simulateSession } from '../sim/simulate.js';
import type { SimFlags } from './sim.js';

/**
 * Runs `abrlab sim`. `--profile auto` picks the compatibility profile from the inputs: a directory of
 * `video_size_N` files means Pensieve; a Sabre movie JSON (`segment_duration_ms`) means Sabre; else the fluid model.
 */
export async function runSim(flags: SimFlags): Promise<SessionResult | SessionResultWithTimeline> {
  const profile = flags.profile === 'auto' ? await detectProfile(flags.video) : flags.profile;
  if (profile === 'pensieve') {
    const { runPensieveSession } = await import('../profiles/pensieve/index.js');
    const policy = await resolvePolicyFactory(flags.policy);
    const isBuiltin = policy.name === flags.policy;
    return runPensieveSession({
      trace: flags.trace,
      video: flags.video,
      policy: isBuiltin ? flags.policy : policy.factory,
      policyParams: flags.param,
    });
  }
  if (profile === 'sabre') {
    const { runSabreFromFiles, parseSabreFlags } = await import('../profiles/sabre/index.js');
    const policy = await resolvePolicyFactory(flags.policy);
    const isBuiltin = policy.name === flags.policy;
    return runSabreFromFiles({
      trace: flags.trace,
      video: flags.video,
      policy: isBuiltin ? flags.policy : policy.factory,
      policyParams: flags.param,
      ...(flags.sabreFlags === undefined ? {} : { options: parseSabreFlags(flags.sabreFlags).options }),
    });
  }
  const [trace, catalog, policy] = await Promise.all([
    loadTraceFile(flags.trace, flags.traceFormat === undefined ? {} : { format: flags.traceFormat as never }),
    loadCatalogFile(flags.video),
    resolvePolicyFactory(flags.policy),
  ]);
  const faults = flags.faults === undefined ? [] : parseFaultsFlag(flags.faults);
  const cdns = flags.cdns === 'reference' ? REFERENCE_CDNS : [];
  return simulateSession({
    trace,
    catalog,
    policy: policy.factory(flags.param),
    player: flags.set,
    seed: flags.seed,
    ...(flags.latencyMs === undefined ? {} : { latencyMs: flags.latencyMs }),
    ...(faults.length === 0 && cdns.length === 0 ? {} : { delivery: { faults, cdns } }),
    ...(flags.startupFlow === undefined ? {} : { startupFlow: { mode: flags.startupFlow } }),
    ...(flags.telemetry === undefined ? {} : { telemetry: true }),
  });
}
