import { stat } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import { InputError } from '../core/errors.js';

/**
 * Expands the scenario's trace entries (files, directories, glob patterns) to a sorted, de-duplicated file list.
 * Sorted so the session order — and so every output — is the same on every machine.
 */
export async function expandTracePaths(entries: readonly string[], scenarioFile: string): Promise<string[]> {
  const files = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const found = await expandOne(entry);
    if (found.length === 0) {
      throw new InputError(`"${entry}" matches no trace file`, { file: scenarioFile, field: `traces[${i}]` });
    }
    for (const f of found) files.add(f);
  }
  return [...files].sort();
}

async function expandOne(entry: string): Promise<string[]> {
  if (/[*?[\]{}]/.test(entry)) return glob(entry, { absolute: true, onlyFiles: true, expandDirectories: false });
  const info = await stat(entry).catch(() => undefined);
  if (info === undefined) return [];
  if (info.isDirectory()) return glob('*', { cwd: entry, absolute: true, onlyFiles: true, dot: false });
  return [entry];
}
