import { Command } from 'commander';
import { resolve } from 'node:path';

/** `abrlab merge DIR... --out DIR`: the shards of one sweep → the unsharded results, summary and report. */
export function mergeCommand(): Command {
  return new Command('merge')
    .description('recombine the shard directories of one sweep (abrlab run --shard i/n) into the unsharded results')
    .argument('<dirs...>', 'shard output directories (all n of them, any order)')
    .requiredOption('--out <dir>', 'output directory')
    .option('--scenario <file>', 'scenario file for timelines and report (default: the path recorded in run.json)')
    .option('--quiet', 'print nothing but errors')
    .action(async (dirs: string[], flags: { out: string; scenario?: string; quiet?: boolean }) => {
      const { mergeShards } = await import('../experiment/merge.js');
      const outcome = await mergeShards({ dirs, outDir: resolve(flags.out), ...(flags.scenario === undefined ? {} : { scenarioFile: flags.scenario }) });
      if (outcome.note !== undefined) process.stderr.write(`abrlab merge: ${outcome.note}\n`);
      if (flags.quiet) return;
      process.stdout.write(`merged ${dirs.length} shards: ${outcome.sessions} sessions → ${outcome.files.results}\n`);
    });
}
