/** The readable text `abrlab ab` prints: one table per treatment arm and its rollout decision. */
import type { AbMetricResult, AbResult } from './ab-types.js';

const TEST_NAMES: Record<AbMetricResult['test'], string> = {
  'wilcoxon-signed-rank': 'Wilcoxon signed-rank',
  'paired-permutation': 'paired sign-flip permutation',
  'mann-whitney-u': 'Mann–Whitney U',
  'welch-t': "Welch's t",
};

/** Figures with 3–4 significant digits: QoE 71.23, bitrate 2851, ratios 0.0123. */
function num(v: number, signed = false): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : v > 0 ? '∞' : '−∞';
  const abs = Math.abs(v);
  const text = abs === 0 ? '0' : abs >= 1000 ? v.toFixed(0) : abs >= 1 ? v.toFixed(2) : v.toPrecision(3);
  return signed && v > 0 ? `+${text}` : text;
}

function pText(p: number): string {
  if (Number.isNaN(p)) return '–';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('  ').trimEnd());
}

export function formatAbResult(r: AbResult): string {
  const out: string[] = [];
  const design = r.design === 'paired' ? 'paired design' : `population split (${r.arms.map((a) => `${a.name} ${Math.round((a.share ?? 0) * 100)} %`).join(' / ')})`;
  out.push(`${r.scenario}: A/B, ${design}, control "${r.control}"`);
  for (const c of r.comparisons) {
    const first = c.metrics[0];
    const sizes = r.design === 'paired' ? `${first?.n ?? 0} pairs${c.unmatched > 0 ? `, ${c.unmatched} unmatched sessions` : ''}` : `${first?.nControl ?? 0} vs ${first?.nTreatment ?? 0} sessions`;
    out.push('');
    out.push(`${c.treatment} vs ${c.control} (${sizes})`);
    const rows = [['metric', c.control, c.treatment, 'diff', '95 % CI', 'rel', 'p', 'p Holm', 'effect', 'verdict']];
    for (const m of c.metrics) {
      rows.push([
        m.metric,
        num(m.controlMean),
        num(m.treatmentMean),
        num(m.meanDiff, true),
        `[${num(m.ci.low, true)}, ${num(m.ci.high, true)}]`,
        m.relativeDiffPct === null ? '–' : `${m.relativeDiffPct >= 0 ? '+' : ''}${m.relativeDiffPct.toFixed(1)} %`,
        pText(m.pValue),
        pText(m.pHolm),
        `${m.effectSize.kind === 'cohens-dz' ? 'dz' : 'g'} ${num(m.effectSize.value, true)}`,
        m.verdict,
      ]);
    }
    out.push(...table(rows).map((l) => `  ${l}`));
    out.push(`  decision: ${c.decision.action === 'rollout' ? 'ROLL OUT' : 'KEEP'}: ${c.decision.reason}`);
  }
  const test = r.comparisons[0]?.metrics[0]?.test;
  out.push('');
  out.push(
    `95 % bootstrap percentile intervals (${r.bootstrap.resamples} resamples, seed "${r.bootstrap.seed}"); ` +
      `p: ${test === undefined ? '–' : TEST_NAMES[test]}, two-sided; Holm over ${r.holmFamilySize} tests; alpha ${r.alpha}.`,
  );
  return out.join('\n') + '\n';
}
