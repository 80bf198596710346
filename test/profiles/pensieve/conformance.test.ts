/**
 * Conformance of the pensieve profile with Pensieve's own simulator, on the reference runs in
 * ../shared/conformance/pensieve (beside the repository root; present in CI, skipped where absent):
 * per-chunk logs of `bb` and robust MPC with its error history reset per trace, on the shared Norway traces and
 * the five synthetic edge cases, and the per-trace totals of results.csv. Every value must match within 1e-9
 * relative; the logged time stamps are cumulative over a whole batch run, so they are compared as differences
 * from the session's first chunk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceSet } from '../conformance-data.js';
import { runPensieveBatch, type PensieveChunkRow } from '../../../src/profiles/pensieve/index.js';

const { dir: DATA, present: HAVE_DATA, skipNote } = conformanceSet('pensieve', 'MODEL.md');

const REL = 1e-9;

/** |a − b| ≤ 1e-9 · scale, scale = max(|a|, |b|) unless given (sums that cancel use the sum of magnitudes). */
function close(actual: number, expected: number, scale = Math.max(Math.abs(actual), Math.abs(expected))): boolean {
  return Math.abs(actual - expected) <= REL * scale;
}

/** A Pensieve log: 7 tab-separated columns per chunk, a blank line after the last. */
function readLog(file: string): number[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t').map(Number));
}

const COLUMNS = ['time stamp diff s', 'bitrate kbps', 'buffer s', 'rebuffer s', 'chunk bytes', 'delay ms', 'reward'];

function mismatches(chunks: PensieveChunkRow[], log: number[][]): string[] {
  const bad: string[] = [];
  if (chunks.length !== log.length) return [`${chunks.length} chunks, log has ${log.length}`];
  const t0 = chunks[0]?.timeStampS ?? 0;
  const r0 = log[0]?.[0] ?? 0;
  chunks.forEach((c, k) => {
    const ref = log[k] as number[];
    const mine = [c.timeStampS - t0, c.bitrateKbps, c.bufferS, c.rebufferS, c.chunkBytes, c.delayMs, c.reward];
    const want = [(ref[0] as number) - r0, ref[1], ref[2], ref[3], ref[4], ref[5], ref[6]] as number[];
    mine.forEach((v, j) => {
      if (!close(v, want[j] as number)) bad.push(`chunk ${k} ${COLUMNS[j]}: got ${v}, log ${want[j]}`);
    });
  });
  return bad;
}

const SETS = [
  { policy: 'bb', traces: 'traces', logs: 'logs/bb', prefix: 'log_sim_bb_' },
  { policy: 'robust-mpc', traces: 'traces', logs: 'logs/robustmpc_reset', prefix: 'log_sim_mpcreset_' },
  { policy: 'bb', traces: 'synthetic_traces', logs: 'logs-synthetic/bb', prefix: 'log_sim_bb_' },
  { policy: 'robust-mpc', traces: 'synthetic_traces', logs: 'logs-synthetic/robustmpc_reset', prefix: 'log_sim_mpcreset_' },
] as const;

describe.skipIf(!HAVE_DATA)(`conformance: pensieve profile vs Pensieve per-chunk logs (../shared/conformance/pensieve)${skipNote}`, () => {
  for (const set of SETS) {
    it(`conformance: ${set.policy} on ${set.traces} matches ${set.logs} chunk by chunk (1e-9 relative)`, () => {
      const batch = runPensieveBatch({ traces: join(DATA, set.traces), video: join(DATA, 'video_sizes'), policy: set.policy });
      const traceCount = readdirSync(join(DATA, set.traces)).length;
      expect(batch.sessions).toHaveLength(traceCount);
      const failures: string[] = [];
      for (const s of batch.sessions) {
        const log = readLog(join(DATA, set.logs, `${set.prefix}${s.trace}`));
        const chunks = (s.compat as { chunks: PensieveChunkRow[] }).chunks;
        for (const m of mismatches(chunks, log).slice(0, 3)) failures.push(`${s.trace}: ${m}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

interface CsvRow {
  [column: string]: string;
}

function readResultsCsv(): CsvRow[] {
  const [header, ...lines] = readFileSync(join(DATA, 'results.csv'), 'utf8').trim().split('\n');
  const cols = (header as string).split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] as string, v])));
}

describe.skipIf(!HAVE_DATA)(`conformance: pensieve profile vs results.csv per-trace totals (../shared/conformance/pensieve)${skipNote}`, () => {
  for (const [abr, policy] of [
    ['bb', 'bb'],
    ['robustmpc_reset', 'robust-mpc'],
  ] as const) {
    it(`conformance: ${policy} totals per trace match results.csv rows of "${abr}"`, () => {
      const rows = readResultsCsv().filter((r) => r['abr'] === abr);
      expect(rows.length).toBeGreaterThan(0);
      const batch = runPensieveBatch({ traces: join(DATA, 'traces'), video: join(DATA, 'video_sizes'), policy });
      const byTrace = new Map(batch.sessions.map((s) => [s.trace, s]));
      const failures: string[] = [];
      for (const row of rows) {
        const s = byTrace.get(row['trace_file'] as string);
        if (s === undefined) {
          failures.push(`${row['trace_file']}: not run`);
          continue;
        }
        const c = (s.compat as { chunks: PensieveChunkRow[] }).chunks;
        const n = c.length;
        const sum = (f: (x: PensieveChunkRow, k: number) => number, from = 0): number =>
          c.slice(from).reduce((acc, x, k) => acc + f(x, k + from), 0);
        const absRewards = sum((x) => Math.abs(x.reward));
        const first = c[0] as PensieveChunkRow;
        const last = c[n - 1] as PensieveChunkRow;
        const want = (col: string): number => Number(row[col]);
        const checks: [string, number, number?][] = [
          ['chunks', n],
          ['total_reward', sum((x) => x.reward), absRewards],
          ['reward_chunks_1_to_47', sum((x) => x.reward, 1), absRewards],
          ['mean_reward', sum((x) => x.reward) / n, absRewards / n],
          ['mean_bitrate_kbps', sum((x) => x.bitrateKbps) / n],
          ['total_rebuffer_s', sum((x) => x.rebufferS)],
          ['startup_delay_s', first.rebufferS],
          ['rebuffer_excl_first_s', sum((x) => x.rebufferS, 1)],
          ['total_smoothness_kbps', sum((x, k) => (k === 0 ? 0 : Math.abs(x.bitrateKbps - (c[k - 1] as PensieveChunkRow).bitrateKbps)))],
          ['num_switches', sum((x, k) => (k > 0 && x.bitrateKbps !== (c[k - 1] as PensieveChunkRow).bitrateKbps ? 1 : 0))],
          // MODEL.md item 9: per-session duration = last time stamp − first + first delay.
          ['session_duration_s', last.timeStampS - first.timeStampS + first.delayMs / 1000],
          ['mean_throughput_mbps', sum((x) => (x.chunkBytes * 8) / x.delayMs / 1000) / n],
        ];
        for (const [col, got, scale] of checks) {
          if (!close(got, want(col), scale)) failures.push(`${row['trace_file']} ${col}: got ${got}, results.csv ${want(col)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
