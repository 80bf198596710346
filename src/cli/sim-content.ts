import { Command, Option } from 'commander';
import { collectKeyValue, parseNonNegative } from './options.js';

interface CommonFlags {
  trace: string;
  policy: string;
  seed: string;
  latencyMs?: number;
  param: Record<string, unknown>;
  set: Record<string, unknown>;
  json?: boolean;
}

/** The flags every content type shares (network, policy, player settings, output). */
function common(c: Command): Command {
  return c
    .requiredOption('--trace <file>', 'network trace (any supported format)')
    .option('--policy <name|file>', 'ABR policy: a built-in name or a .ts/.js module', 'reference')
    .option('--seed <n>', 'seed of the viewer model (binge, choices)', '1')
    .option('--latency-ms <ms>', 'link latency before each first byte, ms (default: trace latency, else 40)', parseNonNegative)
    .option('--param <key=value>', 'policy parameter (repeatable)', collectKeyValue, {})
    .option('--set <key=value>', 'player setting, e.g. startupBufferMs=2000 (repeatable)', collectKeyValue, {})
    .option('--json', 'print the whole result as one JSON object');
}

/** Network, policy and player options of the content drivers, from the shared flags. */
async function baseOptions(flags: CommonFlags) {
  const [{ loadTraceFile }, { resolvePolicyFactory }] = await Promise.all([import('../net/formats/index.js'), import('../abr/load-policy.js')]);
  const [trace, policy] = await Promise.all([loadTraceFile(flags.trace), resolvePolicyFactory(flags.policy)]);
  return {
    trace,
    policy: () => policy.factory(flags.param),
    player: flags.set,
    seed: flags.seed,
    ...(flags.latencyMs === undefined ? {} : { latencyMs: flags.latencyMs }),
  };
}

const s = (ms: number | undefined): string => (ms === undefined ? '-' : (ms / 1000).toFixed(2));
const out = (text: string): void => {
  process.stdout.write(text + '\n');
};

/**
 * `abrlab sim-content live|series|interactive`: one viewer of a live event, a series binge or an interactive title
 * (reference §3.2–3.4, src/sim/content/), printed as a summary or as `--json`.
 */
