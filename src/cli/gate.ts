import { Command } from 'commander';
import { resolve } from 'node:path';
import { CommandExit } from './exit-code.js';
import { parseIntFlag } from './options.js';

interface GateFlags {
  baseline?: string;
  junit?: string;
  summaryMd?: string;
  updateBaseline?: boolean;
  out?: string;
  workers?: number;
  quiet?: boolean;
}

/** `abrlab gate scenario.yaml --baseline summary.json`: exit 0 pass, 1 regression, 2 bad input. */
export function gateCommand(): Command {
  return new Command('gate')
    .description('run a scenario and compare it with a baseline summary.json under the scenario\'s gate.rules: exit 0 pass, 1 regression, 2 bad input')
    .argument('<scenario>', 'scenario file (YAML or JSON) with a `gate` section')
    .option('--baseline <file>', 'baseline summary.json (default: the scenario\'s gate.baseline)')
    .option('--junit <file>', 'write JUnit XML: one test case per rule × group')
    .option('--summary-md <file>', 'append a Markdown summary (e.g. "$GITHUB_STEP_SUMMARY")')
    .option('--update-baseline', 'accept this run: write its summary.json as the new baseline (and exit 0)')
    .option('--out <dir>', 'output directory (default reports/<scenario name>/)')
    .option('--workers <n>', 'worker threads (default: every core; 0 = run in the main thread)', parseIntFlag)
    .option('--quiet', 'print nothing but errors')
    .action(async (file: string, flags: GateFlags) => {
      const { InputError } = await import('../core/errors.js');
      const { loadScenarioFile } = await import('../experiment/scenario.js');
      const { runGate } = await import('../experiment/gate.js');
      const { gateText } = await import('../experiment/gate-output.js');
      if (flags.workers !== undefined && flags.workers < 0) throw new InputError(`--workers: expected 0 or more, got ${flags.workers}`);
      const loaded = await loadScenarioFile(file);
      const outDir = resolve(flags.out ?? `reports/${loaded.scenario.name}`);
      const outcome = await runGate(loaded, {
        outDir,
        // Only what decides the results goes into the recorded command.
        command: `abrlab gate ${file}`,
        ...(flags.baseline === undefined ? {} : { baseline: resolve(flags.baseline) }),
        ...(flags.junit === undefined ? {} : { junit: resolve(flags.junit) }),
        ...(flags.summaryMd === undefined ? {} : { summaryMd: resolve(flags.summaryMd) }),
        ...(flags.updateBaseline ? { updateBaseline: true } : {}),
        ...(flags.workers === undefined ? {} : { workers: flags.workers }),
      });
      if (!flags.quiet) {
        const out: string[] = [];
        if (outcome.result !== undefined) out.push(gateText(outcome.result));
        if (outcome.baselineUpdated) out.push(`baseline updated: ${outcome.baselineFile}\n`);
        process.stdout.write(out.join(''));
      }
      if (outcome.exitCode !== 0) throw new CommandExit(outcome.exitCode);
    });
}
