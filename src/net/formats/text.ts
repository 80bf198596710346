import { InputError } from '../../core/errors.js';

/**
 * Shared helpers for line-oriented trace text: splitting into numbered data lines and reading numbers with
 * errors that name the file and line.
 */

/** Calls `fn` for each line that holds data (blank lines and `#` comments skipped), with its 1-based number. */
export function forEachDataLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let start = 0;
  let lineNo = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = n;
    lineNo++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) fn(trimmed, lineNo);
    start = end + 1;
  }
}

/** Whitespace-separated fields (tabs or spaces, any number). */
export function splitFields(line: string): string[] {
  return line.split(/[\s]+/);
}

/** Parses a finite number or throws an InputError naming file, line and column. */
export function parseNumber(token: string | undefined, where: { file: string; line?: number }, what: string): number {
  // Number('') is 0 and Number(' ') is 0: refuse blanks explicitly.
  if (token === undefined || token.trim() === '') {
    throw new InputError(`missing ${what}`, where);
  }
  const v = Number(token);
  if (!Number.isFinite(v)) {
    throw new InputError(`${what} "${clip(token)}" is not a finite number`, where);
  }
  return v;
}

/** Parses a non-negative finite rate or throws. */
export function parseRate(token: string | undefined, where: { file: string; line?: number }, what: string): number {
  const v = parseNumber(token, where, what);
  if (v < 0) throw new InputError(`${what} ${v} is negative; rates must be >= 0`, where);
  return v;
}

/** Shortens a token for an error message so a binary file does not flood the terminal. */
export function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Throws the error every format gives for a file without data. */
export function emptyError(file: string): InputError {
  return new InputError('the trace file is empty (no data lines)', { file });
}

/** Refuses a trace whose capacity is zero everywhere, before building it, with a clear message. */
export function assertSomeCapacity(ratesKbps: ArrayLike<number>, file: string): void {
  for (let i = 0; i < ratesKbps.length; i++) if ((ratesKbps[i] as number) > 0) return;
  throw new InputError('trace capacity is zero everywhere: no download could ever finish', { file });
}
