import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/traces-public beside the repository root (present in CI; tests skip when it is absent). */
export const PUBLIC_TRACES = fileURLToPath(new URL('../../../../shared/traces-public/', import.meta.url));
export const HAVE_PUBLIC_TRACES = existsSync(PUBLIC_TRACES);
if (!HAVE_PUBLIC_TRACES) console.warn(`skipping shared-data trace tests: ${PUBLIC_TRACES} is absent`);

/** Period durations of a trace as a plain array. */
export function durations(t: { startMs: Float64Array; durationMs: number }): number[] {
  const s = Array.from(t.startMs);
  return s.map((v, i) => (i + 1 < s.length ? (s[i + 1] as number) : t.durationMs) - v);
}
