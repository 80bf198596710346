import { Command } from 'commander';
import { resolve } from 'node:path';

/** `abrlab run [scenario]`: every session of a scenario → results.jsonl, summary.json, index.html. */
export function runCommand(): Command {
  return new Command('run')
    .description('run a scenario (default scenarios/quickstart.yaml) and write results and an HTML report')
    .argument('[scenario]', 'scenario file (YAML or JSON)', 'scenarios/quickstart.yaml')
    .option('--out <dir>', 'output directory (default reports/<scenario name>/)')
    .option('--quiet', 'print nothing but errors')
    .action(async (file: string, flags: { out?: string; quiet?: boolean }) => {
      const { loadScenarioFile } = await import('../experiment/scenario.js');
      const { runScenario } = await import('../experiment/run-scenario.js');
      const loaded = await loadScenarioFile(file);
      const outDir = resolve(flags.out ?? `reports/${loaded.scenario.name}`);
      const command = ['abrlab', 'run', file, ...(flags.out ? ['--out', flags.out] : [])].join(' ');
      const outcome = await runScenario(loaded, { outDir, command });
      if (flags.quiet) return;
      const lines = [`${loaded.scenario.name}: ${outcome.sessions} sessions`];
      for (const a of outcome.aggregates) {
        const m = a.metrics;
        lines.push(
          `  ${a.policy.padEnd(14)} QoE ${m.qoeReference.mean.toFixed(1).padStart(5)}  bitrate ${m.avgBitrateKbps.mean.toFixed(0).padStart(6)} kbps  ` +
            `rebuffer ${(m.rebufferRatio.mean * 100).toFixed(2).padStart(5)} %  startup ${m.startupMs.mean.toFixed(0).padStart(5)} ms  switches ${m.switchCount.mean.toFixed(1)}`,
        );
      }
      lines.push(`report: ${outcome.files.report}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
