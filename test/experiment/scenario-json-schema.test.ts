import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/experiment/scenario-json-schema.js';
import { scenarioSchema } from '../../src/experiment/scenario-schema.js';
import { runCli } from '../helpers/cli.js';

describe('the scenario JSON Schema (abrlab scenario schema)', () => {
  const schema = scenarioJsonSchema() as { properties: Record<string, { description?: string; properties?: Record<string, unknown> }>; additionalProperties?: unknown };

  it('has every top-level field of the zod schema, with its description, and refuses unknown fields', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(scenarioSchema.shape).sort());
    expect(schema.properties['seed']?.description).toBe('Seed of every random draw in the run');
    expect(schema.additionalProperties).toBe(false);
  });

  it("spells out the player's own settings (the scenario keeps them as written until merged)", () => {
    expect(schema.properties['player']?.properties?.['startupBufferMs']).toMatchObject({ default: 4000 });
  });

  it('docs/scenario.schema.json is current (regenerate with: abrlab scenario schema --out docs/scenario.schema.json)', async () => {
    const r = await runCli(['scenario', 'schema']);
    expect(r.code).toBe(0);
    expect(readFileSync('docs/scenario.schema.json', 'utf8')).toBe(r.stdout);
  });
});
