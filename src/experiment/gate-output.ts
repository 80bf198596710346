/**
 * The gate's three renderings: JUnit XML (one test case per rule × group; CI systems show failures per test
 * case), Markdown for GITHUB_STEP_SUMMARY, and the plain text printed on stdout.
 */
import type { GateCheck, GateResult } from './gate-types.js';

const fmt = (v: number | null): string => {
  if (v === null || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(4)).toString();
};
const signed = (v: number | null): string => (v !== null && v > 0 ? `+${fmt(v)}` : fmt(v));

function ruleText(c: GateCheck): string {
  return c.criteria
    .map((k) => (k.kind === 'maxDrop' ? `maxDrop ${fmt(k.limit)}` : k.kind === 'maxDropPct' ? `maxDropPct ${fmt(k.limit)} %` : `non-inferiority margin ${fmt(k.limit)}`))
    .join(', ');
}

/** Test case name: "rule 1: qoeReference mean (higher-is-better): maxDropPct 2 %". */
export function checkName(c: GateCheck): string {
  return `rule ${c.rule + 1}: ${c.metric} ${c.stat} (${c.direction}): ${ruleText(c)}`;
}

function figures(c: GateCheck): string {
  const pct = c.changePct === null ? '' : ` (${signed(c.changePct)} %)`;
  return `baseline ${fmt(c.baseline)}, run ${fmt(c.current)}, change ${signed(c.change)}${pct}`;
}

/** XML 1.0 text and attribute escaping; characters XML 1.0 forbids are dropped. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** JUnit XML in the common (Jenkins / GitLab / GitHub reporters) schema; no timings, so the file is reproducible. */
export function gateJUnit(r: GateResult): string {
  const failures = r.checks.filter((c) => !c.pass).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="abrlab gate" tests="${r.checks.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${escapeXml(`abrlab gate: ${r.scenario}`)}" tests="${r.checks.length}" failures="${failures}" errors="0" skipped="0">`,
    '    <properties>',
    `      <property name="baseline" value="${escapeXml(r.baselineFile)}"/>`,
    `      <property name="command" value="${escapeXml(r.command)}"/>`,
    `      <property name="abrlab" value="${escapeXml(r.abrlab)}"/>`,
    '    </properties>',
  ];
  for (const c of r.checks) {
    const open = `    <testcase classname="${escapeXml(`${r.scenario}.${c.group}`)}" name="${escapeXml(checkName(c))}"`;
    if (c.pass) {
      lines.push(`${open}/>`);
      continue;
    }
    const failed = c.criteria.filter((k) => !k.pass).map((k) => k.detail);
    const message = `${c.group}: ${c.metric} ${c.stat} ${figures(c)}; ${failed.length > 0 ? failed.join('; ') : 'no value in this run'}`;
    const body = [figures(c), ...c.criteria.map((k) => `${k.pass ? 'ok  ' : 'FAIL'} ${k.kind}: ${k.detail}`)].join('\n');
    lines.push(`${open}>`, `      <failure type="regression" message="${escapeXml(message)}">${escapeXml(body)}</failure>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n') + '\n';
}

/** Escapes a Markdown table cell. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown summary for GITHUB_STEP_SUMMARY: verdict first, then one row per check, failures first. */
export function gateMarkdown(r: GateResult): string {
  const failures = r.checks.filter((c) => !c.pass);
  const head = r.pass ? `## ✅ abrlab gate passed: ${r.scenario}` : `## ❌ abrlab gate failed: ${r.scenario}`;
  const lines = [
    head,
    '',
    `${r.checks.length - failures.length} of ${r.checks.length} checks passed over ${r.groups.length} group(s), against baseline \`${cell(r.baselineFile)}\`.`,
    '',
    '| result | group | metric | baseline | run | change | rule | detail |',
    '|---|---|---|---:|---:|---:|---|---|',
  ];
  const ordered = [...failures, ...r.checks.filter((c) => c.pass)];
  for (const c of ordered) {
    const pct = c.changePct === null ? '' : ` (${signed(c.changePct)} %)`;
    lines.push(
      `| ${c.pass ? '✅ pass' : '❌ **fail**'} | ${cell(c.group)} | ${c.metric} ${c.stat} | ${fmt(c.baseline)} | ${fmt(c.current)} | ${signed(c.change)}${pct} | ${cell(ruleText(c))} | ${cell(c.criteria.map((k) => k.detail).join('; '))} |`,
    );
  }
  lines.push('', `<sub>\`${cell(r.command)}\` · abrlab ${r.abrlab}</sub>`);
  return lines.join('\n') + '\n';
}

/** Plain text for stdout. */
export function gateText(r: GateResult): string {
  const lines = [`${r.scenario}: gate against ${r.baselineFile}`];
  for (const c of r.checks) {
    lines.push(`  ${c.pass ? 'pass' : 'FAIL'}  ${c.group}  ${checkName(c)}`);
    lines.push(`        ${figures(c)}`);
    for (const k of c.criteria) lines.push(`        ${k.pass ? 'ok  ' : 'FAIL'} ${k.detail}`);
  }
  const failed = r.checks.filter((c) => !c.pass).length;
  lines.push(r.pass ? `gate passed: ${r.checks.length} checks` : `gate FAILED: ${failed} of ${r.checks.length} checks regressed`);
  return lines.join('\n') + '\n';
}
