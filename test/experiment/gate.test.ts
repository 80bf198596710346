import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { evaluateGate, parseBaseline, sideFromRows, type GateSide } from '../../src/experiment/gate-eval.js';
import { gateJUnit, gateMarkdown } from '../../src/experiment/gate-output.js';
import type { GateResult } from '../../src/experiment/gate-types.js';
import { gateRuleSchema } from '../../src/experiment/scenario-schema.js';
import { runCli } from '../helpers/cli.js';
import { row } from './ab-rows.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const rule = (r: unknown) => gateRuleSchema.parse(r);

/** A side (baseline or run) of one group "p" with the given per-user QoE values. */
function side(qoe: number[], group = 'p'): GateSide {
  return sideFromRows(qoe.map((q, i) => row({ policy: group, trace: `t${i}`, qoe: q, rebufferRatio: q / 1000 }))).side;
}

const evaluate = (rules: unknown[], baseline: GateSide, run: GateSide) =>
  evaluateGate({ rules: rules.map(rule), groups: ['p'], baseline, run, file: 'g.yaml', baselineFile: 'base.json' });

describe('gate rules on hand-made sides', () => {
  const base = side([60, 70, 80, 90]); // mean 75, median 75

  it('maxDrop and maxDropPct read the worsening in the metric direction', () => {
    const run = side([58, 68, 78, 88]); // mean 73: a drop of 2 = 2.667 %
    const [abs, pct, tight] = evaluate(
      [{ metric: 'qoeReference', maxDrop: 2 }, { metric: 'qoeReference', maxDropPct: 3 }, { metric: 'qoeReference', stat: 'median', maxDropPct: 2.5 }],
      base,
      run,
    );
    expect(abs?.change).toBeCloseTo(-2, 12);
    expect(abs?.pass).toBe(true); // a drop of exactly the allowance passes
    expect(pct?.criteria[0]?.value).toBeCloseTo((2 / 75) * 100, 12);
    expect(pct?.pass).toBe(true);
    expect(tight?.pass).toBe(false);
    // Rebuffer ratio is a cost: it fell (0.075 → 0.073), an improvement, so even maxDrop 0 passes.
    const [rebuffer] = evaluate([{ metric: 'rebufferRatio', maxDrop: 0 }], base, run);
    expect(rebuffer?.direction).toBe('lower-is-better');
    expect(rebuffer?.pass).toBe(true);
    // An explicit direction overrides the metric's.
    expect(evaluate([{ metric: 'rebufferRatio', maxDrop: 0, direction: 'higher-is-better' }], base, run)[0]?.pass).toBe(false);
  });

  it('non-inferiority, paired over users: the bound of the mean per-user difference', () => {
    // Per-user differences −1, −3, −1, −3: mean −2, SD 1.1547; 95 % one-sided bound −2 − qt(0.95, 3) · 1.1547/2
    // = −2 − 2.353363 · 0.57735 = −3.35872.
    const run = side([59, 67, 79, 87]);
    const [r] = evaluate([{ metric: 'qoeReference', nonInferiority: { margin: 3.5 } }], base, run);
    expect(r?.criteria[0]?.method).toBe('paired-t');
    expect(r?.criteria[0]?.value).toBeCloseTo(-2 - 2.3533634348018233 * (Math.sqrt(4 / 3) / 2), 9);
    expect(r?.pass).toBe(true);
    expect(evaluate([{ metric: 'qoeReference', nonInferiority: { margin: 3.3 } }], base, run)[0]?.pass).toBe(false);
    // An identical run has a bound of exactly 0 whatever the spread across users.
    expect(evaluate([{ metric: 'qoeReference', nonInferiority: { margin: 0.001 } }], base, side([60, 70, 80, 90]))[0]?.criteria[0]?.value).toBe(0);
  });

  it('non-inferiority, unpaired (Welch) when users cannot be matched', () => {
    // Same values as above under other trace names: no user in common. Means 75 and 73, variances 166.667 and
    // 154.667: SE = √((166.667 + 154.667)/4) = 8.962886, Welch df = 5.991644, bound = −2 − qt(0.95, df) · SE.
    const run = sideFromRows([59, 67, 79, 87].map((q, i) => row({ policy: 'p', trace: `other${i}`, qoe: q }))).side;
    const [r] = evaluate([{ metric: 'qoeReference', nonInferiority: { margin: 1 } }], base, run);
    expect(r?.criteria[0]?.method).toBe('welch-t');
    // qt(0.95, 5.991644) = 1.9436657 (SciPy 1.17 t.ppf); the bound is −19.420855 (SciPy's one-sided
    // ttest_ind(..., equal_var = False).confidence_interval gives the same).
    expect(r?.criteria[0]?.value).toBeCloseTo(-2 - 1.9436657156618244 * 8.962886439832502, 8);
    expect(r?.pass).toBe(false);
  });

  it('bad input: non-inferiority on a median, unknown metric, a baseline without spread', () => {
    expect(() => evaluate([{ metric: 'qoeReference', stat: 'median', nonInferiority: { margin: 1 } }], base, base)).toThrow(/set stat: mean/);
    expect(() => evaluate([{ metric: 'qoe', maxDrop: 1 }], base, base)).toThrow(InputError);
    const runSummary = JSON.stringify({ policies: [{ policy: 'p', sessions: 4, metrics: { qoeReference: { mean: 75, median: 75, p5: 61.5, p95: 88.5 } } }] });
    const plain = parseBaseline(runSummary, 'base.json');
    expect(evaluate([{ metric: 'qoeReference', maxDrop: 1 }], plain, base)[0]?.pass).toBe(true);
    expect(() => evaluate([{ metric: 'qoeReference', nonInferiority: { margin: 1 } }], plain, base)).toThrow(/update-baseline/);
    expect(() => parseBaseline('{', 'base.json')).toThrow(/base\.json: not JSON/);
    expect(() => parseBaseline('{"policies": []}', 'base.json')).toThrow(/field "policies"/);
  });
});

