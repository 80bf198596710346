import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeShards } from '../../src/experiment/merge.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { scenarioFromText } from '../../src/experiment/scenario.js';
import { SWEEP_YAML, tempDir, writeScenario } from './fixtures.js';

const dir = tempDir();
const file = writeScenario(dir, SWEEP_YAML);
const loaded = scenarioFromText(SWEEP_YAML, file);
const command = 'abrlab run scenario.yaml';
const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');

// One reference run on two worker threads; the other tests compare against its bytes.
const reference = join(dir, 'w2');
const referenceRun = runScenario(loaded, { outDir: reference, command, workers: 2, quiet: true });

describe('runner: byte-identical outputs', () => {
  it('writes every session in plan order with variant and replicate, and the summary groups policy · variant', async () => {
    const outcome = await referenceRun;
    expect(outcome.sessions).toBe(32);
    const rows = read(reference, 'results.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(32);
    // Plan order by hand: trace-major, then replicate, variant, policy.
    expect(rows.slice(0, 5).map((r) => [r.replicate, r.variant, r.policy])).toEqual([
      [0, 'base', 'reference'],
      [0, 'base', 'bba'],
      [0, 'small-buffer', 'reference'],
      [0, 'small-buffer', 'bba'],
      [1, 'base', 'reference'],
    ]);
    expect(rows.every((r) => r.segments.length === 0)).toBe(true);
    // Pairing: the four arms of a user share one seed.
    for (let u = 0; u < 8; u++) expect(new Set(rows.slice(u * 4, u * 4 + 4).map((r) => r.seed)).size).toBe(1);
    const summary = JSON.parse(read(reference, 'summary.json'));
    expect(summary).toMatchObject({ kind: 'run', scenario: 'sweep-test', seed: 42, command, sessions: 32 });
    expect(summary.policies.map((p: { policy: string; sessions: number }) => [p.policy, p.sessions])).toEqual([
      ['reference · base', 8],
      ['bba · base', 8],
      ['reference · small-buffer', 8],
      ['bba · small-buffer', 8],
    ]);
    // The mean QoE of a group is the mean of its rows' QoE (computed here from the file).
    const refBase = rows.filter((r) => r.policy === 'reference' && r.variant === 'base').map((r) => r.summary.qoe.reference);
    expect(summary.policies[0].metrics.qoeReference.mean).toBeCloseTo(refBase.reduce((a: number, b: number) => a + b, 0) / 8, 9);
    // Best / median / worst of the first groups, at most report.timelines (4) in all.
    const timelines = read(reference, 'timelines.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    expect(timelines.map((t) => t.pick)).toEqual(['best', 'median', 'worst', 'best']);
    expect(timelines[0].timeline.buffer.tMs.length).toBeGreaterThan(0);
    expect(JSON.parse(read(reference, 'run.json')).complete).toBe(true);
    expect(read(reference, 'scenario.yaml')).toBe(SWEEP_YAML);
  });

  it('gives the same bytes with 1 worker, 2 workers and in-process', async () => {
    await referenceRun;
    for (const workers of [1, 0]) {
      const out = join(dir, `w${workers}`);
      await runScenario(loaded, { outDir: out, command, workers, quiet: true });
      for (const f of ['results.jsonl', 'summary.json', 'timelines.jsonl']) expect(read(out, f)).toBe(read(reference, f));
    }
  });
});

describe('runner: --resume', () => {
  it('continues after a truncated file and ends with the bytes of an uninterrupted run, re-running nothing done', async () => {
    await referenceRun;
    const out = join(dir, 'resume');
    mkdirSync(out, { recursive: true });
    for (const f of ['results.jsonl', 'run.json']) copyFileSync(join(reference, f), join(out, f));
    // Simulate a kill: 13 complete lines and half of the 14th, the manifest not yet marked complete.
    const full = read(reference, 'results.jsonl');
    const lines = full.split('\n');
    const cut = lines.slice(0, 13).join('\n').length + 1 + Math.floor((lines[13] as string).length / 2);
    truncateSync(join(out, 'results.jsonl'), Buffer.byteLength(full.slice(0, cut)));
    const manifest = JSON.parse(read(out, 'run.json'));
    writeFileSync(join(out, 'run.json'), JSON.stringify({ ...manifest, complete: false }));
    const ran: number[] = [];
    const outcome = await runScenario(loaded, { outDir: out, command, workers: 1, quiet: true, resume: true, onProgress: (d) => ran.push(d) });
    expect(outcome.resumed).toBe(13);
    expect(ran[0]).toBeGreaterThan(13);
    expect(read(out, 'results.jsonl')).toBe(full);
    expect(read(out, 'summary.json')).toBe(read(reference, 'summary.json'));
  });

  it('refuses to resume results of a different scenario', async () => {
    await referenceRun;
    const out = join(dir, 'mismatch');
    mkdirSync(out, { recursive: true });
    for (const f of ['results.jsonl', 'run.json']) copyFileSync(join(reference, f), join(out, f));
    const other = scenarioFromText(SWEEP_YAML.replace('seed: 42', 'seed: 43'), file);
    await expect(runScenario(other, { outDir: out, command, workers: 0, quiet: true, resume: true })).rejects.toThrow(/different scenario.*cannot resume/);
    expect(statSync(join(out, 'results.jsonl')).size).toBe(Buffer.byteLength(read(reference, 'results.jsonl')));
  });
});

describe('runner: shards and merge', () => {
  it('shards 0/3, 1/3, 2/3 merged give exactly the unsharded results.jsonl, summary.json and timelines.jsonl', async () => {
    await referenceRun;
    const dirs: string[] = [];
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `shard-${i}`);
      const outcome = await runScenario(loaded, { outDir: out, command, workers: i === 0 ? 2 : 0, quiet: true, shard: { index: i, count: 3 } });
      // 8 users dealt round-robin over 3 shards: 3, 3 and 2 users of 4 sessions each.
      expect(outcome.sessions).toBe([12, 12, 8][i]);
      expect(existsSync(join(out, 'index.html'))).toBe(false);
      seen.push(...read(out, 'results.jsonl').trim().split('\n'));
      dirs.push(out);
    }
    expect(new Set(seen).size).toBe(32);
    const merged = join(dir, 'merged');
    await mergeShards({ dirs: [dirs[2]!, dirs[0]!, dirs[1]!], outDir: merged });
    for (const f of ['results.jsonl', 'summary.json', 'timelines.jsonl']) expect(read(merged, f)).toBe(read(reference, f));
  });

  it('refuses an incomplete set of shards', async () => {
    await referenceRun;
    const out = join(dir, 'lonely');
    await runScenario(loaded, { outDir: out, command, workers: 0, quiet: true, shard: { index: 1, count: 3 } });
    await expect(mergeShards({ dirs: [out], outDir: join(dir, 'm2') })).rejects.toThrow(/missing shards 0\/3, 2\/3/);
    await expect(mergeShards({ dirs: [reference], outDir: join(dir, 'm3') })).rejects.toThrow(/not a shard/);
  });
});
