/**
 * Where the conformance tests find the reference data of ../shared/conformance (DESIGN.md, Conventions): the
 * directory named by $ABRLAB_CONFORMANCE_DIR, else `conformance/` beside the checkout. Where a set is absent the
 * tests are skipped, and the skip says why in the suite's title and on stderr.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE_ENV = 'ABRLAB_CONFORMANCE_DIR';

export interface ConformanceSet {
  /** The set's directory, with a trailing separator. */
  dir: string;
  present: boolean;
  /** Appended to a suite title: empty when present, else the reason for the skip. */
  skipNote: string;
}

/** The `pensieve` or `sabre` set; `marker` is a file whose presence means the set is there. */
export function conformanceSet(name: 'pensieve' | 'sabre', marker: string): ConformanceSet {
  const root = process.env[CONFORMANCE_ENV] ?? fileURLToPath(new URL('../../../shared/conformance/', import.meta.url));
  const dir = join(root, name) + '/';
  const present = existsSync(join(dir, marker));
  const reason = `${join(dir, marker)} not found (set ${CONFORMANCE_ENV} to the conformance folder)`;
  if (!present) console.warn(`skipping ${name} conformance tests: ${reason}`);
  return { dir, present, skipNote: present ? '' : ` — SKIPPED: ${reason}` };
}
