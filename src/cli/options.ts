import { InvalidArgumentError } from 'commander';

/** Parses an integer flag value; commander shows the message as a usage error. */
export function parseIntFlag(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}

/** Parses a non-negative number flag value. */
export function parseNonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  return n;
}

/**
 * Collects repeated `key=value` flags into an object; values are parsed as JSON when they can be
 * (`--set maxParallel=1 --set fetchAheadSegments=[4,2,1]`), else kept as strings.
 */
export function collectKeyValue(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  const key = value.slice(0, eq);
  const raw = value.slice(eq + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // not JSON: keep the string
  }
  return { ...previous, [key]: parsed };
}
