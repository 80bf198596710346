/**
 * Everything a scenario's sessions need, loaded once per thread: the titles (per arm, since a variant may
 * re-segment a title), the trace set, the policy factories and each arm's merged player settings. The main thread
 * and every worker build the same context from the same scenario text, so a session is named by its plan index
 * alone and workers receive nothing but index lists.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolvePolicyFactory, isPolicyPath } from '../abr/load-policy.js';
import type { AbrPolicyFactory } from '../abr/types.js';
import { REFERENCE_CDNS } from '../origin/cdn.js';
import { CODEC_BITRATE_FACTOR, ladderForCodec, type Codec } from '../origin/cost.js';
import { wantsDelivery, type DeliveryOptions } from '../sim/delivery.js';
import { InputError } from '../core/errors.js';
import type { Trace } from '../net/trace.js';
import { parseCatalog, type Catalog } from '../origin/catalog.js';
import { parseJson } from '../origin/load-catalog.js';
import type { PlayerConfigInput } from '../player/config.js';
import type { QoeParamsInput } from '../qoe/models.js';
import { VERSION } from '../version.js';
import { createPlan, type Plan } from './plan.js';
import type { LoadedScenario, Scenario, Variant } from './scenario.js';
import { contentCatalogs, hashContent, plannedTitle, prepareContent, type ContentSetup } from './content-context.js';
import { loadScenarioTraces } from './trace-set.js';
import { mergedPlayerInput } from './variant-player.js';

export interface PolicyArm {
  /** Label recorded in results (`label`, else the policy's own name). */
  label: string;
  factory: AbrPolicyFactory;
  params: Record<string, unknown>;
}

/** One variant of the player (or the base settings when the scenario has no variants). */
export interface VariantArm {
  /** Variant name; undefined for the base settings of a scenario without variants. */
  name: string | undefined;
  /** Scenario player ← variant player ← buffer shorthand ← startup strategy (variant-player.ts). */
  player: PlayerConfigInput;
  /** Merged over each policy's own params. */
  abrParams: Record<string, unknown>;
  /** The titles as this variant sees them (re-segmented when it sets segmentDurationMs), by video index. */
  catalogs: Catalog[];
}

export interface RunContext {
  loaded: LoadedScenario;
  scenario: Scenario;
  /** Base titles, in scenario order. */
  videos: Catalog[];
  traces: Trace[];
  policies: PolicyArm[];
  variants: VariantArm[];
  qoe: QoeParamsInput;
  plan: Plan;
  /** CDNs, faults, retry policy and prices, when the scenario has CDNs or faults (issue 7). */
  delivery?: DeliveryOptions;
  /** A series, live event or interactive title (issue 9); absent for the plain movie path. */
  content?: ContentSetup;
}

