/**
 * `abrlab compare` end to end: the results directory it writes, checked against values found independently —
 * Pensieve's reference per-chunk logs and Sabre's printed results (../shared/conformance, skipped with a reason
 * where absent), and confidence intervals worked out by hand on constant traces.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { conformanceSet } from '../profiles/conformance-data.js';

// ../shared/conformance beside the checkout, or $ABRLAB_CONFORMANCE_DIR (see test/profiles/conformance-data.ts).
const PENSIEVE = conformanceSet('pensieve', 'MODEL.md');
const SABRE = conformanceSet('sabre', 'results-3g.csv');

const tmp = mkdtempSync(join(tmpdir(), 'abrlab-compare-'));
const readJsonl = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Student t quantile t(0.975, 2) from the tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2: 4.303). */
const T_975_DF2 = 4.302652729911275;

/** |actual − expected| ≤ 1e-9 relative (the t quantile is computed numerically, to about 1e-11). */
const expectRel = (actual: number, expected: number): void => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));

interface Chunk {
  bitrateKbps: number;
  bufferS: number;
  rebufferS: number;
  chunkBytes: number;
  delayMs: number;
  reward: number;
}

describe('abrlab compare: fluid model, confidence intervals by hand', () => {
  // One 1000 kbps rung, three 4 s segments of 500,000 B (4,000,000 bits), no latency. The player fetches one
  // segment until it has a throughput sample, and 4 s of buffer starts playback: startup = 4e6 bits / rate.
  // Constant links of 2000, 4000 and 8000 kbps → startup 2000, 1000 and 500 ms.
  const dir = join(tmp, 'fluid');
  mkdirSync(join(dir, 'traces'), { recursive: true });
  const video = join(dir, 'video.json');
  writeFileSync(
    video,
    JSON.stringify({
      name: 'tiny',
      segmentDurationMs: 4000,
      representations: [{ id: 'only', bitrateKbps: 1000, width: 640, height: 360, segmentSizesBytes: [500000, 500000, 500000] }],
    }),
  );
  for (const kbps of [2000, 4000, 8000]) {
    writeFileSync(
      join(dir, 'traces', `flat-${kbps}.json`),
      JSON.stringify({ format: 'abrlab-trace', name: `flat-${kbps}`, durationsMs: [60000], ratesKbps: [kbps], latenciesMs: [0] }),
    );
  }
  const out = join(dir, 'out');

  it('writes results.jsonl, summary.json and the report; the table shows mean ± t·s/√n', async () => {
    const { code, stdout, stderr } = await runCli(['compare', '--traces', join(dir, 'traces'), '--video', video, '--policies', 'throughput,bola', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = readJsonl(join(out, 'results.jsonl'));
    // Trace-major order, policies as given.
    expect(rows.map((r) => `${r['trace']}/${r['policy']}`)).toEqual([
      'flat-2000/throughput', 'flat-2000/bola', 'flat-4000/throughput', 'flat-4000/bola', 'flat-8000/throughput', 'flat-8000/bola',
    ]);
    expect(rows.map((r) => (r['summary'] as { startupMs: number }).startupMs)).toEqual([2000, 2000, 1000, 1000, 500, 500]);

    // Startups 2000, 1000, 500: mean 3500/3; deviations 2500/3, −500/3, −2000/3; s² = (6.25e6 + 0.25e6 + 4e6)/9/2
    // = 10.5e6/18; half-width = t(0.975, 2)·s/√3.
    const mean = 3500 / 3;
    const half = T_975_DF2 * Math.sqrt(10.5e6 / 18 / 3);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ kind: 'compare', sessions: 6, seed: 1, profile: 'fluid', qoeMetric: 'summary.qoe.reference' });
    expect(typeof summary.abrlab).toBe('string');
    expect(summary.command).toContain('abrlab compare');
    expect(typeof summary.scenario).toBe('string');
    for (const p of summary.compare) {
      expect(p.sessions).toBe(3);
      expect(p.metrics.startupMs.mean).toBeCloseTo(mean, 9);
      expectRel(p.metrics.startupMs.halfWidth, half);
      expectRel(p.metrics.startupMs.low, mean - half);
      expectRel(p.metrics.startupMs.high, mean + half);
      // One rung: every session plays 1000 kbps and never switches: zero spread, zero width.
      expect(p.metrics.avgBitrateKbps).toEqual({ mean: 1000, low: 1000, high: 1000, halfWidth: 0 });
      expect(p.metrics.switchCount).toEqual({ mean: 0, low: 0, high: 0, halfWidth: 0 });
    }
    expect(summary.policies.map((p: { policy: string }) => p.policy)).toEqual(['throughput', 'bola']);
    // Startup column in s: 1.17 ± 1.90 (half = 4.3027 × 440.96 ms = 1897.3 ms).
    expect(stdout).toMatch(/throughput\s+3\s.*1000 ± 0\s.*0\.0 ± 0\.0\s+1\.17 ± 1\.90/);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'timelines.jsonl'))).toBe(true);
  });

  it('--json prints summary.json', async () => {
    const { code, stdout } = await runCli(['compare', '--traces', join(dir, 'traces', 'flat-2000.json'), '--video', video, '--policies', 'bola', '--out', join(dir, 'one'), '--json']);
    expect(code).toBe(0);
    const s = JSON.parse(stdout);
    expect(s.sessions).toBe(1);
    // One session: the interval is undefined (NaN, written as null), the mean is the value.
    expect(s.compare[0].metrics.startupMs).toEqual({ mean: 2000, low: null, high: null, halfWidth: null });
  });

  it.each([
    [['--traces', join(tmp, 'none-*.json')], 'matches no file'],
    [['--policies', 'bola,bola'], 'listed twice'],
    [['--policies', 'bola,nope'], 'unknown policy "nope"'],
    [['--video', join(tmp, 'missing.json')], 'missing.json'],
  ])('bad input %j: one clear line, exit 2', async (override, message) => {
    const args = { '--traces': join(dir, 'traces'), '--video': video, '--policies': 'bola', '--out': join(dir, 'bad') } as Record<string, string>;
    for (let i = 0; i < override.length; i += 2) args[override[i] as string] = override[i + 1] as string;
    const { code, stderr } = await runCli(['compare', ...Object.entries(args).flat()]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});

describe.skipIf(!PENSIEVE.present)(`conformance: abrlab compare --profile pensieve vs Pensieve's logs (reads ../shared/conformance/pensieve)${PENSIEVE.skipNote}`, () => {
  const P = PENSIEVE.dir;
  const names = ['norway_bus_1', 'norway_ferry_10', 'norway_train_2'];
  const dir = join(tmp, 'pensieve');
  const out = join(dir, 'out');
  const logOf = (policy: string, trace: string): number[][] => {
    const file = policy === 'bb' ? join(P, 'logs', 'bb', `log_sim_bb_${trace}`) : join(P, 'logs', 'robustmpc_reset', `log_sim_mpcreset_${trace}`);
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split('\t').map(Number));
  };

  it('per-session total reward and compat.chunks equal the reference logs (1e-9 relative)', async () => {
    mkdirSync(join(dir, 'traces'), { recursive: true });
    for (const n of names) copyFileSync(join(P, 'traces', n), join(dir, 'traces', n));
    const { code, stdout } = await runCli(['compare', '--traces', join(dir, 'traces'), '--video', join(P, 'video_sizes'), '--policies', 'bb,robust-mpc', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/profile pensieve/);
    const rows = readJsonl(join(out, 'results.jsonl'));
    expect(rows).toHaveLength(6);
    const sums = new Map<string, number[]>();
    for (const r of rows) {
      const log = logOf(r['policy'] as string, r['trace'] as string);
      const compat = r['compat'] as { chunks: Chunk[]; totalReward: number };
      const want = log.reduce((a, l) => a + (l[6] as number), 0);
      const scale = log.reduce((a, l) => a + Math.abs(l[6] as number), 0);
      expect(Math.abs(compat.totalReward - want)).toBeLessThanOrEqual(1e-9 * scale);
      expect(compat.chunks).toHaveLength(log.length);
      compat.chunks.forEach((c, k) => {
        const ref = log[k] as number[];
        const got = [c.bitrateKbps, c.bufferS, c.rebufferS, c.chunkBytes, c.delayMs, c.reward];
        got.forEach((v, j) => expect(Math.abs(v - (ref[j + 1] as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
      });
      sums.set(r['policy'] as string, [...(sums.get(r['policy'] as string) ?? []), want]);
    }
    // summary.json's QoE is the mean total reward, with t(0.975, 2)·s/√3 from the logs' own sums.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.qoeMetric).toBe('compat.totalReward');
    for (const p of summary.compare) {
      const v = sums.get(p.policy) as number[];
      const mean = (v[0]! + v[1]! + v[2]!) / 3;
      const s2 = v.reduce((a, x) => a + (x - mean) ** 2, 0) / 2;
      expect(p.metrics.qoe.mean).toBeCloseTo(mean, 9);
      expectRel(p.metrics.qoe.halfWidth, T_975_DF2 * Math.sqrt(s2 / 3));
    }
  });
});

describe.skipIf(!SABRE.present)(`conformance: abrlab compare --profile sabre vs results-3g.csv (reads ../shared/conformance/sabre)${SABRE.skipNote}`, () => {
  const S = SABRE.dir;
  const files = ['report.2010-09-13_1003CEST.json', 'report.2010-09-28_1407CEST.json', 'report.2011-02-01_0840CET.json'];
  const dir = join(tmp, 'sabre');

  /** Sabre prints `%d` for the buffer size and the two counts (and 0 for an empty mean), `%f` for the rest. */
  const printed = (key: string, v: number): string => {
    if (key === 'buffer_size' || key === 'over_estimate_count' || key === 'leq_estimate_count') return String(Math.trunc(v));
    if ((key === 'over_estimate' || key === 'leq_estimate') && v === 0) return '0';
    return v.toFixed(6);
  };

  it('compat.metrics (snake_case of Sabre\'s labels) print exactly as results-3g.csv', async () => {
    mkdirSync(join(dir, 'traces'), { recursive: true });
    for (const f of files) copyFileSync(join(S, 'traces-3g', f), join(dir, 'traces', f));
    const out = join(dir, 'out');
    const { code } = await runCli(['compare', '--traces', join(dir, 'traces'), '--video', join(S, 'bbb.json'), '--policies', 'bolae,throughput,dynamic', '--out', out]);
    expect(code).toBe(0);
    const csv = parse(readFileSync(join(S, 'results-3g.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const rows = readJsonl(join(out, 'results.jsonl'));
    expect(rows).toHaveLength(9);
    const labels = Object.keys(csv[0] as object).filter((k) => !['trace_set', 'trace_file', 'abr'].includes(k));
    expect(labels).toHaveLength(24);
    const scores = new Map<string, number[]>();
    for (const r of rows) {
      const want = csv.find((c) => c['trace_file'] === r['trace'] && c['abr'] === r['policy']);
      expect(want).toBeDefined();
      const metrics = (r['compat'] as { metrics: Record<string, number> }).metrics;
      for (const label of labels) {
        const key = label.replace(/ /g, '_');
        expect(`${key} ${printed(key, metrics[key] as number)}`).toBe(`${key} ${want![label]}`);
      }
      scores.set(r['policy'] as string, [...(scores.get(r['policy'] as string) ?? []), Number(want!['time average score'])]);
    }
    // The table's QoE is Sabre's time-average score: its mean over the three traces, from the CSV (6 decimals).
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    for (const p of summary.compare) {
      const v = scores.get(p.policy) as number[];
      expect(Math.abs(p.metrics.qoe.mean - (v[0]! + v[1]! + v[2]!) / 3)).toBeLessThan(1e-6);
    }
  });
});
