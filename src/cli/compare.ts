import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { parseIntFlag } from './options.js';
import type { CompareMetric, CompareOutcome, MeanCi } from '../experiment/compare.js';

interface CompareFlags {
  traces: string;
  video: string;
  policies: string;
  profile: 'fluid' | 'pensieve' | 'sabre' | 'auto';
  out: string;
  seed: number;
  json?: boolean;
  quiet?: boolean;
  sabreFlags?: string;
}

/** `abrlab compare`: every trace × policy, a per-policy table of means with 95 % confidence intervals. */
export function compareCommand(): Command {
  return new Command('compare')
    .description('run every trace × policy and compare the policies (means with 95 % confidence intervals)')
    .requiredOption('--traces <dir|glob>', 'traces: a directory, a glob (quote it) or one file')
    .requiredOption('--video <file>', 'video catalog JSON (pensieve: directory of video_size_N; sabre: movie JSON)')
    .requiredOption('--policies <list>', 'comma-separated policies: built-in names or .ts/.js modules, e.g. bola,throughput,./mine.ts')
    .addOption(new Option('--profile <profile>', 'simulation model (default: detected from --video)').choices(['fluid', 'pensieve', 'sabre', 'auto']).default('auto'))
    .option('--out <dir>', 'output directory', 'reports/compare')
    .option('--seed <n>', 'seed of the comparison (each trace derives its own)', parseIntFlag, 1)
    .option('--sabre-flags <flags>', 'sabre profile: Sabre\'s own flags, e.g. "-ao -noibr -r left"')
    .option('--json', 'print summary.json instead of the table')
    .option('--quiet', 'print nothing but errors')
    .action(async (flags: CompareFlags) => {
      const { runCompare, parsePolicyList } = await import('../experiment/compare.js');
      const { detectProfile } = await import('./detect-profile.js');
      const profile = flags.profile === 'auto' ? await detectProfile(flags.video) : flags.profile;
      const command = ['abrlab', 'compare', '--traces', flags.traces, '--video', flags.video, '--policies', flags.policies, '--profile', profile, '--seed', String(flags.seed), '--out', flags.out]
        .concat(flags.sabreFlags === undefined ? [] : ['--sabre-flags', JSON.stringify(flags.sabreFlags)])
        .join(' ');
      const outcome = await runCompare({
        traces: flags.traces,
        video: flags.video,
        policies: parsePolicyList(flags.policies),
        profile,
        seed: flags.seed,
        outDir: resolve(flags.out),
        command,
        ...(flags.sabreFlags === undefined ? {} : { sabreFlags: flags.sabreFlags }),
      });
      if (flags.quiet) return;
      if (flags.json) {
        const { readFile } = await import('node:fs/promises');
        process.stdout.write(await readFile(outcome.files.summary, 'utf8'));
        return;
      }
      process.stdout.write(formatCompareTable(outcome) + '\n');
    });
}

/** Column layout: metric, heading, scale from the stored unit to the printed one, decimals. */
const COLUMNS: { metric: CompareMetric; head: string; scale: number; digits: number }[] = [
  { metric: 'qoe', head: 'QoE', scale: 1, digits: 3 },
  { metric: 'avgBitrateKbps', head: 'bitrate kbps', scale: 1, digits: 0 },
  { metric: 'rebufferMs', head: 'rebuffer s', scale: 1 / 1000, digits: 2 },
  { metric: 'switchCount', head: 'switches', scale: 1, digits: 1 },
  { metric: 'startupMs', head: 'startup s', scale: 1 / 1000, digits: 2 },
];

const QOE_NAMES = { fluid: 'reference QoE (0–100)', pensieve: "Pensieve's total reward (QoE_lin, all chunks)", sabre: "Sabre's time average score" };

function cell(m: MeanCi, scale: number, digits: number): string {
  const mean = (m.mean * scale).toFixed(digits);
  return Number.isFinite(m.halfWidth) ? `${mean} ± ${(m.halfWidth * scale).toFixed(digits)}` : `${mean} ± n/a`;
}

/** The per-policy table: mean ± 95 % CI half-width of each metric. */
export function formatCompareTable(o: CompareOutcome): string {
  const head = ['policy', 'n', ...COLUMNS.map((c) => c.head)];
  const rows = o.policies.map((p) => [p.policy, String(p.sessions), ...COLUMNS.map((c) => cell(p.metrics[c.metric], c.scale, c.digits))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [
    `compare · profile ${o.profile} · ${o.traces.length} traces × ${o.policies.length} policies = ${o.sessions} sessions`,
    `QoE = ${QOE_NAMES[o.profile]}; mean ± half-width of the 95 % confidence interval (Student t over sessions)`,
    '',
    fmt(head),
    ...rows.map(fmt),
    '',
    `results: ${o.files.results}`,
    `report:  ${o.files.report}`,
  ].join('\n');
}
