/**
 * The gate's comparison, as pure functions: a run's groups against a baseline summary.json under the scenario's
 * `gate.rules`. Each rule is checked on each group; a rule's criteria are:
 *
 * - `maxDrop`: the worsening of the stat (baseline → run, in the rule's direction) must not exceed maxDrop.
 * - `maxDropPct`: the same in % of |baseline| (with a baseline of 0, any worsening fails).
 * - `nonInferiority` (mean only): the one-sided lower confidence bound of the improvement (run − baseline, in the
 *   better direction) must exceed −margin. Paired t bound over users present in both (when both summaries carry
 *   `sessionValues`), else Welch's unpaired bound from `moments` (gate-types.ts explains both fields).
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { defaultGroupOf, type ReportSession } from '../report/types.js';
import { HIGHER_IS_BETTER, METRIC_IDS, checkMetricId, metricValue } from './ab-metrics.js';
import { userKey } from './ab-analysis.js';
import { stats, type MetricStats, type SummaryMetric } from './aggregate.js';
import type { GateRule } from './scenario.js';
import { mean, sampleSd } from './stats/descriptive.js';
import { studentTQuantile } from '../stats/distributions.js';
import { welchLowerBound } from './stats/welch.js';
import { SESSION_VALUES_MAX_SESSIONS, type GateCheck, type GateCriterion, type GateSummaryFields, type GroupSessionValues, type MetricMoments } from './gate-types.js';

type StatName = 'mean' | 'median' | 'p5' | 'p95';

/** What the gate knows of one group on one side (baseline or run). */
export interface GateGroup {
  sessions: number;
  stats: Partial<Record<SummaryMetric, Partial<Record<StatName, number>>>>;
  moments?: Partial<Record<SummaryMetric, MetricMoments>>;
  sessionValues?: GroupSessionValues;
}

export type GateSide = Map<string, GateGroup>;

/** The gate's view of a run, from its result rows; also the fields `abrlab gate` adds to summary.json. */
export function sideFromRows(rows: readonly ReportSession[]): { side: GateSide; fields: GateSummaryFields } {
  const byGroup = new Map<string, ReportSession[]>();
  for (const r of rows) {
    const g = defaultGroupOf(r);
    const list = byGroup.get(g) ?? [];
    list.push(r);
    byGroup.set(g, list);
  }
  const side: GateSide = new Map();
  const fields: GateSummaryFields = { moments: {}, sessionValues: {} };
  for (const [group, list] of byGroup) {
    const st: GateGroup['stats'] = {};
    const moments: NonNullable<GateGroup['moments']> = {};
    const values: GroupSessionValues['values'] = {};
    for (const id of METRIC_IDS) {
      const all = list.map((r) => metricValue(r, id));
      const finite = all.filter(Number.isFinite);
      const s: MetricStats = stats(finite);
      st[id] = { mean: s.mean, median: s.median, p5: s.p5, p95: s.p95 };
      moments[id] = { n: finite.length, mean: mean(finite), sd: sampleSd(finite) };
      values[id] = all.map((v) => (Number.isFinite(v) ? v : null));
    }
    const sessionValues = list.length <= SESSION_VALUES_MAX_SESSIONS ? { keys: list.map(userKey), values } : undefined;
    side.set(group, { sessions: list.length, stats: st, moments, ...(sessionValues === undefined ? {} : { sessionValues }) });
    fields.moments[group] = moments;
    if (sessionValues !== undefined) fields.sessionValues[group] = sessionValues;
  }
  return { side, fields };
}

const num = z.number().nullable();
const baselineSchema = z.object({
  policies: z
    .array(
      z.object({
        policy: z.string(),
        sessions: z.number().int().nonnegative(),
        metrics: z.record(z.string(), z.object({ mean: num, median: num, p5: num, p95: num, sd: num.optional() })),
      }),
    )
    .min(1),
  moments: z.record(z.string(), z.record(z.string(), z.object({ n: z.number(), mean: num, sd: num }))).optional(),
  sessionValues: z.record(z.string(), z.object({ keys: z.array(z.string()), values: z.record(z.string(), z.array(num)) })).optional(),
});

const nanIfNull = (v: number | null | undefined): number => (typeof v === 'number' ? v : Number.NaN);

