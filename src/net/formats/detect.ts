import { InputError } from '../../core/errors.js';
import type { CanonicalTraceFormat } from './types.js';

/**
 * Guesses a trace file's format from its first bytes (`head`; 64 KiB is plenty). The rules, in order:
 * JSON object → abrlab; JSON array → Sabre; a first data line with a non-numeric field → CSV with a header;
 * one integer per line → Mahimahi; six numeric columns → Norway HSDPA raw log; two columns in start/end pairs
 * with equal bandwidth and ms-scale times → Oboe; two columns otherwise → cooked. Anything else is refused
 * with a hint to pass `--format`.
 */
export function detectTraceFormat(head: string, file: string): CanonicalTraceFormat {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const first = text.trimStart()[0];
  if (first === undefined) throw new InputError('the trace file is empty', { file });
  if (first === '{') return 'abrlab';
  if (first === '[') return 'sabre';
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) continue;
    lines.push(l);
    if (lines.length >= 64) break;
  }
  // The head may end mid-line; drop the partial last line unless it is the only one.
  if (lines.length > 1 && !text.endsWith('\n')) lines.pop();
  const firstLine = lines[0];
  if (firstLine === undefined) throw new InputError('the trace file has no data lines', { file });
  const isNumber = (s: string): boolean => s !== '' && Number.isFinite(Number(s));
  const firstFields = firstLine.split(/[\s,;]+/);
  if (/[,;]/.test(firstLine) && !firstFields.every(isNumber)) return 'csv';
  const rows = lines.map((l) => l.split(/\s+/));
  if (rows.every((r) => r.length === 1 && /^\d+$/.test(r[0] as string))) return 'mahimahi';
  if (rows.every((r) => r.length === 6 && r.every(isNumber))) return 'norway-raw';
  if (rows.every((r) => r.length === 2 && r.every(isNumber))) return looksLikeOboe(rows) ? 'oboe' : 'cooked';
  throw new InputError(
    'cannot tell the trace format from its content; pass --format ' +
      '(abrlab, mahimahi, cooked, sabre, oboe, csv, norway-raw)',
    { file },
  );
}

/**
 * Oboe pairs repeat the bandwidth on consecutive lines and use millisecond times; cooked files rarely
 * repeat a value across every pair. Needs at least two complete pairs to decide.
 */
function looksLikeOboe(rows: string[][]): boolean {
  const pairs = Math.floor(rows.length / 2);
  if (pairs < 2) return false;
  for (let i = 0; i < pairs; i++) {
    const a = rows[2 * i] as string[];
    const b = rows[2 * i + 1] as string[];
    if (Number(a[1]) !== Number(b[1]) || !(Number(b[0]) > Number(a[0]))) return false;
  }
  // Cooked files whose rate is constant would also pass; Oboe times are ms, so a session spans > 100 units.
  const last = rows[2 * pairs - 1] as string[];
  const firstRow = rows[0] as string[];
  return Number(last[0]) - Number(firstRow[0]) > 100 && new Set(rows.map((r) => r[1])).size > 1;
}