describe('JUnit XML and Markdown', () => {
  const result = (): GateResult => {
    const checks = evaluateGate({
      rules: [rule({ metric: 'qoeReference', maxDropPct: 1 }), rule({ metric: 'startupMs', maxDrop: 100 })],
      groups: ['a<b> & "c"'],
      baseline: side([60, 70], 'a<b> & "c"'),
      run: side([50, 60], 'a<b> & "c"'),
      file: 'g.yaml',
      baselineFile: 'base.json',
    });
    return { kind: 'gate', abrlab: 't', scenario: 's', command: 'abrlab gate s.yaml', baselineFile: 'base.json', groups: ['a<b> & "c"'], checks, pass: false };
  };

  it('is well-formed, one test case per rule × group, failures carry the figures', () => {
    const errors: string[] = [];
    const doc = new DOMParser({ errorHandler: (level: string, msg: unknown) => errors.push(`${level}: ${String(msg)}`) }).parseFromString(gateJUnit(result()), 'text/xml');
    expect(errors).toEqual([]);
    const suites = doc.getElementsByTagName('testsuite');
    expect(suites.length).toBe(1);
    expect(suites[0]?.getAttribute('tests')).toBe('2');
    expect(suites[0]?.getAttribute('failures')).toBe('1');
    const cases = doc.getElementsByTagName('testcase');
    expect(cases.length).toBe(2);
    expect(cases[0]?.getAttribute('classname')).toBe('s.a<b> & "c"');
    const failure = cases[0]?.getElementsByTagName('failure')[0];
    // QoE mean 65 → 55: −10, −15.38 %.
    expect(failure?.getAttribute('message')).toMatch(/baseline 65, run 55, change -10 \(-15\.38 %\)/);
    expect(cases[1]?.getElementsByTagName('failure').length).toBe(0);
  });

  it('Markdown leads with the verdict and escapes table cells', () => {
    const md = gateMarkdown({ ...result(), groups: ['x|y'], checks: result().checks.map((c) => ({ ...c, group: 'x|y' })) });
    expect(md.split('\n')[0]).toBe('## ❌ abrlab gate failed: s');
    expect(md).toMatch(/\| ❌ \*\*fail\*\* \| x\\\|y \| qoeReference mean \| 65 \| 55 \|/);
  });
});

describe('abrlab gate (end to end)', () => {
  let dir: string;
  let baseline: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'abrlab-gate-'));
    baseline = join(dir, 'baseline.json');
    const res = await runCli(['gate', join(FIXTURES, 'gate-equal.yaml'), '--baseline', baseline, '--update-baseline', '--out', join(dir, 'base'), '--workers', '0']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  });

  it('passes on an equal player (exit 0)', async () => {
    const junit = join(dir, 'equal.xml');
    const res = await runCli(['gate', join(FIXTURES, 'gate-equal.yaml'), '--baseline', baseline, '--out', join(dir, 'equal'), '--workers', '0', '--junit', junit]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/gate passed: 4 checks/);
    expect(await readFile(junit, 'utf8')).toMatch(/tests="4" failures="0"/);
  });

  it('fails on a deliberately worse player (exit 1), with JUnit and Markdown', async () => {
    const junit = join(dir, 'worse.xml');
    const md = join(dir, 'step-summary.md');
    await writeFile(md, '## earlier step\n');
    const res = await runCli(['gate', join(FIXTURES, 'gate-worse.yaml'), '--baseline', baseline, '--out', join(dir, 'worse'), '--workers', '0', '--junit', junit, '--summary-md', md]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/gate FAILED/);
    const doc = new DOMParser().parseFromString(await readFile(junit, 'utf8'), 'text/xml');
    const failed = [...Array.from(doc.getElementsByTagName('testcase'))].filter((c) => c.getElementsByTagName('failure').length > 0);
    // The QoE rules fail: its mean drops by more than 2 % and its non-inferiority bound is below −1.
    expect(failed.map((c) => c.getAttribute('name'))).toEqual(expect.arrayContaining([expect.stringMatching(/^rule 1: qoeReference mean/), expect.stringMatching(/^rule 2: qoeReference mean/)]));
    const text = await readFile(md, 'utf8');
    expect(text.startsWith('## earlier step\n')).toBe(true);
    expect(text).toMatch(/## ❌ abrlab gate failed: gate-worse/);
  });

  it('exit 2 on bad input: a missing baseline, a malformed one', async () => {
    const missing = await runCli(['gate', join(FIXTURES, 'gate-equal.yaml'), '--baseline', join(dir, 'nope.json'), '--out', join(dir, 'x'), '--workers', '0']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read the baseline/);
    const bad = join(dir, 'bad.json');
    await copyFile(join(FIXTURES, 'gate-equal.yaml'), bad);
    const malformed = await runCli(['gate', join(FIXTURES, 'gate-equal.yaml'), '--baseline', bad, '--out', join(dir, 'y'), '--workers', '0']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/bad\.json: not JSON/);
  });

  it('the updated baseline carries what non-inferiority needs', async () => {
    const summary = JSON.parse(await readFile(baseline, 'utf8')) as { kind: string; moments: Record<string, Record<string, { n: number }>>; sessionValues: Record<string, { keys: string[] }> };
    expect(summary.kind).toBe('gate');
    // 5 trace files + 3 generated traces.
    expect(summary.moments.reference?.qoeReference?.n).toBe(8);
    expect(summary.sessionValues.reference?.keys).toHaveLength(8);
  });
});
