import { readFile } from 'node:fs/promises';
import { InputError } from '../core/errors.js';
import { parseCatalog, type Catalog } from './catalog.js';

/** Reads and validates a video catalog JSON file; errors name the file, and the line of a JSON syntax error. */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  return parseCatalog(await readJsonFile(path, 'video catalog'), path);
}

/** Reads a JSON file; a missing file or bad JSON is an InputError naming the file (and the line), `what` it is. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file: path });
  }
  return parseJson(text, path);
}

/** JSON.parse with the error turned into an InputError carrying the line number. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new InputError(`invalid JSON: ${message}`, line === undefined ? { file } : { file, line });
  }
}
