import { InputError } from '../core/errors.js';
import { resolvePolicyFactory } from '../abr/load-policy.js';
import { loadTraceFile } from '../net/formats/index.js';
import { loadCatalogFile } from '../origin/load-catalog.js';
import type { SessionResultWithTimeline } from '../qoe/types.js';
import { simulateSession } from '../sim/simulate.js';
import type { SimFlags } from './sim.js';

/** Runs `abrlab sim` for the fluid profile (compatibility profiles are dispatched from here too). */
export async function runSim(flags: SimFlags): Promise<SessionResultWithTimeline> {
  const profile = flags.profile === 'auto' ? 'fluid' : flags.profile;
  if (profile !== 'fluid') {
    throw new InputError(`profile "${profile}" is not wired into the CLI yet`, { field: '--profile' });
  }
  const [trace, catalog, policy] = await Promise.all([
    loadTraceFile(flags.trace, flags.traceFormat === undefined ? {} : { format: flags.traceFormat as never }),
    loadCatalogFile(flags.video),
    resolvePolicyFactory(flags.policy),
  ]);
  return simulateSession({
    trace,
    catalog,
    policy: policy.factory(flags.param),
    player: flags.set,
    seed: flags.seed,
    ...(flags.latencyMs === undefined ? {} : { latencyMs: flags.latencyMs }),
  });
}
