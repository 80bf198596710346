/**
 * The `sabre` compatibility profile: Sabre's session loop (Spiteri et al., MMSys 2018; UMass-LIDS/sabre
 * src/sabre.py @ 09b03bb) as it behaves, bugs included, driving abrlab's own policies (`bola`, `bolae`,
 * `throughput`, `dynamic`, `dynamicdash`, or any `AbrPolicy`). `compat.metrics` holds Sabre's 24 printed
 * metrics; see /work/shared/conformance/sabre/MODEL.md for the model.
 */
import { basename } from 'node:path';
import { createBuiltinPolicy } from '../../abr/registry.js';
import { BolaPolicy } from '../../abr/bola.js';
import { BolaePolicy } from '../../abr/bolae.js';
import { DynamicPolicy } from '../../abr/dynamic.js';
import { DynamicDashPolicy } from '../../abr/dynamic-dash.js';
import { ThroughputPolicy } from '../../abr/throughput.js';
import type { AbrContext, AbrPolicy, AbrPolicyFactory } from '../../abr/types.js';
import type { Catalog } from '../../origin/catalog.js';
import type { SessionResult } from '../../qoe/types.js';
import { type SabreMovie, type SabreNetwork, readSabreMovieFile, readSabreNetworkFile, sabreMovieCatalog, withMovieLength } from './inputs.js';
import { type SabreOptions, type SabreOptionsInput, parseSabreOptions } from './options.js';
import { sabreSessionResult } from './result.js';
import { runSabreLoop } from './session.js';

export { parseSabreMovie, parseSabreNetwork, readSabreMovieFile, readSabreNetworkFile, sabreMovieCatalog, withMovieLength } from './inputs.js';
export type { SabreMovie, SabreNetwork } from './inputs.js';
export { parseSabreFlags, parseSabreOptions, sabreOptionsSchema } from './options.js';
export type { SabreFlags, SabreOptions, SabreOptionsInput } from './options.js';
export { SABRE_METRIC_LABELS, metricKey, sabreMetrics } from './result.js';
export type { SabreMetrics, SabreMetricKey } from './result.js';

/** Sabre's built-in ABRs, built with the parameters its flags give them. */
export const SABRE_POLICIES = ['bola', 'bolae', 'throughput', 'dynamic', 'dynamicdash'] as const;

/**
 * A fresh policy for one session: Sabre's built-ins get the parameters Sabre's flags give them (then any
 * `extra` params on top); other built-ins get `extra` only.
 */
export function createSabrePolicy(name: string, o: SabreOptions, extra: Record<string, unknown> = {}): AbrPolicy {
  const bufferMs = o.maxBufferS * 1000;
  const ibr = !o.noIbr;
  switch (name) {
    case 'bola':
      return new BolaPolicy({ gammaP: o.gammaP, bufferMs, basic: o.abrBasic, oscillation: o.abrOsc, ...extra });
    case 'bolae':
      return new BolaePolicy({ gammaP: o.gammaP, bufferMs, oscillation: o.abrOsc, insufficientBufferRule: ibr, ...extra });
    case 'throughput':
      return new ThroughputPolicy({ insufficientBufferRule: ibr, ...extra });
    case 'dynamic':
      return new DynamicPolicy({ gammaP: o.gammaP, bufferMs, basic: o.abrBasic, oscillation: o.abrOsc, insufficientBufferRule: ibr, ...extra });
    case 'dynamicdash':
      return new DynamicDashPolicy({ gammaP: o.gammaP, bufferMs, oscillation: o.abrOsc, insufficientBufferRule: ibr, ...extra });
    default:
      return createBuiltinPolicy(name, extra);
  }
}

/** Sabre prints BOLA-E's buffer target Bb on a line of its own when it builds the rule. */
function strayStdout(policy: AbrPolicy, ctx: Pick<AbrContext, 'catalog' | 'maxBufferMs'>): string[] {
  const bolae = policy instanceof BolaePolicy ? policy : policy instanceof DynamicDashPolicy ? policy.bola : undefined;
  if (bolae === undefined) return [];
  const { bufferTargetMs } = bolae.parameters(ctx);
  return bolae.insufficientBufferRuleOn ? [String(Math.trunc(bufferTargetMs))] : [];
}

/**
 * Catalogs already built, per movie object and name. A parsed movie is never mutated, so a sweep over many
 * traces builds its catalog once (speed: 2,000 sizes converted per session otherwise); a WeakMap, so a movie
 * no longer used takes its catalogs with it.
 */
const catalogs = new WeakMap<SabreMovie, Map<string, Catalog>>();

function catalogOf(movie: SabreMovie, name: string): Catalog {
  let byName = catalogs.get(movie);
  if (byName === undefined) {
    byName = new Map();
    catalogs.set(movie, byName);
  }
  let catalog = byName.get(name);
  if (catalog === undefined) {
    catalog = sabreMovieCatalog(movie, name);
    byName.set(name, catalog);
  }
  return catalog;
}

export interface SabreSessionInput {
  movie: SabreMovie;
  network: SabreNetwork;
  /** A policy name (Sabre's five, or any abrlab built-in) or a policy instance (used for this session only). */
  policy: string | AbrPolicy;
  /** Extra policy params (a named policy only), applied over those derived from Sabre's flags. */
  policyParams?: Record<string, unknown>;
  options?: SabreOptionsInput;
  /** Names for the result (file names, usually). */
  traceName?: string;
  movieName?: string;
}

/** Runs one Sabre session and returns abrlab's result, with Sabre's printed metrics in `compat.metrics`. */
export function runSabreSession(input: SabreSessionInput): SessionResult {
  const options = parseSabreOptions(input.options);
  const movie = options.movieLengthS === undefined ? input.movie : withMovieLength(input.movie, options.movieLengthS);
  const catalog = catalogOf(movie, input.movieName ?? 'movie');
  const policy = typeof input.policy === 'string' ? createSabrePolicy(input.policy, options, input.policyParams) : input.policy;
  const stdout = strayStdout(policy, { catalog, maxBufferMs: options.maxBufferS * 1000 });
  const loop = runSabreLoop({ movie, catalog, network: input.network, policy, options });
  for (let i = 0; i < loop.tooLateToReplace; i++) stdout.push('WARNING: too late to replace');
  return sabreSessionResult({
    loop,
    movie,
    options,
    policy: policy.name,
    trace: input.traceName ?? 'network',
    video: input.movieName ?? 'movie',
    stdout,
  });
}

export interface SabreFilesInput {
  /** Sabre network JSON path. */
  trace: string;
  /** Sabre movie JSON path. */
  video: string;
  /** A policy name, or a factory (e.g. a user's module) called with `policyParams`. */
  policy: string | AbrPolicyFactory;
  policyParams?: Record<string, unknown>;
  options?: SabreOptionsInput;
}

/** `abrlab sim --profile sabre`: reads both files (errors name them) and runs one session. */
export function runSabreFromFiles(input: SabreFilesInput): SessionResult {
  const movie = readSabreMovieFile(input.video);
  const network = readSabreNetworkFile(input.trace);
  const policy = typeof input.policy === 'string' ? input.policy : input.policy(input.policyParams);
  return runSabreSession({
    movie,
    network,
    policy,
    ...(input.policyParams !== undefined && typeof input.policy === 'string' ? { policyParams: input.policyParams } : {}),
    ...(input.options !== undefined ? { options: input.options } : {}),
    traceName: basename(input.trace),
    movieName: basename(input.video),
  });
}
