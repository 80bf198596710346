/**
 * A synthetic results directory of any size, for the browser test and bench/report.bench.ts: three policies
 * on the same traces (so the report pairs the first two only when asked), plausible per-session figures with
 * the spread of a real sweep, a delivery cost per session, and timelines generated on request (the bench's
 * `resolveTimeline`). Deterministic: seeded from src/core/rng.ts. Rows carry `segments: []`, as a large sweep
 * stores them (150 segment rows per session would make a 100,000-session results.jsonl 2 GB).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng } from '../../src/core/rng.js';
import type { SessionTimeline } from '../../src/qoe/types.js';
import type { ReportSession } from '../../src/report/types.js';

export const SYNTHETIC_POLICIES = [
  { policy: 'reference', kbps: 2900, stallProb: 0.25, switches: 9 },
  { policy: 'bola', kbps: 3300, stallProb: 0.4, switches: 14 },
  { policy: 'robust-mpc', kbps: 3100, stallProb: 0.18, switches: 6 },
] as const;

const LADDER_KBPS = [235, 375, 560, 750, 1050, 1750, 2350, 3000, 4300, 5800];
const CONTENT_MS = 600_000;

export interface SyntheticOptions {
  sessions: number;
  traces?: number;
  /** Write a timelines.jsonl holding this many sessions' timelines (the first ones). Default 0. */
  storedTimelines?: number;
  /** Add a cost block to every row. Default true. */
  cost?: boolean;
  /** Groups drawn from SYNTHETIC_POLICIES (default all three). */
  policies?: number;
}

function row(i: number, traces: number, policies: number): ReportSession {
  const p = SYNTHETIC_POLICIES[i % policies] ?? SYNTHETIC_POLICIES[0];
  const traceIndex = Math.floor(i / policies) % traces;
  const replicate = Math.floor(i / (policies * traces));
  // The trace decides most of a session (the spread pairing removes); the policy and seed the rest.
  const t = createRng(`trace/${traceIndex}`);
  const capacity = 800 + t.exponential(3500);
  const r = createRng(`session/${i}`);
  const kbps = Math.max(235, Math.min(5800, Math.min(p.kbps, capacity * 0.85) * r.uniform(0.8, 1.1)));
  const stalls = r.next() < p.stallProb * (capacity < 2000 ? 2 : 0.5) ? 1 + r.int(4) : 0;
  const rebufferMs = stalls * r.uniform(300, 4000);
  const startupMs = 600 + r.exponential(1200);
  const switchCount = Math.max(0, Math.round(r.normal(p.switches, p.switches / 3)));
  const playMs = CONTENT_MS;
  const qoe = Math.max(0, Math.min(100, 40 + kbps / 120 - (rebufferMs / playMs) * 800 - switchCount * 0.4 - startupMs / 400));
  const bytes = Math.round((kbps * playMs) / 8);
  return {
    profile: 'fluid',
    policy: p.policy,
    trace: `trace-${String(traceIndex).padStart(4, '0')}`,
    video: 'reference-10min',
    seed: 1000 + traceIndex,
    replicate,
    segments: [],
    summary: {
      startupMs,
      rebufferMs,
      rebufferCount: stalls,
      rebufferRatio: rebufferMs / playMs,
      avgBitrateKbps: kbps,
      switchCount,
      playMs,
      completion: 1,
      bytes,
      qoe: { reference: qoe, lin: kbps / 1000 * 150 - rebufferMs / 1000 * 4.3, log: 150 * Math.log(kbps / 235), hd: kbps / 20 },
      endReason: 'finished',
    },
  };
}

function costOf(r: ReportSession): NonNullable<ReportSession['cost']> {
  const bytes = r.summary.bytes;
  const oca = bytes * 0.9;
  const cdn = bytes - oca;
  return { usd: (oca * 0.002 + cdn * 0.085) / 1e9, tiers: { oca: { bytes: oca, usd: (oca * 0.002) / 1e9 }, cloudfront: { bytes: cdn, usd: (cdn * 0.085) / 1e9 } } };
}

