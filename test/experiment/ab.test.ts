import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseAb, splitArm, userKey, type AbAnalysisInput } from '../../src/experiment/ab-analysis.js';
import type { AbResult } from '../../src/experiment/ab-types.js';
import { runCli } from '../helpers/cli.js';
import { row } from './ab-rows.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

// Control QoE on six traces, and the treatment 2, 3, 1, 4, 5, 6 points higher: no ties, no zeros.
const CONTROL_QOE = [50, 60, 70, 80, 55, 65];
const DIFFS = [2, 3, 1, 4, 5, 6];

function pairedRows(): AbAnalysisInput['rows'] {
  return CONTROL_QOE.flatMap((q, i) => [
    row({ policy: 'a', trace: `t${i}`, qoe: q, startupMs: 1000 }),
    row({ policy: 'b', trace: `t${i}`, qoe: q + (DIFFS[i] as number), startupMs: 1000 }),
  ]);
}

function input(over: Partial<AbAnalysisInput>): AbAnalysisInput {
  return {
    rows: pairedRows(),
    arms: [
      { name: 'control', policy: 'a' },
      { name: 'new', policy: 'b' },
    ],
    design: 'paired',
    metrics: ['qoeReference'],
    alpha: 0.05,
    bootstrapResamples: 1000,
    test: 'wilcoxon',
    permutations: 10_000,
    rollout: { metric: 'qoeReference', minImprovementPct: 2 },
    seed: 1,
    file: 'ab.yaml',
    meta: { abrlab: 'test', scenario: 's', command: 'c' },
    ...over,
  };
}

describe('analyseAb, paired', () => {
  it('computes the figures by hand and rolls out', () => {
    const r = analyseAb(input({}));
    const m = r.comparisons[0]?.metrics[0];
    // Mean diff 21/6 = 3.5; control mean 380/6 = 63.33; +5.526 %. All six differences positive and untied:
    // exact Wilcoxon p = 2 · (1/2⁶) = 0.03125. dz = 3.5 / SD(2,3,1,4,5,6) = 3.5 / √3.5 = 1.8708.
    expect(m?.n).toBe(6);
    expect(m?.meanDiff).toBeCloseTo(3.5, 12);
    expect(m?.controlMean).toBeCloseTo(380 / 6, 12);
    expect(m?.relativeDiffPct).toBeCloseTo((3.5 / (380 / 6)) * 100, 10);
    expect(m?.test).toBe('wilcoxon-signed-rank');
    expect(m?.pValue).toBeCloseTo(0.03125, 14);
    expect(m?.pHolm).toBeCloseTo(0.03125, 14);
    expect(m?.effectSize).toEqual({ kind: 'cohens-dz', value: expect.closeTo(Math.sqrt(3.5), 12) as number });
    // Every resample of positive differences has a mean between 1 and 6.
    expect(m?.ci.low).toBeGreaterThanOrEqual(1);
    expect(m?.ci.high).toBeLessThanOrEqual(6);
    expect(m?.verdict).toBe('better');
    expect(r.comparisons[0]?.decision.action).toBe('rollout');
    expect(r.comparisons[0]?.decision.improvementPct).toBeCloseTo(5.526, 3);
    expect(r.comparisons[0]?.pairs.map((p) => p.diff.qoeReference)).toEqual(DIFFS);
    expect(r.holmFamilySize).toBe(1);
  });

  it('Holm across metrics: a second test doubles the smallest p and the rollout is kept', () => {
    // startupMs differs by nothing (p = 1); Holm: 0.03125 · 2 = 0.0625 ≥ 0.05.
    const r = analyseAb(input({ metrics: ['qoeReference', 'startupMs'] }));
    const [qoe, startup] = r.comparisons[0]?.metrics ?? [];
    expect(r.holmFamilySize).toBe(2);
    expect(qoe?.pHolm).toBeCloseTo(0.0625, 14);
    expect(startup?.pValue).toBe(1);
    expect(startup?.verdict).toBe('no-change');
    expect(r.comparisons[0]?.decision.action).toBe('keep');
    expect(r.comparisons[0]?.decision.reason).toMatch(/not significant/);
  });

  it('the permutation test enumerates 2⁶ sign patterns: only all-plus and all-minus reach |sum| 21', () => {
    const m = analyseAb(input({ test: 'permutation' })).comparisons[0]?.metrics[0];
    expect(m?.test).toBe('paired-permutation');
    expect(m?.pValue).toBeCloseTo(2 / 64, 14);
  });

  it('keeps when the improvement is below the threshold, and reads direction for costs', () => {
    const rows = CONTROL_QOE.flatMap((q, i) => [
      row({ policy: 'a', trace: `t${i}`, qoe: q, startupMs: 1000 }),
      row({ policy: 'b', trace: `t${i}`, qoe: q + 0.1 * (i + 1), startupMs: 1000 + 100 * (i + 1) }),
    ]);
    const r = analyseAb(input({ rows, metrics: ['qoeReference', 'startupMs'], alpha: 0.1 }));
    const startup = r.comparisons[0]?.metrics[1];
    // Startup +350 ms on average, all six higher: p = 0.03125, Holm 0.0625 < 0.1, and higher startup is worse.
    expect(startup?.higherIsBetter).toBe(false);
    expect(startup?.verdict).toBe('worse');
    expect(r.comparisons[0]?.decision.action).toBe('keep');
    expect(r.comparisons[0]?.decision.reason).toMatch(/not above 2 %/);
  });

  it('counts unmatched sessions and refuses fewer than two pairs', () => {
    const rows = [...pairedRows(), row({ policy: 'a', trace: 'lonely', qoe: 10 })];
    expect(analyseAb(input({ rows })).comparisons[0]?.unmatched).toBe(1);
    expect(() => analyseAb(input({ rows: pairedRows().slice(0, 2) }))).toThrow(/1 matched pair/);
  });

  it('pairs within (video, trace, replicate)', () => {
    const rows = [0, 1].flatMap((rep) => pairedRows().map((r) => ({ ...r, replicate: rep })));
    const c = analyseAb(input({ rows })).comparisons[0];
    expect(c?.pairs).toHaveLength(12);
    expect(c?.unmatched).toBe(0);
  });
});

