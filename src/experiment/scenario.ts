import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InputError } from '../core/errors.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export { scenarioSchema } from './scenario-schema.js';
export type { Scenario, ScenarioInput, Variant, TraceEntry, GateRule, AbSettings } from './scenario-schema.js';

export interface LoadedScenario {
  scenario: Scenario;
  /** The file as written, for the report. */
  text: string;
  file: string;
  /** Resolves a path written in the scenario against the scenario file's folder. */
  resolvePath(p: string): string;
}

export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read scenario (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  }
  return scenarioFromText(text, file);
}

/** A loaded scenario from text; `file` names it in errors and anchors its relative paths. */
export function scenarioFromText(text: string, file: string): LoadedScenario {
  const scenario = parseScenarioText(text, file);
  const base = dirname(resolve(file));
  return { scenario, text, file, resolvePath: (p) => resolve(base, p) };
}

/** A field path as users write it: `variants[1].player.targetBufferMs`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/**
 * Every problem of a scenario document, each naming its field (empty when valid). `abrlab scenario validate`
 * prints them all; loading throws the first.
 */
export function scenarioIssues(doc: unknown): { field: string; message: string }[] {
  const parsed = scenarioSchema.safeParse(doc);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({ field: formatFieldPath(i.path), message: i.message }));
}

/** Parses YAML (a superset of JSON, so one parser serves both); syntax errors name the line. */
export function parseScenarioDocument(text: string, file: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: false });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0]?.line;
      throw new InputError(`invalid YAML: ${err.message.split('\n')[0]}`, line === undefined ? { file } : { file, line });
    }
    throw err;
  }
}

/** Parses and validates scenario text. */
export function parseScenarioText(text: string, file: string): Scenario {
  const doc = parseScenarioDocument(text, file);
  const parsed = scenarioSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? '' : formatFieldPath(issue.path);
    throw new InputError(issue?.message ?? 'invalid scenario', { file, ...(field ? { field } : {}) });
  }
  return parsed.data;
}
