/**
 * Reading a results directory (the contract in write-report.ts). Every user mistake (no such directory, no
 * results.jsonl, a malformed line) is an `InputError` naming the file and line, so `abrlab report DIR` exits 2
 * with one clear sentence rather than a stack trace.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../core/errors.js';
import type { AbResult } from '../experiment/ab-types.js';
import type { SessionTimeline } from '../qoe/types.js';
import type { ReportSession } from './types.js';

/** summary.json fields the report reads; the producer may write many more (it owns the file). */
export interface ResultsSummary {
  abrlab: string;
  kind?: string;
  scenario: string;
  seed: number | string;
  command: string;
  description?: string;
}

export const RESULTS_FILE = 'results.jsonl';
export const SUMMARY_FILE = 'summary.json';

/** Throws an InputError unless `dir` is a directory holding results.jsonl. */
export async function checkResultsDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) throw new InputError('no such results directory; give the --out directory of abrlab run, compare, ab or gate', { file: dir });
  if (!info.isDirectory()) throw new InputError('not a directory; give a results directory (it holds results.jsonl and summary.json)', { file: dir });
  const results = await stat(join(dir, RESULTS_FILE)).catch(() => undefined);
  if (results === undefined || !results.isFile()) {
    throw new InputError(`no ${RESULTS_FILE} here: not a results directory (abrlab run, compare, ab and gate write one)`, { file: dir });
  }
}

/** Reads summary.json; absent → undefined (the report then says so); malformed → InputError. */
export async function readSummary(dir: string): Promise<ResultsSummary | undefined> {
  const file = join(dir, SUMMARY_FILE);
  const text = await readOptional(file);
  if (text === undefined) return undefined;
  const parsed = parseJson(text, file);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('expected a JSON object', { file });
  const o = parsed as Record<string, unknown>;
  const str = (k: string, fallback: string): string => (typeof o[k] === 'string' ? (o[k] as string) : fallback);
  const seed = o.seed;
  return {
    abrlab: str('abrlab', 'unknown'),
    ...(typeof o.kind === 'string' ? { kind: o.kind } : {}),
    scenario: str('scenario', 'results'),
    seed: typeof seed === 'number' || typeof seed === 'string' ? seed : 'unknown',
    command: str('command', 'unknown'),
    ...(typeof o.description === 'string' ? { description: o.description } : {}),
  };
}

/** Reads ab.json when present. Only a recognisable A/B result is accepted (kind "ab" with comparisons). */
export async function readAbResult(dir: string): Promise<AbResult | undefined> {
  const file = join(dir, 'ab.json');
  const text = await readOptional(file);
  if (text === undefined) return undefined;
  const parsed = parseJson(text, file) as Partial<AbResult> | null;
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray(parsed.comparisons) || !Array.isArray(parsed.arms)) {
    throw new InputError('not an A/B result: expected {kind: "ab", arms: [...], comparisons: [...]} as written by abrlab ab', { file });
  }
  return parsed as AbResult;
}

export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseJson(text: string, file: string, line?: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(`invalid JSON (${(err as Error).message})`, { file, ...(line !== undefined ? { line } : {}) });
  }
}

/** Streams a JSONL file one parsed line at a time (blank lines skipped); a bad line → InputError with its number. */
export async function* readJsonLines<T>(file: string): AsyncGenerator<T> {
  const input = createReadStream(file, 'utf8');
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() !== '') yield parseJson(line, file, n) as T;
    }
  } finally {
    // A consumer that stops early (break) must not leave the file open.
    lines.close();
    input.destroy();
  }
}

/** Streams results.jsonl, checking that each line has what the report reads. */
export async function* readResults(dir: string): AsyncGenerator<ReportSession> {
  const file = join(dir, RESULTS_FILE);
  let n = 0;
  for await (const row of readJsonLines<Partial<ReportSession> | null>(file)) {
    n++;
    const s = row?.summary;
    if (row === null || typeof row !== 'object' || typeof row.policy !== 'string' || typeof row.trace !== 'string' || typeof s !== 'object' || s === null || typeof s.qoe !== 'object') {
      throw new InputError('not a session result: expected {policy, trace, video, seed, summary: {..., qoe}}', { file, line: n });
    }
    yield row as ReportSession;
  }
}

/**
 * The timelines of the sessions whose keys are in `wanted`, from timelines.jsonl (absent file: none). Only those
 * are kept, so a directory that stores many timelines costs the memory of the few drawn.
 */
export async function readTimelines(dir: string, wanted: ReadonlySet<string>): Promise<Map<string, SessionTimeline>> {
  const found = new Map<string, SessionTimeline>();
  const file = join(dir, 'timelines.jsonl');
  if (wanted.size === 0 || (await stat(file).catch(() => undefined)) === undefined) return found;
  for await (const row of readJsonLines<{ key?: unknown; timeline?: SessionTimeline }>(file)) {
    if (typeof row.key === 'string' && wanted.has(row.key) && row.timeline !== undefined && !found.has(row.key)) {
      found.set(row.key, row.timeline);
      if (found.size === wanted.size) break;
    }
  }
  return found;
}
