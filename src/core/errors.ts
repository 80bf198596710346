/**
 * Errors a user can fix (bad trace, video, scenario, flag). The CLI prints `message` on one line and exits
 * with code 2; it never shows a stack trace for these.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** File the bad input came from, if any. */
  readonly file: string | undefined;
  /** 1-based line number, if the input is line oriented. */
  readonly line: number | undefined;
  /** Field path (`representations[2].bitrateKbps`), if the input is structured. */
  readonly field: string | undefined;

  constructor(message: string, where: { file?: string; line?: number; field?: string } = {}) {
    super(formatWhere(where) + message);
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

function formatWhere(where: { file?: string; line?: number; field?: string }): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.line !== undefined ? `${where.file}:${where.line}` : where.file);
  else if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.field !== undefined) parts.push(`field "${where.field}"`);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

export const isInputError = (err: unknown): err is InputError => err instanceof InputError;
