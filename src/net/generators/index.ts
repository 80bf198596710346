import { createRng } from '../../core/rng.js';
import type { Trace } from '../trace.js';
import { validateWith } from '../formats/json-text.js';
import { constant, genet, gilbertElliott, markov, randomWalk, square, steps } from './generators.js';
import { PRESETS } from './presets.js';
import { generatorSpecSchema, type GeneratorSpec } from './spec.js';

export * from './spec.js';
export { PRESETS } from './presets.js';

/**
 * Generates a trace from a spec (validated with `generatorSpecSchema`; errors name `where` and the field).
 * Deterministic: the same spec and seed give the same trace, drawn from a stream derived from the seed.
 */
export function generateTrace(input: unknown, where = 'generator spec'): Trace {
  const spec = validateWith(generatorSpecSchema, input, where);
  return generateFromSpec(spec);
}

export function generateFromSpec(spec: GeneratorSpec): Trace {
  const rng = createRng(spec.seed).derive(`trace-generator:${spec.generator}`);
  const name = spec.name ?? defaultName(spec);
  switch (spec.generator) {
    case 'constant':
      return constant(spec, name);
    case 'steps':
      return steps(spec, name);
    case 'square':
      return square(spec, name);
    case 'random-walk':
      return randomWalk(spec, name, rng);
    case 'markov':
      return markov(spec, name, rng);
    case 'genet':
      return genet(spec, name, rng);
    case 'gilbert-elliott':
      return gilbertElliott(spec, name, rng);
    case 'preset': {
      const inner = validateWith(
        generatorSpecSchema,
        { ...(PRESETS[spec.preset] as object), seed: spec.seed, durationMs: spec.durationMs, name },
        `preset ${spec.preset}`,
      );
      return generateFromSpec(inner);
    }
  }
}

function defaultName(spec: GeneratorSpec): string {
  if (spec.generator === 'preset') return `${spec.preset}-seed${spec.seed}`;
  if (spec.generator === 'constant') return `constant-${spec.rateKbps}kbps`;
  return `${spec.generator}-seed${spec.seed}`;
}
