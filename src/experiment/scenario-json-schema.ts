/**
 * The scenario schema as JSON Schema (draft 2020-12), generated from the zod schema (one source of truth: every
 * field's description, default and bounds come from scenario-schema.ts). Editors use it for completion and
 * checking: put `# yaml-language-server: $schema=<path>/scenario.schema.json` at the top of a scenario file.
 * docs/scenario.schema.json is this output, kept current by a test.
 */
import { z } from 'zod';
import { playerConfigSchema } from '../player/config.js';
import { scenarioSchema } from './scenario-schema.js';

export function scenarioJsonSchema(): Record<string, unknown> {
  // Cross-field refinements cannot be written in JSON Schema: they stay zod's (abrlab scenario validate).
  const opts = { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' } as const;
  const schema = z.toJSONSchema(scenarioSchema, opts) as Record<string, unknown> & { properties?: Record<string, unknown> };
  // The scenario keeps player settings as written and validates them after merging with each variant; here the
  // editor gets the player's own fields.
  const player = z.toJSONSchema(playerConfigSchema, opts) as Record<string, unknown>;
  delete player['$schema'];
  if (schema.properties !== undefined) schema.properties['player'] = { ...player, description: 'Player settings over the reference player (src/player/config.ts)' };
  return { ...schema, title: 'abrlab scenario' };
}