describe('population split', () => {
  it('hashes users deterministically, in proportion to the shares', () => {
    const keys = Array.from({ length: 4000 }, (_, i) => userKey(row({ policy: 'a', trace: `t${i}` })));
    const arms = keys.map((k) => splitArm(1, k, [0.9, 0.1]));
    expect(keys.map((k) => splitArm(1, k, [0.9, 0.1]))).toEqual(arms);
    const treated = arms.filter((a) => a === 1).length;
    // Binomial(4000, 0.1): 400 ± 19 (SD); allow 4 SD.
    expect(Math.abs(treated - 400)).toBeLessThan(76);
  });

  it('keeps one arm per user and uses the unpaired statistics', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [
      row({ policy: 'a', trace: `t${i}`, qoe: 50 + (i % 7) }),
      row({ policy: 'b', trace: `t${i}`, qoe: 52 + (i % 7) }),
    ]).flat();
    const arms = [
      { name: 'control', policy: 'a', share: 0.7 },
      { name: 'new', policy: 'b', share: 0.3 },
    ];
    const r = analyseAb(input({ rows, arms, design: 'population-split' }));
    expect((r.arms[0]?.sessions ?? 0) + (r.arms[1]?.sessions ?? 0)).toBe(60);
    const m = r.comparisons[0]?.metrics[0];
    expect(m?.test).toBe('mann-whitney-u');
    expect(m?.effectSize.kind).toBe('hedges-g');
    expect(m?.nControl).toBe(r.arms[0]?.sessions);
    // Recompute the arm means from the users' assignment.
    const inArm = (arm: number): number[] => rows.filter((x) => x.policy === (arm === 0 ? 'a' : 'b') && splitArm(1, userKey(x), [0.7, 0.3]) === arm).map((x) => x.summary.qoe.reference);
    const avg = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    expect(m?.meanDiff).toBeCloseTo(avg(inArm(1)) - avg(inArm(0)), 12);
    expect(r.comparisons[0]?.pairs).toEqual([]);
    expect(analyseAb(input({ rows, arms, design: 'population-split', test: 'permutation' })).comparisons[0]?.metrics[0]?.test).toBe('welch-t');
  });
});

describe('abrlab ab (end to end, arms = policies)', () => {
  it('writes ab.json with paired figures and prints the decision', async () => {
    const out = await mkdtemp(join(tmpdir(), 'abrlab-ab-'));
    const res = await runCli(['ab', join(FIXTURES, 'ab-policies.yaml'), '--out', out, '--workers', '0']);
    expect(res.stderr).not.toMatch(/internal error/);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/decision: (ROLL OUT|KEEP)/);
    const ab = JSON.parse(await readFile(join(out, 'ab.json'), 'utf8')) as AbResult;
    expect(ab.kind).toBe('ab');
    expect(ab.control).toBe('reference');
    expect(ab.arms.map((a) => a.name)).toEqual(['reference', 'throughput']);
    const c = ab.comparisons[0];
    // 5 trace files + 5 generated traces, one replicate: 10 users, each met by both arms.
    expect(c?.pairs).toHaveLength(10);
    expect(c?.unmatched).toBe(0);
    expect(ab.holmFamilySize).toBe(5);
    // Pairs are the same user: the results rows of both arms of a trace carry the same seed.
    const rows = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { policy: string; trace: string; seed: number });
    for (const p of c?.pairs ?? []) {
      expect(new Set(rows.filter((r) => r.trace === p.trace).map((r) => r.seed))).toEqual(new Set([p.seed]));
    }
    await expect(readFile(join(out, 'index.html'), 'utf8')).resolves.toMatch(/<html/i);
    expect((JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as { kind: string }).kind).toBe('ab');
  });

  it('exits 2 on an unknown metric, naming the field', async () => {
    const res = await runCli(['ab', join(FIXTURES, 'ab-bad-metric.yaml'), '--out', await mkdtemp(join(tmpdir(), 'abrlab-ab-')), '--workers', '0']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/ab\.metrics\[1\].*unknown metric "qoe"/);
  });
});

describe('abrlab ab (end to end, population split)', () => {
  it('puts every user in exactly one arm and uses the unpaired tests', async () => {
    const out = await mkdtemp(join(tmpdir(), 'abrlab-ab-'));
    const res = await runCli(['ab', join(FIXTURES, 'ab-split.yaml'), '--out', out, '--workers', '0', '--json']);
    expect(res.code).toBe(0);
    const ab = JSON.parse(res.stdout) as AbResult;
    expect(ab.design).toBe('population-split');
    expect(ab.arms.map((a) => a.share)).toEqual([0.7, 0.3]);
    // 20 traces × 2 replicates = 40 users, split between the arms.
    expect((ab.arms[0]?.sessions ?? 0) + (ab.arms[1]?.sessions ?? 0)).toBe(40);
    expect(ab.arms[1]?.sessions).toBeGreaterThanOrEqual(2);
    const m = ab.comparisons[0]?.metrics[0];
    expect(m?.test).toBe('mann-whitney-u');
    expect(m?.nTreatment).toBe(ab.arms[1]?.sessions);
    expect(ab.comparisons[0]?.pairs).toEqual([]);
    expect(JSON.parse(await readFile(join(out, 'ab.json'), 'utf8'))).toEqual(ab);
  });
});