/** Loads a scenario's inputs; every problem is an InputError naming the scenario file and field. */
export async function prepareRun(loaded: LoadedScenario): Promise<RunContext> {
  const { scenario } = loaded;
  if (scenario.profile !== 'fluid') {
    throw new InputError(`profile "${scenario.profile}" is not supported by the sweep runner yet (use abrlab sim --profile ${scenario.profile})`, {
      file: loaded.file,
      field: 'profile',
    });
  }
  const content = scenario.content === undefined || scenario.content.type === 'movie' ? undefined : await prepareContent(loaded);
  // A content scenario's title is loaded by prepareContent (its video, if any, is a ladder, not the title).
  const videoPaths = content !== undefined ? [] : (scenario.videos ?? (scenario.video === undefined ? [] : [scenario.video]));
  const [videoJson, traces, policies] = await Promise.all([
    Promise.all(videoPaths.map((p) => readCatalogJson(loaded.resolvePath(p)))),
    loadScenarioTraces(loaded),
    Promise.all(scenario.policies.map((entry) => policyArm(entry, loaded))),
  ]);
  const planned = content === undefined ? undefined : plannedTitle(content);
  const videos = planned !== undefined ? [planned] : videoJson.map(({ json, path }) => parseCatalog(json, path));
  const labels = new Set<string>();
  policies.forEach((p, i) => {
    if (labels.has(p.label)) throw new InputError(`duplicate policy label "${p.label}" (give each a distinct label)`, { file: loaded.file, field: `policies[${i}]` });
    labels.add(p.label);
  });
  const variantSpecs = scenario.variants ?? [];
  const variants: VariantArm[] =
    variantSpecs.length === 0 || content !== undefined
      ? variantsWithout(variantSpecs, scenario, videos)
      : variantSpecs.map((v, i) => ({
          name: v.name,
          player: mergedPlayerInput(scenario.player, v) as PlayerConfigInput,
          abrParams: v.abr?.params ?? {},
          catalogs: videoJson.map(({ json: raw, path }, k) => {
            const json = v.codec === undefined || v.codec === 'h264' ? raw : catalogJsonForCodec(raw, v.codec);
            if (v.segmentDurationMs !== undefined) return resegment(json, path, v.segmentDurationMs, loaded.file, `variants[${i}].segmentDurationMs`);
            return json === raw ? (videos[k] as Catalog) : parseCatalog(json, path);
          }),
        }));
  checkPolicyParams(policies, variants, loaded.file);
  const qoe: QoeParamsInput = {
    ...(scenario.qoe?.reference === undefined ? {} : { reference: scenario.qoe.reference }),
    ...(scenario.qoe?.pensieve === undefined ? {} : { pensieve: scenario.qoe.pensieve }),
  };
  const plan = createPlan({ scenario, videos, traces, policies: policies.map((p) => p.label), variants: variants.map((v) => v.name) });
  const delivery = deliveryOf(scenario);
  return { loaded, scenario, videos, traces, policies, variants, qoe, plan, ...(delivery === undefined ? {} : { delivery }), ...(content === undefined ? {} : { content }) };
}

/**
 * The arms of a scenario whose titles no variant changes: the base settings alone, or each variant's player and
 * ABR settings over the same titles (content scenarios: their variants change content settings, not the title).
 */
function variantsWithout(specs: readonly Variant[], scenario: Scenario, videos: Catalog[]): VariantArm[] {
  if (specs.length === 0) return [{ name: undefined, player: (scenario.player ?? {}) as PlayerConfigInput, abrParams: {}, catalogs: videos }];
  return specs.map((v) => ({ name: v.name, player: mergedPlayerInput(scenario.player, v) as PlayerConfigInput, abrParams: v.abr?.params ?? {}, catalogs: videos }));
}

/** The scenario's delivery section as simulator options (undefined without CDNs and faults: the plain path). */
function deliveryOf(scenario: Scenario): DeliveryOptions | undefined {
  const d: DeliveryOptions = {
    cdns: scenario.cdns === 'reference' ? REFERENCE_CDNS : scenario.cdns,
    faults: scenario.faults,
    ...(scenario.retry === undefined ? {} : { retry: scenario.retry }),
    ...(scenario.pricing === undefined ? {} : { usdPerGb: scenario.pricing.usdPerGb }),
  };
  return wantsDelivery(d) ? d : undefined;
}

/**
 * Builds every (variant, policy) once, so a bad parameter fails here, naming the scenario field, rather than in
 * a worker halfway through a sweep.
 */
function checkPolicyParams(policies: readonly PolicyArm[], variants: readonly VariantArm[], file: string): void {
  variants.forEach((arm, a) => {
    policies.forEach((p, i) => {
      const fromVariant = Object.keys(arm.abrParams).length > 0;
      try {
        p.factory(fromVariant ? { ...p.params, ...arm.abrParams } : p.params);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        const field = fromVariant ? `variants[${a}].abr.params` : `policies[${i}].params`;
        throw new InputError(`${err.message}${fromVariant ? ` (merged into policy ${p.label})` : ''}`, { file, field });
      }
    });
  });
}