/** A plausible 10-minute timeline for a session: capacity steps, played bitrate, buffer, its stalls. */
export function syntheticTimeline(r: ReportSession): SessionTimeline {
  const rng = createRng(`timeline/${r.trace}/${r.policy}/${String(r.replicate ?? 0)}`);
  const capacity = { tMs: [] as number[], kbps: [] as number[] };
  for (let t = 0; t < CONTENT_MS + 60_000; t += 1000) {
    capacity.tMs.push(t);
    capacity.kbps.push(Math.max(200, r.summary.avgBitrateKbps * 1.3 + rng.normal(0, 900)));
  }
  const played = { tMs: [] as number[], kbps: [] as number[] };
  const buffer = { tMs: [] as number[], bufferMs: [] as number[] };
  const start = r.summary.startupMs;
  const stalls: SessionTimeline['stalls'] = [];
  const stallEvery = r.summary.rebufferCount > 0 ? Math.floor(150 / (r.summary.rebufferCount + 1)) : Infinity;
  let t = start;
  let level = 4000;
  for (let seg = 0; seg < 150; seg++) {
    const rung = LADDER_KBPS.reduce((best, k) => (k <= r.summary.avgBitrateKbps * rng.uniform(0.7, 1.3) ? k : best), LADDER_KBPS[0] ?? 235);
    played.tMs.push(t);
    played.kbps.push(rung);
    buffer.tMs.push(t);
    buffer.bufferMs.push(level);
    if (seg > 0 && seg % stallEvery === 0) {
      const d = r.summary.rebufferMs / r.summary.rebufferCount;
      stalls.push({ startMs: t, endMs: t + d });
      buffer.tMs.push(t, t + d);
      buffer.bufferMs.push(0, 4000);
      t += d;
    }
    level = Math.min(30_000, level + rng.uniform(-2500, 3500));
    if (level < 1000) level = 1000;
    t += 4000;
  }
  buffer.tMs.push(t);
  buffer.bufferMs.push(0);
  return {
    capacity,
    buffer,
    played,
    stalls,
    playStartMs: start,
    marks: [
      { tMs: start + 120_000, kind: 'abandon', label: 'abandoned segment 31 at 4300 kbps' },
      { tMs: start + 300_000, kind: 'seek', label: 'seek to 420 s' },
      { tMs: start + 450_000, kind: 'failover', label: 'oca → cloudfront after 2 timeouts' },
    ],
  };
}

/** Writes results.jsonl, summary.json, scenario.yaml (and timelines.jsonl when asked) into `dir`. */
export async function writeSyntheticDir(dir: string, opts: SyntheticOptions): Promise<void> {
  await mkdir(dir, { recursive: true });
  const traces = opts.traces ?? 1000;
  const policies = opts.policies ?? SYNTHETIC_POLICIES.length;
  const out = createWriteStream(join(dir, 'results.jsonl'));
  const timelines = (opts.storedTimelines ?? 0) > 0 ? createWriteStream(join(dir, 'timelines.jsonl')) : undefined;
  const { sessionKey } = await import('../../src/report/types.js');
  let chunk = '';
  for (let i = 0; i < opts.sessions; i++) {
    const r = row(i, traces, policies);
    if (opts.cost !== false) r.cost = costOf(r);
    chunk += JSON.stringify(r) + '\n';
    if (timelines !== undefined && i < (opts.storedTimelines ?? 0)) timelines.write(JSON.stringify({ key: sessionKey(r), timeline: syntheticTimeline(r) }) + '\n');
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise<void>((res) => out.once('drain', () => res()));
      chunk = '';
    }
  }
  out.write(chunk);
  await Promise.all([out, ...(timelines ? [timelines] : [])].map((s) => new Promise<void>((res, rej) => s.end((err?: Error | null) => (err ? rej(err) : res())))));
  await writeFile(
    join(dir, 'summary.json'),
    JSON.stringify({ abrlab: '0.1.0', kind: 'compare', scenario: 'synthetic-sweep', seed: 42, command: `abrlab compare --traces synthetic/ --policies reference,bola,robust-mpc (synthetic, ${opts.sessions} sessions)`, sessions: opts.sessions }, null, 2) + '\n',
  );
  await writeFile(join(dir, 'scenario.yaml'), `name: synthetic-sweep\nseed: 42\nvideo: traces/videos/reference-10min.json\npolicies: [reference, bola, robust-mpc]\ntraces: {generate: {count: ${traces}}}\n`);
}
