import { Command, Option } from 'commander';
import { collectKeyValue, parseNonNegative } from './options.js';
import type { SessionResult } from '../qoe/types.js';

interface SimFlags {
  trace: string;
  video: string;
  policy: string;
  profile: 'fluid' | 'pensieve' | 'sabre' | 'auto';
  seed: string;
  json?: boolean;
  timeline?: boolean;
  latencyMs?: number;
  param: Record<string, unknown>;
  set: Record<string, unknown>;
  traceFormat?: string;
  sabreFlags?: string;
  faults?: string;
  cdns?: 'reference' | 'none';
  startupFlow?: 'parallel' | 'sequential';
  telemetry?: string;
}

/** `abrlab sim`: one session, printed as a table or as the `--json` object of DESIGN.md's CLI contract. */
export function simCommand(): Command {
  return new Command('sim')
    .description('simulate one playback session')
    .requiredOption('--trace <file>', 'network trace (any supported format; see `abrlab traces`)')
    .requiredOption('--video <file>', 'video catalog JSON (pensieve: directory of video_size_N; sabre: movie JSON)')
    .option('--policy <name|file>', 'ABR policy: a built-in name or a .ts/.js module', 'reference')
    .addOption(new Option('--profile <profile>', 'simulation model').choices(['fluid', 'pensieve', 'sabre', 'auto']).default('auto'))
    .option('--seed <n>', 'seed recorded with the session', '1')
    .option('--latency-ms <ms>', 'link latency before each first byte, ms (default: trace latency, else 40)', parseNonNegative)
    .option('--param <key=value>', 'policy parameter (repeatable)', collectKeyValue, {})
    .option('--set <key=value>', 'player setting, e.g. startupBufferMs=2000 (repeatable)', collectKeyValue, {})
    .option('--trace-format <format>', 'trace format instead of auto-detection')
    .option('--sabre-flags <flags>', 'sabre profile: Sabre\'s own flags, e.g. "-ao -noibr -r left"')
    .option('--faults <spec>', 'fault injection, e.g. "503=0.02@oca,hang=0.01,outage@oca=60-180" (seconds); turns on the reference retry policy')
    .addOption(new Option('--cdns <set>', 'CDNs in failover order: reference = OCA → CloudFront → S3').choices(['reference', 'none']).default('none'))
    .addOption(new Option('--startup-flow <mode>', 'run auth, playback API, manifest, DRM licence and bookmark first (reference §2.1 / §4.2)').choices(['parallel', 'sequential']))
    .option('--telemetry <file>', 'write the player\'s telemetry batches (every 30 s) to this JSONL file')
    .option('--json', 'print the session as one JSON object')
    .option('--timeline', 'with --json, include the timeline series')
    .action(async (flags: SimFlags) => {
      const { runSim } = await import('./sim-run.js');
      const result = await runSim(flags);
      if (flags.telemetry !== undefined) {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(flags.telemetry, (result.telemetry ?? []).map((b) => JSON.stringify(b) + '\n').join(''));
      }
      const out = flags.json ? JSON.stringify(flags.timeline ? result : withoutTimeline(result)) : formatTable(result);
      process.stdout.write(out + '\n');
    });
}

export type { SimFlags };

function withoutTimeline(r: SessionResult & { timeline?: unknown }): SessionResult {
  const { timeline: _t, ...rest } = r;
  void _t;
  return rest;
}

/** A readable table: one line per segment download, then the summary. */
function formatTable(r: SessionResult): string {
  const lines = [`${r.profile} · policy ${r.policy} · trace ${r.trace} · video ${r.video}`, ''];
  const head = ['seg', 'rep', 'kbps', 'bytes', 'request ms', 'done ms', 'buffer s', 'stall ms', ''];
  const rows = r.segments.map((s) => [
    String(s.index),
    String(s.repIndex),
    String(Math.round(s.bitrateKbps)),
    String(Math.round(s.sizeBytes)),
    s.requestMs.toFixed(0),
    s.doneMs.toFixed(0),
    (s.bufferMs / 1000).toFixed(2),
    s.rebufferMs.toFixed(0),
    s.abandoned ? 'abandoned' : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ').trimEnd();
  lines.push(fmt(head), ...rows.map(fmt), '');
  const s = r.summary;
  lines.push(
    `startup ${s.startupMs.toFixed(0)} ms · rebuffer ${s.rebufferMs.toFixed(0)} ms in ${s.rebufferCount} stalls (ratio ${(s.rebufferRatio * 100).toFixed(2)} %)`,
    `avg bitrate ${s.avgBitrateKbps.toFixed(0)} kbps · switches ${s.switchCount} · played ${(s.playMs / 1000).toFixed(1)} s (${(s.completion * 100).toFixed(1)} %) · ${(s.bytes / 1e6).toFixed(2)} MB`,
    `QoE reference ${s.qoe.reference.toFixed(2)} · lin ${s.qoe.lin.toFixed(3)} · log ${s.qoe.log.toFixed(3)} · hd ${s.qoe.hd.toFixed(3)}`,
  );
  if (s.endReason !== undefined && s.endReason !== 'finished') lines.push(`ended: ${s.endReason}${s.error === undefined ? '' : ` (${s.error.kind}: ${s.error.message})`}`);
  const d = r.delivery;
  if (d !== undefined) {
    const perCdn = Object.entries(d.bytesByCdn).map(([name, bytes]) => `${name} ${(bytes / 1e6).toFixed(2)} MB`).join(', ');
    lines.push(`delivery: ${d.attempts} requests, ${d.retries} retries, ${d.failovers} failovers, ${d.failbacks} fail-backs · ${perCdn} · wasted ${(d.wastedBytes / 1e6).toFixed(2)} MB`);
  }
  if (r.cost !== undefined) lines.push(`cost: US$${r.cost.usd.toFixed(5)}${r.cost.usdPerStreamingHour === undefined ? '' : ` (US$${r.cost.usdPerStreamingHour.toFixed(4)} per streaming hour)`}`);
  return lines.join('\n');
}
