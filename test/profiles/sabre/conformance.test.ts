import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { conformanceSet } from '../conformance-data.js';
import {
  SABRE_METRIC_LABELS,
  metricKey,
  parseSabreFlags,
  readSabreMovieFile,
  readSabreNetworkFile,
  runSabreSession,
  type SabreMetrics,
  type SabreNetwork,
} from '../../../src/profiles/sabre/index.js';

// Reference data beside the checkout: ../shared/conformance/sabre (DESIGN.md, Conventions), or $ABRLAB_CONFORMANCE_DIR.
const { dir: DIR, present, skipNote } = conformanceSet('sabre', 'results-3g.csv');

type Row = Record<string, string>;
const readCsv = (name: string): Row[] => parse(readFileSync(`${DIR}${name}`, 'utf8'), { columns: true }) as Row[];

/** Sabre prints `%d` for the buffer size and the two counts (and a bare 0 for an empty mean), `%f` for the rest. */
function printed(label: string, v: number): string {
  if (label === 'buffer size' || label === 'over estimate count' || label === 'leq estimate count') return String(Math.trunc(v));
  if ((label === 'over estimate' || label === 'leq estimate') && v === 0) return '0';
  return v.toFixed(6);
}

/**
 * Every printed metric must be the same string Sabre printed (6 decimals). A relative 1e-9 comparison is not
 * possible against 6-decimal text; equality of the printed text is the strictest check the data allows.
 */
function mismatches(rows: Row[], networks: Map<string, SabreNetwork>, movie: ReturnType<typeof readSabreMovieFile>): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const file = r['trace_file'] as string;
    let network = networks.get(file);
    if (network === undefined) {
      network = readSabreNetworkFile(`${DIR}traces-3g/${file}`);
      networks.set(file, network);
    }
    const flags = parseSabreFlags(r['flags'] ?? '');
    const res = runSabreSession({ movie, network, policy: r['abr'] as string, options: flags.options });
    const compat = res.compat as { metrics: SabreMetrics; tooLateToReplace: number };
    for (const label of SABRE_METRIC_LABELS) {
      const got = printed(label, compat.metrics[metricKey(label) as keyof SabreMetrics]);
      if (got !== r[label]) out.push(`${file} ${r['abr']} ${r['flags'] ?? ''}: ${label} ${got} ≠ ${r[label]}`);
    }
    const warnings = r['warnings_too_late_to_replace'];
    if (warnings !== undefined && Number(warnings) !== compat.tooLateToReplace) {
      out.push(`${file} ${r['abr']} ${r['flags']}: too-late-to-replace warnings ${compat.tooLateToReplace} ≠ ${warnings}`);
    }
  }
  return out;
}

describe.skipIf(!present)(`conformance: Sabre profile vs Sabre results (reads ../shared/conformance/sabre)${skipNote}`, () => {
  const movie = present ? readSabreMovieFile(`${DIR}bbb.json`) : undefined;
  const networks = new Map<string, SabreNetwork>();
  const groups = (name: string): Map<string, Row[]> => {
    const m = new Map<string, Row[]>();
    if (!present) return m;
    for (const r of readCsv(name)) {
      const k = `${r['abr']} ${r['flags'] ?? ''}`.trim();
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };

  const main = groups('results-3g.csv');
  it('conformance: results-3g.csv has 86 traces × 5 policies', () => {
    expect([...main.values()].map((g) => g.length)).toEqual([86, 86, 86, 86, 86]);
  });
  for (const [key, rows] of main) {
    it(`conformance: results-3g.csv, ${key}: all 24 printed metrics on all traces`, () => {
      expect(mismatches(rows, networks, movie!)).toEqual([]);
    });
  }

  const variants = groups('results-3g-variants.csv');
  for (const [key, rows] of variants) {
    it(`conformance: results-3g-variants.csv, ${key}: all printed metrics and warnings`, () => {
      expect(mismatches(rows, networks, movie!)).toEqual([]);
    });
  }

  // MODEL.md §9.1: fixing Sabre's abandon-target typo changes 0 bola sessions and moves mean 3G throughput-rule
  // played bitrate from 812 to 762 kbps and the score from 0.641 to 0.599.
  it('conformance: fixAbandonTarget reproduces the corrected figures of MODEL.md', () => {
    let bolaChanged = 0;
    const sums = { bitrate: [0, 0], score: [0, 0] };
    const files = [...new Set([...main.values()].flat().map((r) => r['trace_file'] as string))];
    for (const file of files) {
      const network = networks.get(file) ?? readSabreNetworkFile(`${DIR}traces-3g/${file}`);
      const m = (policy: string, fix: boolean): SabreMetrics =>
        (runSabreSession({ movie: movie!, network, policy, options: { fixAbandonTarget: fix } }).compat as { metrics: SabreMetrics }).metrics;
      if (JSON.stringify(m('bola', false)) !== JSON.stringify(m('bola', true))) bolaChanged++;
      [false, true].forEach((fix, i) => {
        const t = m('throughput', fix);
        sums.bitrate[i]! += t.time_average_played_bitrate;
        sums.score[i]! += t.time_average_score;
      });
    }
    expect(bolaChanged).toBe(0);
    expect(Math.round(sums.bitrate[0]! / files.length)).toBe(812);
    expect(Math.round(sums.bitrate[1]! / files.length)).toBe(762);
    expect((sums.score[0]! / files.length).toFixed(3)).toBe('0.641');
    expect((sums.score[1]! / files.length).toFixed(3)).toBe('0.599');
  });
});
