import type { Catalog } from '../origin/catalog.js';
import { parseCatalog } from '../origin/catalog.js';
import { traceFromPeriods, type Trace } from '../net/trace.js';
import type { PlayerConfigInput } from '../player/config.js';
import type { SessionSummary } from '../qoe/types.js';
import { simulateSession } from '../sim/simulate.js';
import { runLiveSession } from './run-live.js';
import { startOrigin } from './server/origin-server.js';

/**
 * Simulator vs live agreement (issue 8, item 5): the same trace, title and policy, once in the fluid model and
 * once live over `abrlab serve` shaped to that trace on loopback, compared on average bitrate, rebuffer count
 * and startup. Tolerances from the issue: 5 % on average bitrate, ±1 stall, ±300 ms startup.
 */
export const AGREEMENT_TOLERANCES = { avgBitrateRel: 0.05, rebufferCount: 1, startupMs: 300 } as const;

/** Five short traces with distinct shapes (steady, down-step, up-step, oscillation, outage), ms / kbps. */
export function agreementTraces(): Trace[] {
  const t = (name: string, durationsMs: number[], ratesKbps: number[]): Trace => traceFromPeriods({ name, durationsMs, ratesKbps });
  return [
    t('steady-3mbps', [60_000], [3000]),
    t('step-down', [8000, 52_000], [4000, 800]),
    t('step-up', [8000, 52_000], [600, 5000]),
    t('oscillating', Array.from({ length: 30 }, () => 2000), Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 4000 : 1000))),
    t('outage', [6000, 12_000, 42_000], [3000, 100, 3000]),
  ];
}

/** A title of `durationS` in 2 s segments on a 6-rung ladder (Pensieve's), sizes exactly nominal. */
export function agreementCatalog(durationS: number): Catalog {
  const ladder = [300, 750, 1200, 1850, 2850, 4300];
  const heights = [216, 360, 432, 540, 720, 1080];
  return parseCatalog({
    name: 'agreement',
    segmentDurationMs: 2000,
    durationMs: durationS * 1000,
    // Nominal sizes: a template manifest carries no sizes, so live decisions use nominal ones; equal sizes keep
    // the comparison about the network and timing model, not about what the policy knows.
    sizeVariation: 0,
    representations: ladder.map((kbps, i) => ({ id: `r${kbps}`, bitrateKbps: kbps, width: Math.round(((heights[i] as number) * 16) / 9), height: heights[i] as number })),
  });
}

export interface AgreementRow {
  trace: string;
  sim: Pick<SessionSummary, 'avgBitrateKbps' | 'rebufferCount' | 'rebufferMs' | 'startupMs' | 'switchCount'>;
  live: Pick<SessionSummary, 'avgBitrateKbps' | 'rebufferCount' | 'rebufferMs' | 'startupMs' | 'switchCount'>;
  /** (live − sim) / sim. */
  avgBitrateRel: number;
  rebufferCountDiff: number;
  startupDiffMs: number;
  withinTolerance: boolean;
  liveWallMs: number;
}

const pick = (s: SessionSummary): AgreementRow['sim'] => ({
  avgBitrateKbps: s.avgBitrateKbps,
  rebufferCount: s.rebufferCount,
  rebufferMs: s.rebufferMs,
  startupMs: s.startupMs,
  switchCount: s.switchCount,
});

/** Runs one trace both ways. The live run takes about the title's duration (plus stalls) of wall time. */
export async function agreementFor(opts: {
  trace: Trace;
  catalog: Catalog;
  policy?: string;
  latencyMs?: number;
  player?: PlayerConfigInput;
  manifest?: 'manifest.mpd' | 'master.m3u8';
}): Promise<AgreementRow> {
  const policy = opts.policy ?? 'reference';
  const latencyMs = opts.latencyMs ?? 40;
  const player = { ...(opts.player ?? {}), recordTimeline: false };
  const sim = simulateSession({ trace: opts.trace, catalog: opts.catalog, policy, latencyMs, player });
  const server = await startOrigin({ content: { catalog: opts.catalog }, trace: opts.trace, latencyMs });
  try {
    const live = await runLiveSession({ url: (server.urls[0] as string) + (opts.manifest ?? 'manifest.mpd'), policy, player, trace: opts.trace });
    const s = sim.summary;
    const l = live.result.summary;
    const row: AgreementRow = {
      trace: opts.trace.name,
      sim: pick(s),
      live: pick(l),
      avgBitrateRel: s.avgBitrateKbps > 0 ? (l.avgBitrateKbps - s.avgBitrateKbps) / s.avgBitrateKbps : Number.NaN,
      rebufferCountDiff: l.rebufferCount - s.rebufferCount,
      startupDiffMs: l.startupMs - s.startupMs,
      withinTolerance: false,
      liveWallMs: live.wallMs,
    };
    row.withinTolerance =
      Math.abs(row.avgBitrateRel) <= AGREEMENT_TOLERANCES.avgBitrateRel &&
      Math.abs(row.rebufferCountDiff) <= AGREEMENT_TOLERANCES.rebufferCount &&
      Math.abs(row.startupDiffMs) <= AGREEMENT_TOLERANCES.startupMs;
    return row;
  } finally {
    await server.close();
  }
}

/**
 * Warms up the HTTP client and the JIT with a throwaway 2-segment live session, so the first measured session
 * does not pay one-off module loading in its startup time (about 30 ms on the first request in a process).
 */
export async function warmUp(): Promise<void> {
  const catalog = parseCatalog({ name: 'warm', segmentDurationMs: 200, segmentCount: 2, representations: [{ id: 'a', bitrateKbps: 300, width: 384, height: 216 }] });
  const server = await startOrigin({ content: { catalog } });
  try {
    await runLiveSession({ url: (server.urls[0] as string) + 'manifest.mpd', policy: 'reference', player: { startupBufferMs: 200, recordTimeline: false } });
  } finally {
    await server.close();
  }
}
