import { Command } from 'commander';
import { resolve } from 'node:path';
import type { LoadedScenario } from '../experiment/scenario.js';
import { parseIntFlag } from './options.js';

interface RunFlags {
  out?: string;
  quiet?: boolean;
  workers?: number;
  resume?: boolean;
  shard?: string;
  shardCount?: number;
  faults?: string;
}

/** `abrlab run [scenario]`: every session of a scenario → results.jsonl, summary.json, index.html. */
export function runCommand(): Command {
  return new Command('run')
    .description('run a scenario (default scenarios/quickstart.yaml) and write results and an HTML report')
    .argument('[scenario]', 'scenario file (YAML or JSON)', 'scenarios/quickstart.yaml')
    .option('--out <dir>', 'output directory (default reports/<scenario name>/, or reports/<name>/shard-<i>-of-<n>/ for a shard)')
    .option('--workers <n>', 'worker threads (default: every core; 0 = run in the main thread)', parseIntFlag)
    .option('--resume', 'continue an interrupted run in the output directory (finished sessions are kept, not re-run)')
    .option('--shard <i/n>', 'run only shard i of n (0-based); also from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID')
    .option('--shard-count <n>', 'shard count to go with JOB_COMPLETION_INDEX (else JOB_COMPLETION_COUNT) or SLURM_ARRAY_TASK_ID', parseIntFlag)
    .option('--faults <spec>', 'add fault rules to the scenario\'s, e.g. "503=0.02@oca,outage@oca=60-180" (seconds)')
    .option('--quiet', 'print nothing but errors (no progress bar)')
    .action(async (file: string, flags: RunFlags) => {
      const { InputError } = await import('../core/errors.js');
      const { loadScenarioFile } = await import('../experiment/scenario.js');
      const { runScenario } = await import('../experiment/run-scenario.js');
      const { resolveShard } = await import('../experiment/shard.js');
      if (flags.workers !== undefined && flags.workers < 0) throw new InputError(`--workers: expected 0 or more, got ${flags.workers}`);
      const shard = resolveShard({ ...(flags.shard === undefined ? {} : { shard: flags.shard }), ...(flags.shardCount === undefined ? {} : { shardCount: flags.shardCount }) }, process.env);
      const loaded = await withFaultsFlag(await loadScenarioFile(file), flags.faults);
      const name = loaded.scenario.name;
      const outDir = resolve(flags.out ?? (shard === undefined ? `reports/${name}` : `reports/${name}/shard-${shard.shard.index}-of-${shard.shard.count}`));
      // Only what decides the results goes into the recorded command, so every shard, worker count and output
      // folder records the same one (and merged shards equal the unsharded summary.json byte for byte).
      const command = `abrlab run ${file}${flags.faults === undefined ? '' : ` --faults ${JSON.stringify(flags.faults)}`}`;
      if (shard !== undefined && !flags.quiet) process.stderr.write(`shard ${shard.shard.index}/${shard.shard.count} (from ${shard.from})\n`);
      const outcome = await runScenario(loaded, {
        outDir,
        command,
        ...(flags.workers === undefined ? {} : { workers: flags.workers }),
        ...(flags.quiet ? { quiet: true } : {}),
        ...(flags.resume ? { resume: true } : {}),
        ...(shard === undefined ? {} : { shard: shard.shard }),
      });
      if (flags.quiet) return;
      const resumed = outcome.resumed > 0 ? ` (${outcome.resumed} from an earlier run)` : '';
      const lines = [`${name}: ${outcome.sessions} sessions${resumed}`];
      const width = Math.max(14, ...outcome.aggregates.map((a) => a.policy.length));
      for (const a of outcome.aggregates) {
        const m = a.metrics;
        lines.push(
          `  ${a.policy.padEnd(width)} QoE ${m.qoeReference.mean.toFixed(1).padStart(5)}  bitrate ${m.avgBitrateKbps.mean.toFixed(0).padStart(6)} kbps  ` +
            `rebuffer ${(m.rebufferRatio.mean * 100).toFixed(2).padStart(5)} %  startup ${m.startupMs.mean.toFixed(0).padStart(5)} ms  switches ${m.switchCount.mean.toFixed(1)}`,
        );
      }
      lines.push(outcome.files.report !== undefined ? `report: ${outcome.files.report}` : `results: ${outcome.files.results}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}

/**
 * `--faults` adds rules to the scenario itself (its text, which workers rebuild from and the results directory
 * keeps as scenario.yaml), so every worker, the fingerprint and the record see the same faults.
 */
async function withFaultsFlag(loaded: LoadedScenario, faults: string | undefined): Promise<LoadedScenario> {
  if (faults === undefined) return loaded;
  const { parseFaultsFlag } = await import('../origin/faults.js');
  const { parseScenarioDocument, scenarioFromText } = await import('../experiment/scenario.js');
  const { stringify } = await import('yaml');
  const doc = parseScenarioDocument(loaded.text, loaded.file) as Record<string, unknown>;
  const existing = Array.isArray(doc['faults']) ? (doc['faults'] as unknown[]) : [];
  doc['faults'] = [...existing, ...parseFaultsFlag(faults)];
  return scenarioFromText(stringify(doc), loaded.file);
}