/** Parses a baseline summary.json; errors name the file and the field. */
export function parseBaseline(text: string, file: string): GateSide {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not JSON (${(err as Error).message}); give the summary.json of an earlier run`, { file });
  }
  const parsed = baselineSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') ?? '';
    throw new InputError(`not a summary.json baseline: ${issue?.message ?? 'invalid'}`, { file, ...(field ? { field } : {}) });
  }
  const side: GateSide = new Map();
  for (const p of parsed.data.policies) {
    const st: GateGroup['stats'] = {};
    const moments: NonNullable<GateGroup['moments']> = {};
    for (const [id, m] of Object.entries(p.metrics)) {
      if (!METRIC_IDS.includes(id as SummaryMetric)) continue;
      st[id as SummaryMetric] = { mean: nanIfNull(m.mean), median: nanIfNull(m.median), p5: nanIfNull(m.p5), p95: nanIfNull(m.p95) };
      const stored = parsed.data.moments?.[p.policy]?.[id];
      if (stored !== undefined) moments[id as SummaryMetric] = { n: stored.n, mean: nanIfNull(stored.mean), sd: nanIfNull(stored.sd) };
      else if (typeof m.sd === 'number') moments[id as SummaryMetric] = { n: p.sessions, mean: nanIfNull(m.mean), sd: m.sd };
    }
    const sv = parsed.data.sessionValues?.[p.policy];
    side.set(p.policy, {
      sessions: p.sessions,
      stats: st,
      moments,
      ...(sv === undefined ? {} : { sessionValues: { keys: sv.keys, values: sv.values as GroupSessionValues['values'] } }),
    });
  }
  return side;
}

/** The groups to check: `gate.policies` (each must exist on both sides), else every group in both. */
export function gateGroups(args: { listed: readonly string[] | undefined; baseline: GateSide; run: GateSide; file: string; baselineFile: string }): string[] {
  const { baseline, run } = args;
  if (args.listed !== undefined) {
    args.listed.forEach((g, i) => {
      if (!run.has(g)) throw new InputError(`group "${g}" is not in this run (it has ${[...run.keys()].map((k) => `"${k}"`).join(', ')})`, { file: args.file, field: `gate.policies[${i}]` });
      if (!baseline.has(g)) throw new InputError(`group "${g}" is not in the baseline (it has ${[...baseline.keys()].map((k) => `"${k}"`).join(', ')})`, { file: args.baselineFile, field: 'policies' });
    });
    return [...args.listed];
  }
  const common = [...run.keys()].filter((g) => baseline.has(g));
  if (common.length === 0) {
    throw new InputError(
      `no group in common between the run (${[...run.keys()].join(', ')}) and the baseline (${[...baseline.keys()].join(', ')}); list them in gate.policies or update the baseline`,
      { file: args.baselineFile },
    );
  }
  return common;
}

/** Lower confidence bound of the improvement, paired over users when both sides carry session values. */
function improvementBound(args: { base: GateGroup; cur: GateGroup; metric: SummaryMetric; sign: number; confidence: number; where: { file: string; field: string } }): { value: number; method: 'paired-t' | 'welch-t'; n: number } {
  const { base, cur, metric, sign, confidence } = args;
  const bv = base.sessionValues?.values[metric];
  const cv = cur.sessionValues?.values[metric];
  if (base.sessionValues !== undefined && cur.sessionValues !== undefined && bv !== undefined && cv !== undefined) {
    const baseByKey = new Map<string, number>();
    base.sessionValues.keys.forEach((k, i) => {
      const v = bv[i];
      if (typeof v === 'number' && !baseByKey.has(k)) baseByKey.set(k, v);
    });
    const diffs: number[] = [];
    cur.sessionValues.keys.forEach((k, i) => {
      const b = baseByKey.get(k);
      const c = cv[i];
      if (b !== undefined && typeof c === 'number') diffs.push(sign * (c - b));
    });
    if (diffs.length >= 2) {
      const sd = sampleSd(diffs);
      const m = mean(diffs);
      const value = sd === 0 ? m : m - studentTQuantile(confidence, diffs.length - 1) * (sd / Math.sqrt(diffs.length));
      return { value, method: 'paired-t', n: diffs.length };
    }
  }
  const b = base.moments?.[metric];
  const c = cur.moments?.[metric];
  if (b === undefined || c === undefined || !(b.n >= 2 && c.n >= 2) || !Number.isFinite(b.sd) || !Number.isFinite(c.sd)) {
    throw new InputError(
      `non-inferiority of ${metric} needs the baseline's per-session spread, which this baseline lacks (a summary from \`abrlab run\`, or a group of fewer than 2 sessions); make the baseline with \`abrlab gate --update-baseline\``,
      args.where,
    );
  }
  const flip = (m: MetricMoments): MetricMoments => ({ n: m.n, mean: sign * m.mean, sd: m.sd });
  return { value: welchLowerBound({ control: flip(b), treatment: flip(c) }, confidence), method: 'welch-t', n: Math.min(b.n, c.n) };
}