async function readCatalogJson(path: string): Promise<{ json: unknown; path: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read video catalog (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file: path });
  }
  return { json: parseJson(text, path), path };
}

async function policyArm(entry: Scenario['policies'][number], loaded: LoadedScenario): Promise<PolicyArm> {
  const spec = typeof entry === 'string' ? { name: entry, params: {} } : entry;
  const path = isPolicyPath(spec.name) ? loaded.resolvePath(spec.name) : spec.name;
  const resolved = await resolvePolicyFactory(path);
  const label = typeof entry === 'string' ? resolved.name : (entry.label ?? resolved.name);
  return { label, factory: resolved.factory, params: spec.params };
}

/**
 * A catalog JSON re-encoded with `codec` at equal quality (reference §7.2): every rung's bitrate, and its
 * per-segment sizes when given, scaled by the codec's factor.
 */
function catalogJsonForCodec(json: unknown, codec: Codec): unknown {
  const raw = json as { representations?: { bitrateKbps: number; segmentSizesBytes?: number[] }[] };
  if (!Array.isArray(raw.representations)) return json;
  const factor = CODEC_BITRATE_FACTOR[codec];
  // Each rung keeps the quality it had in H.264 (qualityKbps), which the QoE models score.
  const reps = ladderForCodec(raw.representations, codec).map((r, i) => {
    const withQuality = { ...r, qualityKbps: (raw.representations?.[i] as { bitrateKbps: number }).bitrateKbps };
    return r.segmentSizesBytes === undefined ? withQuality : { ...withQuality, segmentSizesBytes: r.segmentSizesBytes.map((b) => Math.round(b * factor)) };
  });
  return { ...raw, representations: reps };
}

/**
 * The title cut into segments of `segmentDurationMs`: only possible when sizes follow the nominal bitrates (a
 * catalog with per-segment sizes describes one encoding, which cannot be re-cut without re-encoding).
 */
function resegment(json: unknown, path: string, segmentDurationMs: number, scenarioFile: string, field: string): Catalog {
  const base = parseCatalog(json, path);
  const raw = json as { representations?: { segmentSizesBytes?: unknown }[] };
  if ((raw.representations ?? []).some((r) => r.segmentSizesBytes !== undefined)) {
    throw new InputError(`cannot re-segment ${path}: it lists per-segment sizes (remove segmentDurationMs, or give a catalog without sizes)`, {
      file: scenarioFile,
      field,
    });
  }
  const { segmentCount: _count, ...rest } = json as Record<string, unknown>;
  return parseCatalog({ ...rest, segmentDurationMs, durationMs: base.durationMs }, path);
}

/**
 * A fingerprint of everything that decides the results: the validated scenario, the abrlab version, the traces'
 * samples and the titles' segment sizes. Resume and merge refuse directories whose fingerprint differs.
 */
export function runFingerprint(ctx: RunContext): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ abrlab: VERSION, scenario: ctx.scenario }));
  for (const t of ctx.traces) {
    h.update(`\0trace:${t.name}:${t.durationMs}:${t.latencyMs ?? ''}`);
    h.update(new Uint8Array(t.startMs.buffer, t.startMs.byteOffset, t.startMs.byteLength));
    h.update(new Uint8Array(t.rateKbps.buffer, t.rateKbps.byteOffset, t.rateKbps.byteLength));
  }
  const contentTitles = ctx.content === undefined ? [] : contentCatalogs(ctx.content);
  if (ctx.content !== undefined) hashContent(h, ctx.content);
  for (const arm of [...ctx.variants, { catalogs: contentTitles }]) {
    for (const c of arm.catalogs) {
      h.update(`\0video:${c.name}:${c.segmentDurationMs}:${c.durationMs}`);
      for (const s of c.sizesBytes) h.update(new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
    }
  }
  return h.digest('hex');
}
