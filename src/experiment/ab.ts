/**
 * `abrlab ab`: runs a scenario (every arm on the same traces and seeds: the runner draws a user per (video, trace,
 * replicate), never per arm), analyses it (ab-analysis.ts), writes ab.json next to results.jsonl and renders the
 * report, which shows the A/B section from ab.json.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { readJsonLines } from '../report/results-dir.js';
import type { ReportSession } from '../report/types.js';
import { VERSION } from '../version.js';
import { analyseAb, type AbArmSpec } from './ab-analysis.js';
import { checkMetricId } from './ab-metrics.js';
import type { AbResult } from './ab-types.js';
import type { SummaryMetric } from './aggregate.js';
import { prepareRun } from './context.js';
import { writeRunReport } from './results-dir.js';
import { runScenario } from './run-scenario.js';
import { scenarioSchema, type AbSettings, type LoadedScenario } from './scenario.js';

export interface AbRunOptions {
  outDir: string;
  /** Recorded in summary.json and ab.json. */
  command: string;
  workers?: number;
  /** Render index.html after the analysis (default true). */
  report?: boolean;
}

export interface AbRunOutcome {
  result: AbResult;
  files: { results: string; ab: string; summary: string; report?: string };
}

/** The scenario's `ab` section, or its defaults when the scenario has none. */
export function abSettingsOf(loaded: LoadedScenario): AbSettings {
  return loaded.scenario.ab ?? scenarioSchema.shape.ab.unwrap().parse({});
}

/** Metric ids of the analysis, checked, with the rollout metric added when the list lacks it. */
function analysedMetrics(settings: AbSettings, file: string): { metrics: SummaryMetric[]; rollout: SummaryMetric } {
  const metrics = settings.metrics.map((m, i) => checkMetricId(m, { file, field: `ab.metrics[${i}]` }));
  const rollout = checkMetricId(settings.rollout.metric, { file, field: 'ab.rollout.metric' });
  return { metrics: metrics.includes(rollout) ? [...new Set(metrics)] : [rollout, ...new Set(metrics)], rollout };
}

/**
 * Shares of the population split: every arm's own `share` when all give one (they must sum to 1), else the control
 * gets 1 − treatmentShare and the treatments split treatmentShare evenly (reference: 90 / 10).
 */
function splitShares(settings: AbSettings, arms: readonly { share?: number | undefined }[], file: string): number[] {
  const given = arms.filter((a) => a.share !== undefined).length;
  if (given === arms.length) {
    const shares = arms.map((a) => a.share as number);
    const sum = shares.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > 1e-9) throw new InputError(`arm shares sum to ${sum}, not 1`, { file, field: 'ab.arms' });
    return shares;
  }
  if (given > 0) throw new InputError('give a share on every arm or on none (then ab.treatmentShare splits the users)', { file, field: 'ab.arms' });
  const each = settings.treatmentShare / (arms.length - 1);
  return arms.map((_, i) => (i === 0 ? 1 - settings.treatmentShare : each));
}

/**
 * The arms, resolved against the policies and variants present in the results: `ab.arms` as written (policy
 * default: the first policy), else one arm per variant (with the first policy), else one per policy.
 */
export function resolveArms(settings: AbSettings, rows: readonly ReportSession[], loaded: LoadedScenario): AbArmSpec[] {
  const file = loaded.file;
  const policies = [...new Set(rows.map((r) => r.policy))];
  const variants = [...new Set(rows.map((r) => r.variant).filter((v): v is string => v !== undefined))];
  const first = policies[0];
  if (first === undefined) throw new InputError('the run produced no sessions', { file });
  let arms: AbArmSpec[];
  if (settings.arms !== undefined) {
    arms = settings.arms.map((a, i) => {
      const policy = a.policy ?? first;
      if (!policies.includes(policy)) {
        throw new InputError(`unknown policy "${policy}"; the run has ${policies.map((p) => `"${p}"`).join(', ')}`, { file, field: `ab.arms[${i}].policy` });
      }
      return { name: a.name, policy, ...(a.variant === undefined ? {} : { variant: a.variant }), ...(a.share === undefined ? {} : { share: a.share }) };
    });
  } else if (variants.length > 0) {
    arms = variants.map((v) => ({ name: v, policy: first, variant: v }));
  } else {
    arms = policies.map((p) => ({ name: p, policy: p }));
  }
  if (arms.length < 2) {
    throw new InputError('an A/B needs two arms: list ab.arms, or give the scenario two variants or two policies', { file, field: 'ab.arms' });
  }
  const names = new Set<string>();
  arms.forEach((a, i) => {
    if (names.has(a.name)) throw new InputError(`duplicate arm name "${a.name}"`, { file, field: `ab.arms[${i}].name` });
    names.add(a.name);
  });
  if (settings.design === 'population-split') {
    const shares = splitShares(settings, arms, file);
    arms = arms.map((a, i) => ({ ...a, share: shares[i] as number }));
  }
  return arms;
}

/** Runs the scenario, analyses it and writes ab.json (and the report). */
export async function runAb(loaded: LoadedScenario, opts: AbRunOptions): Promise<AbRunOutcome> {
  const settings = abSettingsOf(loaded);
  const { metrics, rollout } = analysedMetrics(settings, loaded.file);
  if (settings.design === 'population-split' && settings.arms !== undefined) splitShares(settings, settings.arms, loaded.file);

  const run = await runScenario(loaded, { outDir: opts.outDir, command: opts.command, quiet: true, ...(opts.workers === undefined ? {} : { workers: opts.workers }) });
  const rows: ReportSession[] = [];
  // Segments are not needed here and can be most of a row: drop them as rows stream in.
  for await (const row of readJsonLines<ReportSession>(run.files.results)) rows.push({ ...row, segments: [] });

  const result = analyseAb({
    rows,
    arms: resolveArms(settings, rows, loaded),
    design: settings.design,
    metrics,
    alpha: settings.alpha,
    bootstrapResamples: settings.bootstrapResamples,
    test: settings.test,
    permutations: settings.permutations,
    rollout: { metric: rollout, minImprovementPct: settings.rollout.minImprovementPct },
    seed: loaded.scenario.seed,
    file: loaded.file,
    meta: { abrlab: VERSION, scenario: loaded.scenario.name, command: opts.command },
  });
  // summary.json says which command made the directory (the report shows it under the title).
  const summary = JSON.parse(await readFile(run.files.summary, 'utf8')) as Record<string, unknown>;
  await writeFile(run.files.summary, JSON.stringify({ ...summary, kind: 'ab' }, null, 2) + '\n');
  const abFile = join(opts.outDir, 'ab.json');
  await writeFile(abFile, JSON.stringify(result, null, 2) + '\n');
  const files: AbRunOutcome['files'] = { results: run.files.results, ab: abFile, summary: run.files.summary };
  if (opts.report !== false && loaded.scenario.report.html) {
    // The report re-simulates the sessions it draws (deterministic), as the run's own report does.
    const report = await writeRunReport(opts.outDir, await prepareRun(loaded));
    if (report !== undefined) files.report = report;
  }
  return { result, files };
}
