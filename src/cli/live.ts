import { resolve } from 'node:path';
import { Command } from 'commander';
import { collectKeyValue, parseNonNegative } from './options.js';

export interface LiveFlags {
  policy: string;
  duration?: number;
  out?: string;
  save?: string;
  cdn: string[];
  trace?: string;
  seed: string;
  param: Record<string, unknown>;
  set: Record<string, unknown>;
  quiet?: boolean;
  /** Live event: join this far behind the live edge, s. */
  targetLatency?: number;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `abrlab live URL`: the simulator's player on a real DASH/HLS manifest over HTTP, written as a results directory. */
export function liveCommand(): Command {
  return new Command('live')
    .description('play a real DASH MPD or HLS master playlist over HTTP with the same player as the simulator')
    .argument('<url>', 'manifest URL (DASH .mpd or HLS master .m3u8)')
    .option('--policy <name|file>', 'ABR policy: a built-in name or a .ts/.js module', 'reference')
    .option('--duration <s>', 'stop after this much media has played, s (default: the whole title)', parseNonNegative)
    .option('--out <dir>', 'results directory (default reports/live-<title>/)')
    .option('--save <dir>', 'keep every downloaded segment under this directory')
    .option('--cdn <url>', 'the same title on another CDN, tried in order on failure (repeatable)', collect, [])
    .option('--trace <file>', 'the trace the origin shapes to (names the session, draws capacity in the report)')
    .option('--seed <n>', 'seed recorded with the session', '1')
    .option('--param <key=value>', 'policy parameter (repeatable)', collectKeyValue, {})
    .option('--set <key=value>', 'player setting, e.g. requestTimeoutMs=2000 (repeatable)', collectKeyValue, {})
    .option('--target-latency <s>', 'live event (dynamic manifest): join this far behind the live edge, s (default 8)', parseNonNegative)
    .option('--quiet', 'print nothing but errors')
    .action(async (url: string, flags: LiveFlags) => {
      const { runLiveFromFlags } = await import('../live/live-command.js');
      const { outDir, outcome } = await runLiveFromFlags(url, flags);
      if (flags.quiet) return;
      const s = outcome.result.summary;
      const lines = [
        `live ${outcome.title.kind.toUpperCase()} ${outcome.result.video} · policy ${outcome.result.policy} · ${outcome.result.segments.length} downloads in ${(outcome.wallMs / 1000).toFixed(1)} s (${s.endReason ?? 'ended'})`,
        `startup ${s.startupMs.toFixed(0)} ms · rebuffer ${s.rebufferMs.toFixed(0)} ms in ${s.rebufferCount} stalls · avg bitrate ${s.avgBitrateKbps.toFixed(0)} kbps · switches ${s.switchCount}`,
        ...(outcome.live === undefined
          ? []
          : [
              `live edge: joined segment ${outcome.live.joinSegment} · latency to the edge mean ${(outcome.live.latency.meanMs / 1000).toFixed(2)} s, p95 ${(outcome.live.latency.p95Ms / 1000).toFixed(2)} s (target ${(outcome.live.live.targetLatencyMs / 1000).toFixed(1)} s)` +
                (outcome.live.stalls.length > 0 ? ` · ${(outcome.live.maxLatencyAfterStallMs / 1000).toFixed(2)} s behind after stalls` : ''),
            ]),
        ...(outcome.failovers.length > 0 ? [`failovers: ${outcome.failovers.length}`] : []),
        ...outcome.title.notes.map((n) => `note: ${n}`),
        `results: ${resolve(outDir)}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
