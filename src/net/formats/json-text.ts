import type { z } from 'zod';
import { InputError } from '../../core/errors.js';

/** Parses JSON text, turning a syntax error into an InputError naming the file and line. */
export function parseJsonText(text: string, file: string): unknown {
  if (text.trim() === '') throw new InputError('the trace file is empty (no data lines)', { file });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    // V8 reports "... at position N" (Node 20) or "... (line L column C)" (newer); turn either into a line.
    const pos = /position (\d+)/.exec(msg);
    const lineCol = /line (\d+) column (\d+)/.exec(msg);
    let line: number | undefined;
    if (lineCol?.[1] !== undefined) line = Number(lineCol[1]);
    else if (pos?.[1] !== undefined) line = lineOfOffset(text, Number(pos[1]));
    else if (/Unexpected end of JSON input/.test(msg)) line = lineOfOffset(text, text.length);
    else line = lineOfUnexpectedToken(text, msg);
    const where = line !== undefined ? { file, line } : { file };
    throw new InputError(`invalid JSON: ${msg.split('\n')[0] ?? msg}`, where);
  }
}

/**
 * Node 20's "Unexpected token 'N', ...\"xt: NaN, \"y\"... is not valid JSON" gives no position, only the text
 * around the token (V8 quotes 10 characters either side, with "..." where it cut, or the whole input when
 * short). Finding that excerpt in the text locates the token; undefined if it cannot be found.
 */
function lineOfUnexpectedToken(text: string, msg: string): number | undefined {
  const m = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(msg);
  if (m === null) return undefined;
  const [, token, cutBefore, excerpt] = m as unknown as [string, string, string | undefined, string];
  const at = text.indexOf(excerpt);
  if (at < 0) return undefined;
  const within = cutBefore !== undefined ? 10 : excerpt.indexOf(token);
  return lineOfOffset(text, at + Math.max(0, within));
}

/** 1-based line holding character `offset` of `text`. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Validates `value` with `schema`; the first issue becomes an InputError naming the file and the field. With
 * the source `text` of a top-level JSON array (Sabre's one period per line), it also names the line where the
 * offending element starts.
 */
export function validateWith<T>(schema: z.ZodType<T>, value: unknown, file: string, text?: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue === undefined ? '' : formatPath(issue.path);
  const message = issue?.message ?? 'invalid value';
  const index = issue?.path[0];
  const line = text !== undefined && typeof index === 'number' ? lineOfArrayElement(text, index) : undefined;
  throw new InputError(message, { file, ...(line !== undefined ? { line } : {}), ...(field !== '' ? { field } : {}) });
}

/**
 * 1-based line where element `index` of the top-level JSON array in `text` starts, or undefined. A single
 * pass that tracks nesting depth and string literals (so commas and brackets inside strings do not count).
 */
export function lineOfArrayElement(text: string, index: number): number | undefined {
  let depth = 0;
  let inString = false;
  let element = 0;
  let line = 1;
  let awaiting = true; // the next non-blank character at depth 1 starts element `element`
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (depth === 1 && awaiting && c !== 32 && c !== 9 && c !== 13 && c !== 93 /* ] */) {
      if (element === index) return line;
      awaiting = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) depth++;
    else if (c === 93 || c === 125 /* } */) depth--;
    else if (c === 44 /* , */ && depth === 1) {
      element++;
      awaiting = true;
    }
  }
  return undefined;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}
