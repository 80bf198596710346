import { z } from 'zod';

/**
 * The zod schema of a trace generator spec, so scenario files can embed
 * `{generator: 'markov', seed: 7, durationMs: 600000, ...}`. Defaults live here and only here (STYLE.md
 * habit 4); `describe()` text feeds `abrlab traces gen --help`.
 */
const seed = z.union([z.number().int(), z.string()]).default(1).describe('PRNG seed (same seed, same trace)');
const durationMs = z.number().positive().finite().default(600_000).describe('Trace length, ms');
const rate = (what: string) => z.number().finite().nonnegative().describe(`${what}, kbps`);
const positiveMs = (what: string) => z.number().finite().positive().describe(`${what}, ms`);
const name = z.string().min(1).optional().describe('Trace name (default: derived from the spec)');

export const constantSpec = z.object({
  generator: z.literal('constant'),
  name,
  seed,
  durationMs,
  rateKbps: rate('Capacity').refine((v) => v > 0, 'a constant trace needs a rate > 0'),
});

export const stepsSpec = z.object({
  generator: z.literal('steps'),
  name,
  seed,
  /** Each step's rate; the list repeats until durationMs. */
  ratesKbps: z.array(rate('Step capacity')).min(1).describe('Capacity of each step, kbps, in order'),
  stepMs: positiveMs('Length of each step').default(10_000),
  durationMs: z.number().positive().finite().optional().describe('Trace length, ms (default: one pass over the steps)'),
});

export const squareSpec = z.object({
  generator: z.literal('square'),
  name,
  seed,
  durationMs,
  highKbps: rate('Capacity in the high half'),
  lowKbps: rate('Capacity in the low half'),
  periodMs: positiveMs('Length of one high+low cycle').default(20_000),
  dutyCycle: z.number().gt(0).lt(1).default(0.5).describe('Share of each cycle spent high'),
});

export const randomWalkSpec = z
  .object({
    generator: z.literal('random-walk'),
    name,
    seed,
    durationMs,
    startKbps: rate('Starting capacity'),
    stepMs: positiveMs('Time between changes').default(1000),
    /** Multiplicative walk: log-rate moves by N(0, sd) each step, so the rate never goes negative. */
    logSd: z.number().nonnegative().default(0.1).describe('SD of the log-rate change per step'),
    minKbps: rate('Lower bound').default(100),
    maxKbps: rate('Upper bound').default(100_000),
  })
  .refine((s) => s.minKbps > 0 && s.minKbps <= s.maxKbps, {
    message: 'minKbps must be > 0 and <= maxKbps',
    path: ['minKbps'],
  });

export const markovSpec = z
  .object({
    generator: z.literal('markov'),
    name,
    seed,
    durationMs,
    levelsKbps: z.array(rate('Bandwidth level')).min(2).default([200, 500, 1000, 2000, 3000, 4300])
      .describe('Mean capacity of each state, kbps'),
    stepMs: positiveMs('Time between state transitions').default(1000),
    stayProbability: z.number().min(0).max(1).default(0.9).describe('Probability of staying in a state per step'),
    noiseSd: z.number().min(0).max(1).default(0.1).describe('Gaussian noise within a state, as a fraction of its level'),
    sampleMs: positiveMs('Sample spacing within a state').default(1000),
  })
  .refine((s) => s.levelsKbps.some((l) => l > 0), { message: 'at least one level must be > 0', path: ['levelsKbps'] });

export const genetSpec = z
  .object({
    generator: z.literal('genet'),
    name,
    seed,
    durationMs,
    minKbps: rate('Lowest bandwidth').default(500),
    maxKbps: rate('Highest bandwidth').default(10_000),
    changeIntervalMs: positiveMs('Mean time between bandwidth changes').default(5000),
    rttMs: z.number().finite().nonnegative().default(80).describe('Round-trip time charged to each request, ms'),
  })
  .refine((s) => s.minKbps > 0 && s.minKbps <= s.maxKbps, {
    message: 'minKbps must be > 0 and <= maxKbps',
    path: ['minKbps'],
  });

export const gilbertElliottSpec = z
  .object({
    generator: z.literal('gilbert-elliott'),
    name,
    seed,
    durationMs,
    goodKbps: rate('Capacity in the good state'),
    badKbps: rate('Capacity in the bad state (0 = outage)').default(0),
    stepMs: positiveMs('Time step of the chain').default(500),
    pGoodToBad: z.number().min(0).max(1).default(0.02).describe('P(good → bad) per step'),
    pBadToGood: z.number().gt(0).max(1).default(0.25).describe('P(bad → good) per step'),
  })
  .refine((s) => s.goodKbps > 0, { message: 'goodKbps must be > 0', path: ['goodKbps'] });

export const PRESET_NAMES = ['3g', '4g', '5g-mmwave', 'wifi', 'fluctuating', 'outage'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const presetSpec = z.object({
  generator: z.literal('preset'),
  name,
  seed,
  durationMs,
  preset: z.enum(PRESET_NAMES).describe('Named network profile'),
});

export const generatorSpecSchema = z.discriminatedUnion('generator', [
  constantSpec,
  stepsSpec,
  squareSpec,
  randomWalkSpec,
  markovSpec,
  genetSpec,
  gilbertElliottSpec,
  presetSpec,
]);

/** A spec as written in a scenario file (defaults optional). */
export type GeneratorSpecInput = z.input<typeof generatorSpecSchema>;
/** A spec with defaults filled in. */
export type GeneratorSpec = z.output<typeof generatorSpecSchema>;
export type GeneratorName = GeneratorSpec['generator'];
export const GENERATOR_NAMES = [
  'constant',
  'steps',
  'square',
  'random-walk',
  'markov',
  'genet',
  'gilbert-elliott',
  'preset',
] as const satisfies readonly GeneratorName[];
