import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { playerConfigSchema } from '../player/config.js';

/**
 * The scenario file of `abrlab run` (YAML or JSON): traces × policies × one video. Paths are relative to the
 * scenario file. The experiment issue grows this into the full schema (variants, replicates, user behaviour,
 * faults, CDNs); fields here keep their meaning.
 */
const policyEntrySchema = z.union([
  z.string().min(1).describe('Built-in policy name or path to a policy module'),
  z.object({
    name: z.string().min(1).describe('Built-in policy name or path to a policy module'),
    label: z.string().min(1).optional().describe('Name shown in results (default: the policy name)'),
    params: z.record(z.string(), z.unknown()).default({}).describe('Policy parameters'),
  }),
]);

export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash and underscore (it names the output folder)').describe('Scenario name; output goes to reports/<name>/'),
    description: z.string().optional().describe('What the scenario is for'),
    seed: z.union([z.number().int(), z.string()]).default(1).describe('Seed of every random draw in the run'),
    video: z.string().min(1).describe('Video catalog JSON, relative to the scenario file'),
    traces: z.array(z.string().min(1)).min(1).describe('Trace files, directories or glob patterns, relative to the scenario file'),
    traceFormat: z.string().optional().describe('Trace format for every trace (default: detected per file)'),
    policies: z.array(policyEntrySchema).min(1).describe('ABR policies to run on every trace'),
    player: playerConfigSchema.optional().describe('Player settings (default: the reference player)'),
    network: z
      .object({
        latencyMs: z.number().nonnegative().optional().describe('Link latency before each first byte, ms (default: trace latency, else 40)'),
        originLatencyMs: z.number().nonnegative().default(0).describe('Origin delay before the first byte, ms'),
      })
      .default({ originLatencyMs: 0 })
      .describe('Network model settings'),
    report: z
      .object({
        timelines: z.number().int().nonnegative().default(12).describe('Sessions whose timelines the report draws'),
      })
      .default({ timelines: 12 })
      .describe('Report settings'),
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;

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
  const scenario = parseScenarioText(text, file);
  const base = dirname(resolve(file));
  return { scenario, text, file, resolvePath: (p) => resolve(base, p) };
}

/** Parses and validates scenario text (YAML is a superset of JSON, so one parser serves both). */
export function parseScenarioText(text: string, file: string): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0]?.line;
      throw new InputError(`invalid YAML: ${err.message.split('\n')[0]}`, line === undefined ? { file } : { file, line });
    }
    throw err;
  }
  const parsed = scenarioSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new InputError(issue?.message ?? 'invalid scenario', { file, ...(field ? { field } : {}) });
  }
  return parsed.data;
}
