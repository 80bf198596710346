import { Command } from 'commander';
import { resolve } from 'node:path';
import { parseIntFlag } from './options.js';

interface AbFlags {
  out?: string;
  workers?: number;
  json?: boolean;
}

/** `abrlab ab scenario.yaml`: runs every arm on the same traces and seeds, then the A/B statistics and decision. */
export function abCommand(): Command {
  return new Command('ab')
    .description('run an A/B scenario: paired (or population-split) statistics per metric and the rollout decision → ab.json and the report')
    .argument('<scenario>', 'scenario file (YAML or JSON) with an optional `ab` section')
    .option('--out <dir>', 'output directory (default reports/<scenario name>/)')
    .option('--workers <n>', 'worker threads (default: every core; 0 = run in the main thread)', parseIntFlag)
    .option('--json', 'print ab.json to stdout instead of the table')
    .action(async (file: string, flags: AbFlags) => {
      const { InputError } = await import('../core/errors.js');
      const { loadScenarioFile } = await import('../experiment/scenario.js');
      const { runAb } = await import('../experiment/ab.js');
      const { formatAbResult } = await import('../experiment/ab-format.js');
      if (flags.workers !== undefined && flags.workers < 0) throw new InputError(`--workers: expected 0 or more, got ${flags.workers}`);
      const loaded = await loadScenarioFile(file);
      const outDir = resolve(flags.out ?? `reports/${loaded.scenario.name}`);
      // Only what decides the results goes into the recorded command (not --out, --workers).
      const outcome = await runAb(loaded, { outDir, command: `abrlab ab ${file}`, ...(flags.workers === undefined ? {} : { workers: flags.workers }) });
      if (flags.json) {
        process.stdout.write(JSON.stringify(outcome.result, null, 2) + '\n');
        return;
      }
      const where = outcome.files.report ?? outcome.files.ab;
      process.stdout.write(formatAbResult(outcome.result) + `ab.json: ${outcome.files.ab}\nreport: ${where}\n`);
    });
}
