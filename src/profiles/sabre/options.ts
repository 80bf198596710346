/**
 * Options of the `sabre` profile, named after Sabre's command-line flags (UMass-LIDS/sabre src/sabre.py
 * @ 09b03bb), plus `fixAbandonTarget`, which corrects Sabre's abandonment bug. `parseSabreFlags` turns a flag
 * string such as `-ab -s 120 180` (the `flags` column of the conformance CSVs) into these options.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';

export const sabreOptionsSchema = z
  .object({
    maxBufferS: z.number().positive().default(25).describe('Maximum buffer B, s (Sabre -b 25)'),
    gammaP: z.number().finite().default(5).describe('γp of BOLA and of the "time average score" metric (Sabre -gp 5)'),
    abrBasic: z.boolean().default(false).describe('BOLA-basic: fixed Vp, no abandonment (Sabre -ab; bola and dynamic)'),
    abrOsc: z.boolean().default(false).describe('BOLA-O: fewer oscillations, up-switch via a delay (Sabre -ao)'),
    noIbr: z.boolean().default(false).describe('Turn off the insufficient-buffer rule (Sabre -noibr)'),
    movingAverage: z
      .enum(['ewma', 'sliding'])
      .default('ewma')
      .describe('Throughput estimator: EWMA with half-lives, or sliding-window mean (Sabre -ma)'),
    windowSize: z.array(z.number().int().positive()).min(1).default([3]).describe('Sliding windows, samples (Sabre -ws 3)'),
    halfLifeS: z.array(z.number().positive()).min(1).default([3, 8]).describe('EWMA half-lives, s (Sabre -hl 3 8)'),
    seek: z
      .object({
        whenS: z.number().nonnegative().describe('Seek once the next download position reaches this, s'),
        toS: z.number().nonnegative().describe('Seek target, s of media time'),
      })
      .strict()
      .optional()
      .describe('One seek (Sabre -s WHEN WHERE, a proof of concept there)'),
    replace: z
      .enum(['none', 'left', 'right'])
      .default('none')
      .describe('Re-download buffered segments at a higher quality: first (left) or last (right) candidate (Sabre -r)'),
    noAbandon: z.boolean().default(false).describe('No abandonment polling at all (Sabre -noa)'),
    rampupThreshold: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Quality counted as ramped up (Sabre -rmp; default: the network sustainable quality)'),
    networkMultiplier: z.number().nonnegative().default(1).describe('Multiply every bandwidth (not latency) by this (Sabre -nm)'),
    movieLengthS: z.number().positive().optional().describe('Repeat or cut the movie to this length, s (Sabre -ml)'),
    fixAbandonTarget: z
      .boolean()
      .default(false)
      .describe(
        'Use the quality the abandonment rule chose for the retry. Sabre ignores it (a variable-name typo) and asks the ABR again; off reproduces its numbers',
      ),
  })
  .strict();

export type SabreOptionsInput = z.input<typeof sabreOptionsSchema>;
export type SabreOptions = z.output<typeof sabreOptionsSchema>;

/** Validates options; errors name the field. */
export function parseSabreOptions(input: SabreOptionsInput = {}): SabreOptions {
  const r = sabreOptionsSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new InputError(`sabre option: ${issue?.message ?? 'invalid'}`, { field: issue?.path.map(String).join('.') ?? '' });
}

/** What a Sabre command line says besides the options. */
export interface SabreFlags {
  options: SabreOptionsInput;
  /** `-a NAME` */
  policy?: string;
  /** `-m FILE` */
  moviePath?: string;
  /** `-n FILE` */
  networkPath?: string;
}

type FlagKind = 'bool' | 'number' | 'numbers' | 'string' | 'pair';
interface FlagSpec {
  long: string;
  kind: FlagKind;
  key: keyof SabreOptionsInput | 'policy' | 'moviePath' | 'networkPath' | 'verbose';
}