const fmt = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(4)).toString()) : String(v));

/** "worsened by 3.2 %", "improved by 1.1 %", "unchanged", from a worsening (positive = worse). */
function moved(worsening: number, unit: string): string {
  if (worsening === 0) return 'unchanged';
  return worsening > 0 ? `worsened by ${fmt(worsening)}${unit}` : `improved by ${fmt(-worsening)}${unit}`;
}

/** Checks every rule on every group. Metric ids and rule settings are checked first (bad input: exit 2). */
export function evaluateGate(args: {
  rules: readonly GateRule[];
  groups: readonly string[];
  baseline: GateSide;
  run: GateSide;
  file: string;
  baselineFile: string;
}): GateCheck[] {
  const rules = args.rules.map((rule, i) => {
    const metric = checkMetricId(rule.metric, { file: args.file, field: `gate.rules[${i}].metric` });
    if (rule.nonInferiority !== undefined && rule.stat !== 'mean') {
      throw new InputError(`non-inferiority bounds the mean; set stat: mean (got ${rule.stat})`, { file: args.file, field: `gate.rules[${i}].nonInferiority` });
    }
    return { rule, metric };
  });
  const checks: GateCheck[] = [];
  for (const group of args.groups) {
    const base = args.baseline.get(group) as GateGroup;
    const cur = args.run.get(group) as GateGroup;
    rules.forEach(({ rule, metric }, i) => {
      const direction = rule.direction ?? (HIGHER_IS_BETTER[metric] ? 'higher-is-better' : 'lower-is-better');
      const sign = direction === 'higher-is-better' ? 1 : -1;
      const b = base.stats[metric]?.[rule.stat];
      if (b === undefined) throw new InputError(`the baseline has no ${rule.stat} of ${metric} for group "${group}"`, { file: args.baselineFile, field: 'policies' });
      const c = cur.stats[metric]?.[rule.stat] ?? Number.NaN;
      const change = c - b;
      const worsening = -sign * change;
      const changePct = b === 0 || !Number.isFinite(b) ? null : (change / Math.abs(b)) * 100;
      const criteria: GateCriterion[] = [];
      if (rule.maxDrop !== undefined) {
        const pass = worsening <= rule.maxDrop;
        criteria.push({ kind: 'maxDrop', limit: rule.maxDrop, value: worsening, pass, detail: `${moved(worsening, '')} (allowed ${fmt(rule.maxDrop)})` });
      }
      if (rule.maxDropPct !== undefined) {
        const pct = b === 0 ? (worsening > 0 ? Number.POSITIVE_INFINITY : 0) : (worsening / Math.abs(b)) * 100;
        const pass = pct <= rule.maxDropPct;
        criteria.push({ kind: 'maxDropPct', limit: rule.maxDropPct, value: pct, pass, detail: `${moved(pct, ' % of the baseline')} (allowed ${fmt(rule.maxDropPct)} % worse)` });
      }
      if (rule.nonInferiority !== undefined) {
        const { margin, confidence } = rule.nonInferiority;
        const bound = improvementBound({ base, cur, metric, sign, confidence, where: { file: args.baselineFile, field: `moments` } });
        const pass = bound.value > -margin;
        criteria.push({
          kind: 'nonInferiority',
          limit: margin,
          value: bound.value,
          pass,
          method: bound.method,
          n: bound.n,
          confidence,
          detail: `${Math.round(confidence * 100)} % lower bound of the improvement ${fmt(bound.value)} ${pass ? '>' : '≤'} −${fmt(margin)} (${bound.method}, n = ${bound.n})`,
        });
      }
      // A NaN figure (no value in the run) is a failure, never a silent pass.
      const pass = criteria.every((x) => x.pass) && Number.isFinite(c);
      checks.push({ rule: i, group, metric, stat: rule.stat, direction, baseline: b, current: c, change, changePct, criteria, pass });
    });
  }
  return checks;
}
