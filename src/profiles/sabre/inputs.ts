/**
 * Readers for Sabre's two inputs (UMass-LIDS/sabre): the movie JSON (`-m`) and the network JSON (`-n`). Both keep
 * Sabre's units (ms, kbps, bits) and exact values: nothing is re-derived from cumulative sums, so the session
 * loop sees the very numbers Sabre sees. Errors name the file and the field.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { bitsToBytes } from '../../core/units.js';
import type { Catalog } from '../../origin/catalog.js';

const movieSchema = z.object({
  segment_duration_ms: z.number().finite().positive().describe('Duration of every segment, ms'),
  bitrates_kbps: z.array(z.number().finite().positive()).min(1).describe('Nominal bitrates, ascending, kbps'),
  segment_sizes_bits: z
    .array(z.array(z.number().finite().positive()))
    .min(1)
    .describe('Per segment, the size at each bitrate, bits'),
});

const networkSchema = z
  .array(
    z.object({
      duration_ms: z.number().finite().nonnegative().describe('Period length, ms'),
      bandwidth_kbps: z.number().finite().nonnegative().describe('Capacity, kbps'),
      latency_ms: z.number().finite().nonnegative().describe('Latency of a request in this period, ms'),
    }),
  )
  .min(1);

/** Sabre's manifest: sizes flattened as `sizesBits[segment * rungCount + quality]`. */
export interface SabreMovie {
  readonly segmentMs: number;
  readonly bitratesKbps: Float64Array;
  readonly rungCount: number;
  readonly segmentCount: number;
  readonly sizesBits: Float64Array;
}

/** Sabre's network periods, bandwidth not yet multiplied (`-nm` is applied by the network model). */
export interface SabreNetwork {
  readonly durationsMs: Float64Array;
  readonly bandwidthsKbps: Float64Array;
  readonly latenciesMs: Float64Array;
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

function validate<T>(schema: z.ZodType<T>, json: unknown, source: string): T {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue === undefined ? '' : fieldOf(issue.path);
  throw new InputError(issue?.message ?? 'invalid', field === '' ? { file: source } : { file: source, field });
}

/** Reads a Sabre movie (all its segments; see `withMovieLength` for `-ml`). */
export function parseSabreMovie(json: unknown, source = 'movie.json'): SabreMovie {
  const m = validate(movieSchema, json, source);
  const rungs = m.bitrates_kbps.length;
  for (let q = 1; q < rungs; q++) {
    if (!((m.bitrates_kbps[q] as number) > (m.bitrates_kbps[q - 1] as number))) {
      throw new InputError(`bitrates must be strictly ascending (Sabre assumes it); ${m.bitrates_kbps[q]} follows ${m.bitrates_kbps[q - 1]}`, {
        file: source,
        field: `bitrates_kbps[${q}]`,
      });
    }
  }
  const count = m.segment_sizes_bits.length;
  const sizesBits = new Float64Array(count * rungs);
  m.segment_sizes_bits.forEach((sizes, i) => {
    if (sizes.length !== rungs) {
      throw new InputError(`has ${sizes.length} sizes but there are ${rungs} bitrates`, { file: source, field: `segment_sizes_bits[${i}]` });
    }
    sizes.forEach((bits, q) => (sizesBits[i * rungs + q] = bits));
  });
  return { segmentMs: m.segment_duration_ms, bitratesKbps: Float64Array.from(m.bitrates_kbps), rungCount: rungs, segmentCount: count, sizesBits };
}

/** Sabre's `-ml LEN`: the segment list repeated and cut to ceil(LEN·1000/seg) segments (this can also shorten it). */
export function withMovieLength(movie: SabreMovie, movieLengthS: number): SabreMovie {
  const count = Math.ceil((movieLengthS * 1000) / movie.segmentMs);
  if (!(count >= 1)) throw new InputError(`movie length ${movieLengthS} s leaves no segment`, { field: 'movieLengthS' });
  const rungs = movie.rungCount;
  const sizesBits = new Float64Array(count * rungs);
  for (let i = 0; i < count; i++) {
    const from = (i % movie.segmentCount) * rungs;
    for (let q = 0; q < rungs; q++) sizesBits[i * rungs + q] = movie.sizesBits[from + q] as number;
  }
  return { ...movie, segmentCount: count, sizesBits };
}

/** Reads a Sabre network trace. A trace with no capacity at all would never finish a download: an error. */
export function parseSabreNetwork(json: unknown, source = 'network.json'): SabreNetwork {
  const periods = validate(networkSchema, json, source);
  const n = periods.length;
  const net = { durationsMs: new Float64Array(n), bandwidthsKbps: new Float64Array(n), latenciesMs: new Float64Array(n) };
  let capacity = 0;
  periods.forEach((p, i) => {
    net.durationsMs[i] = p.duration_ms;
    net.bandwidthsKbps[i] = p.bandwidth_kbps;
    net.latenciesMs[i] = p.latency_ms;
    capacity += p.duration_ms * p.bandwidth_kbps;
  });
  if (!(capacity > 0)) {
    throw new InputError('no period has both a duration and a bandwidth: a download would never finish (Sabre loops for ever)', {
      file: source,
      field: '[*].bandwidth_kbps',
    });
  }
  return net;
}

/** The movie as an abrlab catalog (sizes in bytes = bits / 8, exact in binary floating point). */
export function sabreMovieCatalog(movie: SabreMovie, name = 'movie'): Catalog {
  const sizesBytes = Array.from({ length: movie.rungCount }, (_, q) => {
    const a = new Float64Array(movie.segmentCount);
    for (let i = 0; i < movie.segmentCount; i++) a[i] = bitsToBytes(movie.sizesBits[i * movie.rungCount + q] as number);
    return a;
  });
  const representations = Array.from(movie.bitratesKbps, (kbps, q) => ({
    id: `q${q}`,
    bitrateKbps: kbps,
    // Sabre's movies carry no resolution; these are placeholders the profile never reads.
    width: 0,
    height: 0,
    codecs: '',
  }));
  const segMs = movie.segmentMs;
  return {
    name,
    segmentDurationMs: segMs,
    segmentCount: movie.segmentCount,
    durationMs: movie.segmentCount * segMs,
    representations,
    sizesBytes,
    segmentDurationAt: () => segMs,
  };
}

/** Reads and parses a JSON file; unreadable or malformed files are InputErrors naming the file. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read: ${(err as Error).message}`, { file: path });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(`not valid JSON: ${(err as Error).message}`, { file: path });
  }
}

export const readSabreMovieFile = (path: string): SabreMovie => parseSabreMovie(readJsonFile(path), path);
export const readSabreNetworkFile = (path: string): SabreNetwork => parseSabreNetwork(readJsonFile(path), path);
