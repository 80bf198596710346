import { resolve } from 'node:path';
import { resolvePolicyFactory } from '../abr/load-policy.js';
import type { LiveFlags } from '../cli/live.js';
import { InputError } from '../core/errors.js';
import { sToMs } from '../core/units.js';
import { loadTraceFile } from '../net/formats/index.js';
import { runLiveSession, type LiveOutcome } from './run-live.js';
import { writeLiveResults } from './write-live.js';

/** Runs `abrlab live` and writes its results directory. */
export async function runLiveFromFlags(url: string, flags: LiveFlags): Promise<{ outDir: string; outcome: LiveOutcome }> {
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new InputError(`"${url}" is not a URL; give the manifest's http(s) URL`, { field: 'url' });
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    throw new InputError(`only http and https URLs are supported, got ${parsedUrl.protocol}`, { field: 'url' });
  }
  const [policy, trace] = await Promise.all([
    resolvePolicyFactory(flags.policy),
    flags.trace === undefined ? undefined : loadTraceFile(flags.trace),
  ]);
  const outcome = await runLiveSession({
    url,
    cdnUrls: flags.cdn,
    policy: policy.factory(flags.param),
    player: flags.set,
    seed: flags.seed,
    ...(flags.duration === undefined ? {} : { watchMs: sToMs(flags.duration) }),
    ...(flags.save === undefined ? {} : { saveDir: resolve(flags.save) }),
    ...(trace === undefined ? {} : { trace }),
    ...(flags.targetLatency === undefined ? {} : { live: { targetLatencyMs: sToMs(flags.targetLatency) } }),
  });
  const outDir = resolve(flags.out ?? `reports/live-${outcome.result.video}`);
  const command = commandLine(url, flags);
  await writeLiveResults({ outDir, outcome, command, url });
  return { outDir, outcome };
}

/** The command line that reproduces this run, from the flags as parsed. */
function commandLine(url: string, f: LiveFlags): string {
  const parts = ['abrlab', 'live', url, '--policy', f.policy, '--seed', f.seed];
  if (f.duration !== undefined) parts.push('--duration', String(f.duration));
  if (f.targetLatency !== undefined) parts.push('--target-latency', String(f.targetLatency));
  for (const c of f.cdn) parts.push('--cdn', c);
  if (f.trace !== undefined) parts.push('--trace', f.trace);
  if (f.out !== undefined) parts.push('--out', f.out);
  if (f.save !== undefined) parts.push('--save', f.save);
  for (const [k, v] of Object.entries(f.param)) parts.push('--param', `${k}=${JSON.stringify(v)}`);
  for (const [k, v] of Object.entries(f.set)) parts.push('--set', `${k}=${JSON.stringify(v)}`);
  return parts.join(' ');
}
