import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveShard } from '../../src/experiment/shard.js';
import { runCli } from '../helpers/cli.js';
import { SWEEP_YAML, tempDir, writeScenario } from './fixtures.js';

describe('shard selection from the environment', () => {
  it('takes --shard first, then a Kubernetes Indexed Job, then a Slurm array', () => {
    expect(resolveShard({ shard: '2/5' }, { JOB_COMPLETION_INDEX: '1', JOB_COMPLETION_COUNT: '3' })?.shard).toEqual({ index: 2, count: 5 });
    expect(resolveShard({}, { JOB_COMPLETION_INDEX: '1', JOB_COMPLETION_COUNT: '3' })).toEqual({ shard: { index: 1, count: 3 }, from: 'JOB_COMPLETION_INDEX' });
    expect(resolveShard({ shardCount: 4 }, { JOB_COMPLETION_INDEX: '3' })?.shard).toEqual({ index: 3, count: 4 });
    // sbatch --array=1-3: ids 1..3 are shards 0..2.
    expect(resolveShard({}, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' })?.shard).toEqual({ index: 2, count: 3 });
    expect(resolveShard({}, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2' })?.shard).toEqual({ index: 0, count: 2 });
    expect(resolveShard({}, {})).toBeUndefined();
  });

  it('rejects a missing count or an index out of range', () => {
    expect(() => resolveShard({}, { JOB_COMPLETION_INDEX: '1' })).toThrow(/--shard-count N or set JOB_COMPLETION_COUNT/);
    expect(() => resolveShard({}, { JOB_COMPLETION_INDEX: '3', JOB_COMPLETION_COUNT: '3' })).toThrow(/not in 0\.\.2/);
    expect(() => resolveShard({ shard: '1-3' }, {})).toThrow(/expected i\/n/);
    expect(() => resolveShard({ shardCount: 2 }, {})).toThrow(/needs JOB_COMPLETION_INDEX/);
  });
});

describe('abrlab run --shard / env and abrlab merge (end to end)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['JOB_COMPLETION_INDEX', 'JOB_COMPLETION_COUNT', 'SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('JOB_COMPLETION_INDEX selects the same sessions as --shard, and merge rebuilds the unsharded run', async () => {
    const dir = tempDir();
    const file = writeScenario(dir, SWEEP_YAML);
    const whole = await runCli(['run', file, '--out', join(dir, 'whole'), '--workers', '0', '--quiet']);
    expect(whole.code).toBe(0);
    const flag = await runCli(['run', file, '--out', join(dir, 'flag-1'), '--workers', '0', '--quiet', '--shard', '1/2']);
    expect(flag.code).toBe(0);
    process.env['JOB_COMPLETION_INDEX'] = '1';
    process.env['JOB_COMPLETION_COUNT'] = '2';
    const env1 = await runCli(['run', file, '--out', join(dir, 'env-1'), '--workers', '0']);
    expect(env1.code).toBe(0);
    expect(env1.stderr).toContain('shard 1/2 (from JOB_COMPLETION_INDEX)');
    delete process.env['JOB_COMPLETION_INDEX'];
    delete process.env['JOB_COMPLETION_COUNT'];
    process.env['SLURM_ARRAY_TASK_ID'] = '0';
    process.env['SLURM_ARRAY_TASK_COUNT'] = '2';
    const env0 = await runCli(['run', file, '--out', join(dir, 'env-0'), '--workers', '0', '--quiet']);
    expect(env0.code).toBe(0);
    const r = (d: string, f = 'results.jsonl') => readFileSync(join(dir, d, f), 'utf8');
    expect(r('env-1')).toBe(r('flag-1'));
    const merged = await runCli(['merge', join(dir, 'env-0'), join(dir, 'env-1'), '--out', join(dir, 'merged')]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('32 sessions');
    expect(r('merged')).toBe(r('whole'));
    expect(r('merged', 'summary.json')).toBe(r('whole', 'summary.json'));
  });

  it('merge of one shard twice is a usage error (exit 2)', async () => {
    const dir = tempDir();
    const file = writeScenario(dir, SWEEP_YAML);
    await runCli(['run', file, '--out', join(dir, 's0'), '--workers', '0', '--quiet', '--shard', '0/2']);
    const res = await runCli(['merge', join(dir, 's0'), join(dir, 's0'), '--out', join(dir, 'm')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/shard 0\/2 is given twice/);
  });
});

describe('abrlab scenario validate', () => {
  it('prints every problem with its field path and exits 2', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'name: bad name',
        'video: v.json',
        'traces: [a.json]',
        'policies: []',
        'replicates: 0',
        'variants:',
        '  - name: a',
        '    buffer: { targetMs: -1 }',
        '  - name: b',
        '    player: { lowWaterMs: 50000, targetBufferMs: 30000 }',
        '    startup: { strategy: fixed }',
        '',
      ].join('\n'),
    );
    const res = await runCli(['scenario', 'validate', bad]);
    expect(res.code).toBe(2);
    for (const field of ['name', 'policies', 'replicates', 'variants[0].buffer.targetMs', 'variants[1].startup.bitrateKbps']) {
      expect(res.stderr).toContain(`field "${field}"`);
    }
    expect(res.stderr).toContain('bad.yaml');
  });

  it('accepts every example scenario', async () => {
    for (const f of ['quickstart', 'compare-policies', 'ab-buffer-targets', 'ci-gate', 'cdn-cost', 'startup-flow', 'ab-throughput-sampling', 'series', 'live-event', 'interactive']) {
      const res = await runCli(['scenario', 'validate', `scenarios/${f}.yaml`]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
    }
  });
});
