import type { z } from 'zod';
import { InputError } from '../../core/errors.js';

/** Parses JSON text, turning a syntax error into an InputError naming the file and line. */
export function parseJsonText(text: string, file: string): unknown {
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
    const where = line !== undefined ? { file, line } : { file };
    throw new InputError(`invalid JSON: ${msg.split('\n')[0] ?? msg}`, where);
  }
}

/** 1-based line holding character `offset` of `text`. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Validates `value` with `schema`; the first issue becomes an InputError naming the file and the field. */
export function validateWith<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue === undefined ? '' : formatPath(issue.path);
  const message = issue?.message ?? 'invalid value';
  throw new InputError(message, field === '' ? { file } : { file, field });
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}