export function simContentCommand(): Command {
  const cmd = new Command('sim-content').description('simulate one viewer of a live event, a series binge or an interactive title');

  cmd.addCommand(
    common(new Command('live').description('join a live event at the edge minus the target latency (reference §3.3)'))
      .requiredOption('--video <file>', 'video catalog JSON whose ladder the event is encoded with')
      .option('--join-s <s>', 'when the viewer joins, s after the event started', parseNonNegative, 60)
      .option('--event-s <s>', 'event length, s (default: the catalog duration)', parseNonNegative)
      .option('--target-latency-s <s>', 'join this far behind the live edge, s (reference 6–10)', parseNonNegative)
      .option('--segment-s <s>', 'live segment length, s (reference 2)', parseNonNegative, 2)
      .action(async (flags: CommonFlags & { video: string; joinS: number; eventS?: number; targetLatencyS?: number; segmentS: number }) => {
        const [{ simulateLiveEvent }, { loadLiveCatalog }] = await Promise.all([import('../sim/content/live-event.js'), import('../sim/content/from-files.js')]);
        const segmentMs = flags.segmentS * 1000;
        const catalog = await loadLiveCatalog(flags.video, { segmentMs, ...(flags.eventS === undefined ? {} : { eventMs: flags.eventS * 1000 }) });
        const r = simulateLiveEvent({
          ...(await baseOptions(flags)),
          catalog,
          joinAtMs: flags.joinS * 1000,
          live: { segmentDurationMs: segmentMs, ...(flags.targetLatencyS === undefined ? {} : { targetLatencyMs: flags.targetLatencyS * 1000 }) },
        });
        if (flags.json) return out(JSON.stringify(r));
        out(`live: joined at ${s(r.joinAtMs)} s (segment ${r.joinSegment}), first frame after ${s(r.ttffMs)} s`);
        out(`latency to the edge: mean ${s(r.latency.meanMs)} s, p95 ${s(r.latency.p95Ms)} s, max ${s(r.latency.maxMs)} s`);
        out(`buffer while playing: mean ${s(r.buffer.meanMs)} s (min ${s(r.buffer.minMs)}, max ${s(r.buffer.maxMs)})`);
        out(`rebuffers: ${r.rebufferCount} (${s(r.rebufferMs)} s); latency after the worst stall ${s(r.maxLatencyAfterStallMs)} s`);
        out(`average bitrate ${r.session.summary.avgBitrateKbps.toFixed(0)} kbps; ended: ${r.session.summary.endReason ?? '-'}`);
      }),
  );

  cmd.addCommand(
    common(new Command('series').description('binge a series: next-episode prefetch, autoplay, transitions (reference §3.2, §4.1)'))
      .requiredOption('--series <file>', 'series JSON (src/content/series.ts); episode videos are paths relative to it or inline')
      .addOption(new Option('--prefetch <mode>', 'next-episode prefetch').choices(['reference', 'predictive', 'off']).default('reference'))
      .option('--binge-rate <r>', 'the viewer\'s binge rate seen by the predictive prefetcher (0–1)', parseNonNegative)
      .option('--ends <list>', 'what the viewer does after each episode: autoplay, manual:<s>, stop (default: drawn from the seed)')
      .action(async (flags: CommonFlags & { series: string; prefetch: 'reference' | 'predictive' | 'off'; bingeRate?: number; ends?: string }) => {
        const [{ simulateSeries }, files] = await Promise.all([import('../sim/content/series-session.js'), import('../sim/content/from-files.js')]);
        const { series, catalogs } = await files.loadSeriesFile(flags.series);
        const r = simulateSeries({
          ...(await baseOptions(flags)),
          series: series as never,
          catalogs,
          prefetch: flags.prefetch,
          ...(flags.bingeRate === undefined ? {} : { viewerBingeRate: flags.bingeRate }),
          ...(flags.ends === undefined ? {} : { ends: files.parseEndsFlag(flags.ends) }),
        });
        if (flags.json) return out(JSON.stringify(withoutCombinedRows(r)));
        out(`series ${r.series}: ${r.episodes.length} episode(s) played, prefetch ${r.prefetch}`);
        for (const t of r.transitions) {
          const to = t.to === undefined ? 'stop' : `episode ${t.to + 1}`;
          out(`  episode ${t.from + 1} → ${to} (${t.end}): gap ${t.gapMs === undefined ? '-' : `${t.gapMs.toFixed(0)} ms`}; prefetched ${t.prefetch.segments} segment(s), wasted ${t.prefetch.wastedBytes.toFixed(0)} B`);
        }
        out(`gaps: mean ${r.gaps.meanMs.toFixed(0)} ms, max ${r.gaps.maxMs.toFixed(0)} ms, ${r.gaps.overTarget} at or over ${r.gaps.targetMs} ms`);
        out(`prefetched ${r.prefetchedBytes.toFixed(0)} B, wasted ${r.wastedPrefetchBytes.toFixed(0)} B`);
      }),
  );

  cmd.addCommand(
    common(new Command('interactive').description('play a path through a scene graph with branch prefetch (reference §3.4)'))
      .requiredOption('--graph <file>', 'scene graph JSON (the reference\'s interactive manifest)')
      .requiredOption('--video <file>', 'video catalog JSON whose ladder and segment length every scene uses')
      .option('--branch-segments <n>', 'segments of every branch prefetched at a decision', parseNonNegative, 1)
      .option('--no-prefetch', 'do not prefetch branches or linear next scenes')
      .action(async (flags: CommonFlags & { graph: string; video: string; branchSegments: number; prefetch: boolean }) => {
        const [{ simulateInteractive }, { loadInteractiveFiles }] = await Promise.all([import('../sim/content/interactive-session.js'), import('../sim/content/from-files.js')]);
        const { graph, ladder } = await loadInteractiveFiles(flags.graph, flags.video);
        const r = simulateInteractive({ ...(await baseOptions(flags)), graph, ladder, branchSegments: flags.branchSegments, prefetch: flags.prefetch });
        if (flags.json) return out(JSON.stringify(withoutCombinedRows(r)));
        out(`interactive ${r.contentId}: ${r.path.map((p) => (p.optionId === undefined ? p.sceneId : `${p.sceneId} [${p.optionId}]`)).join(' → ')}`);
        for (const j of r.joins) {
          out(`  ${j.fromScene} → ${j.toScene} (${j.kind}${j.timedOut ? ', timed out' : ''}): stall ${j.stallMs === undefined ? '-' : `${j.stallMs.toFixed(0)} ms`}, choosing after the scene ${j.decisionWaitMs.toFixed(0)} ms, wasted ${j.prefetch.wastedBytes.toFixed(0)} B`);
        }
        out(`stall at branches: max ${r.branchStall.maxMs.toFixed(0)} ms (${r.branchStall.count} with a stall); prefetched ${r.prefetchedBytes.toFixed(0)} B, wasted ${r.wastedBytes.toFixed(0)} B`);
      }),
  );
  return cmd;
}

/** The per-title results already carry every segment row: the combined session keeps its summary only. */
function withoutCombinedRows<R extends { session: { segments: unknown[] } }>(r: R): R {
  return { ...r, session: { ...r.session, segments: [] } };
}
