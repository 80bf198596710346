/**
 * `abrlab gate`: runs a scenario, compares it with a stored baseline summary.json under the scenario's
 * `gate.rules` (gate-eval.ts) and says pass or regression; optionally writes JUnit XML, a Markdown summary and
 * the new baseline. The run's summary.json gains the fields a baseline needs for non-inferiority (gate-types.ts).
 *
 * `--update-baseline` accepts the run: the comparison with the old baseline (when there is one) is still
 * computed and written, then the run's summary.json replaces the baseline and the gate passes. A missing baseline
 * file is only accepted with `--update-baseline` (the first run of a new gate).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../core/errors.js';
import { readJsonLines } from '../report/results-dir.js';
import type { ReportSession } from '../report/types.js';
import { VERSION } from '../version.js';
import { evaluateGate, gateGroups, parseBaseline, sideFromRows } from './gate-eval.js';
import { gateJUnit, gateMarkdown } from './gate-output.js';
import type { GateResult } from './gate-types.js';
import { runScenario } from './run-scenario.js';
import type { LoadedScenario } from './scenario.js';

export interface GateRunOptions {
  outDir: string;
  command: string;
  /** Baseline summary.json (else the scenario's gate.baseline, relative to the scenario file). */
  baseline?: string;
  junit?: string;
  summaryMd?: string;
  updateBaseline?: boolean;
  workers?: number;
}

export interface GateRunOutcome {
  /** Undefined when there was no baseline yet (first run with --update-baseline). */
  result?: GateResult;
  /** Exit code: 0 pass (or baseline updated), 1 regression. Bad input throws InputError (exit 2). */
  exitCode: 0 | 1;
  baselineFile: string;
  baselineUpdated: boolean;
  files: { results: string; summary: string; junit?: string; summaryMd?: string };
}

async function readBaseline(file: string, mayBeMissing: boolean): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && mayBeMissing) return undefined;
    throw new InputError(`cannot read the baseline (${code ?? 'error'}); give the summary.json of an earlier run, or create it with --update-baseline`, { file });
  }
}

export async function runGate(loaded: LoadedScenario, opts: GateRunOptions): Promise<GateRunOutcome> {
  const gate = loaded.scenario.gate;
  if (gate === undefined) throw new InputError('the scenario has no gate section (gate.rules lists what to check)', { file: loaded.file, field: 'gate' });
  const baselineFile = opts.baseline ?? (gate.baseline === undefined ? undefined : loaded.resolvePath(gate.baseline));
  if (baselineFile === undefined) throw new InputError('no baseline: pass --baseline summary.json or set gate.baseline', { file: loaded.file, field: 'gate.baseline' });
  // Read and check the baseline before the run, so a bad baseline costs nothing.
  const baselineText = await readBaseline(baselineFile, opts.updateBaseline === true);
  const baseline = baselineText === undefined ? undefined : parseBaseline(baselineText, baselineFile);

  const run = await runScenario(loaded, { outDir: opts.outDir, command: opts.command, quiet: true, ...(opts.workers === undefined ? {} : { workers: opts.workers }) });
  const rows: ReportSession[] = [];
  for await (const row of readJsonLines<ReportSession>(run.files.results)) rows.push({ ...row, segments: [] });
  const { side, fields } = sideFromRows(rows);
  const summary = JSON.parse(await readFile(run.files.summary, 'utf8')) as Record<string, unknown>;
  const summaryText = JSON.stringify({ ...summary, kind: 'gate', ...fields }, null, 2) + '\n';
  await writeFile(run.files.summary, summaryText);

  const files: GateRunOutcome['files'] = { results: run.files.results, summary: run.files.summary };
  let result: GateResult | undefined;
  if (baseline !== undefined) {
    const groups = gateGroups({ listed: gate.policies, baseline, run: side, file: loaded.file, baselineFile });
    const checks = evaluateGate({ rules: gate.rules, groups, baseline, run: side, file: loaded.file, baselineFile });
    result = {
      kind: 'gate',
      abrlab: VERSION,
      scenario: loaded.scenario.name,
      command: opts.command,
      baselineFile,
      groups,
      checks,
      pass: checks.every((c) => c.pass),
    };
    await writeFile(join(opts.outDir, 'gate.json'), JSON.stringify(result, null, 2) + '\n');
    if (opts.junit !== undefined) {
      await mkdir(dirname(opts.junit), { recursive: true });
      await writeFile(opts.junit, gateJUnit(result));
      files.junit = opts.junit;
    }
    if (opts.summaryMd !== undefined) {
      await mkdir(dirname(opts.summaryMd), { recursive: true });
      // Appends: GITHUB_STEP_SUMMARY is one file that every step of a job adds to.
      const previous = await readFile(opts.summaryMd, 'utf8').catch(() => '');
      await writeFile(opts.summaryMd, previous + (previous === '' || previous.endsWith('\n\n') ? '' : '\n') + gateMarkdown(result));
      files.summaryMd = opts.summaryMd;
    }
  }
  if (opts.updateBaseline === true) {
    await mkdir(dirname(baselineFile), { recursive: true });
    await writeFile(baselineFile, summaryText);
  }
  const exitCode = opts.updateBaseline === true || result?.pass === true ? 0 : 1;
  return { ...(result === undefined ? {} : { result }), exitCode, baselineFile, baselineUpdated: opts.updateBaseline === true, files };
}