/** Sabre's argparse table: short flag → long flag, argument kind and our option. */
const FLAGS: Readonly<Record<string, FlagSpec>> = {
  '-n': { long: '--network', kind: 'string', key: 'networkPath' },
  '-nm': { long: '--network-multiplier', kind: 'number', key: 'networkMultiplier' },
  '-m': { long: '--movie', kind: 'string', key: 'moviePath' },
  '-ml': { long: '--movie-length', kind: 'number', key: 'movieLengthS' },
  '-a': { long: '--abr', kind: 'string', key: 'policy' },
  '-ab': { long: '--abr-basic', kind: 'bool', key: 'abrBasic' },
  '-ao': { long: '--abr-osc', kind: 'bool', key: 'abrOsc' },
  '-gp': { long: '--gamma-p', kind: 'number', key: 'gammaP' },
  '-noibr': { long: '--no-insufficient-buffer-rule', kind: 'bool', key: 'noIbr' },
  '-ma': { long: '--moving-average', kind: 'string', key: 'movingAverage' },
  '-ws': { long: '--window-size', kind: 'numbers', key: 'windowSize' },
  '-hl': { long: '--half-life', kind: 'numbers', key: 'halfLifeS' },
  '-s': { long: '--seek', kind: 'pair', key: 'seek' },
  '-r': { long: '--replace', kind: 'string', key: 'replace' },
  '-b': { long: '--max-buffer', kind: 'number', key: 'maxBufferS' },
  '-noa': { long: '--no-abandon', kind: 'bool', key: 'noAbandon' },
  '-rmp': { long: '--rampup-threshold', kind: 'number', key: 'rampupThreshold' },
  '-v': { long: '--verbose', kind: 'bool', key: 'verbose' },
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(token: string | undefined, flag: string): number {
  if (token === undefined || !NUMBER.test(token)) {
    throw new InputError(`Sabre flag ${flag} expects a number, got ${token === undefined ? 'nothing' : `"${token}"`}`, { field: flag });
  }
  return Number(token);
}

/**
 * Parses Sabre's flags (short or long forms) as its argparse would; `-v` is accepted and ignored. Unknown flags
 * are an InputError. Options are then validated by `parseSabreOptions`.
 */
export function parseSabreFlags(flags: string | readonly string[]): SabreFlags {
  const tokens = typeof flags === 'string' ? flags.trim().split(/\s+/).filter((t) => t !== '') : [...flags];
  const out: SabreFlags = { options: {} };
  const opts: Record<string, unknown> = {};
  const byLong = new Map(Object.entries(FLAGS).map(([short, spec]) => [spec.long, { short, spec }]));
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as string;
    const spec = FLAGS[tok] ?? byLong.get(tok)?.spec;
    if (spec === undefined) throw new InputError(`unknown Sabre flag "${tok}"; known: ${Object.keys(FLAGS).join(' ')}`, { field: tok });
    switch (spec.kind) {
      case 'bool':
        opts[spec.key] = true;
        break;
      case 'number':
        opts[spec.key] = toNumber(tokens[++i], tok);
        break;
      case 'numbers': {
        const values: number[] = [];
        while (i + 1 < tokens.length && NUMBER.test(tokens[i + 1] as string)) values.push(Number(tokens[++i]));
        if (values.length === 0) toNumber(undefined, tok);
        opts[spec.key] = values;
        break;
      }
      case 'pair':
        opts[spec.key] = { whenS: toNumber(tokens[++i], tok), toS: toNumber(tokens[++i], tok) };
        break;
      case 'string': {
        const v = tokens[++i];
        if (v === undefined) throw new InputError(`Sabre flag ${tok} expects a value`, { field: tok });
        opts[spec.key] = v;
        break;
      }
    }
  }
  delete opts['verbose']; // Sabre's -v only prints a log; the profile's segment rows carry the same facts.
  const { policy, moviePath, networkPath, ...options } = opts;
  if (typeof policy === 'string') out.policy = policy;
  if (typeof moviePath === 'string') out.moviePath = moviePath;
  if (typeof networkPath === 'string') out.networkPath = networkPath;
  out.options = options as SabreOptionsInput;
  parseSabreOptions(out.options);
  return out;
}
