import { Command } from 'commander';
import { resolve } from 'node:path';

/** `abrlab report DIR`: (re)renders the HTML report, results.csv and charts/*.svg of a results directory. */
export function reportCommand(): Command {
  return new Command('report')
    .description('(re)render the HTML report of a results directory (index.html, results.csv, charts/*.svg)')
    .argument('<dir>', 'results directory (holds results.jsonl and summary.json)')
    .option('--no-interactive', 'leave out the interactive charts (no inlined JavaScript; smaller file)')
    .option('--quiet', 'print nothing but errors')
    .action(async (dir: string, flags: { interactive: boolean; quiet?: boolean }) => {
      const { writeReport } = await import('../report/write-report.js');
      const written = await writeReport({ dir: resolve(dir), interactive: flags.interactive ? 'auto' : false });
      if (flags.quiet) return;
      const kb = (written.htmlBytes / 1024).toFixed(0);
      process.stdout.write(
        `${written.sessions} sessions → ${written.html} (${kb} KiB${written.interactive ? ', interactive' : ''}), ${written.csv}, ${written.charts.length} charts in ${resolve(dir, 'charts')}\n`,
      );
    });
}
