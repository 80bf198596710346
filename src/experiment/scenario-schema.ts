import { z } from 'zod';
import { generatorSpecSchema } from '../net/generators/spec.js';
import { cdnSchema } from '../origin/cdn.js';
import { faultsSchema } from '../origin/faults.js';
import { playerConfigSchema } from '../player/config.js';
import { degradationSchema } from '../player/degradation.js';
import { startupFlowSchema } from '../player/startup/startup-flow.js';
import { retryPolicySchema } from '../player/resilience/retry-policy.js';
import { mergedPlayerInput } from './variant-player.js';
import { checkContent, contentSchema } from './content-schema.js';
import { pensieveQoeParamsSchema, referenceQoeParamsSchema } from '../qoe/models.js';

/**
 * The scenario file (YAML or JSON) of `abrlab run`, `ab` and `gate`: one schema for every experiment. A scenario
 * expands to sessions = videos × traces × replicates × variants × policies (src/experiment/plan.ts). Paths are
 * relative to the scenario file. Every default lives here (STYLE.md: defaults in one place).
 */

/**
 * Player settings are kept as written and validated after merging (scenario ← variant), so a variant that sets
 * one field does not reset the others to defaults; `superRefine` below checks every merged config.
 */
const rawPlayer = z.record(z.string(), z.unknown());

const seedSchema = z.union([z.number().int(), z.string().min(1)]);

/** A trace-set entry: a path / directory / glob string, an object form of the same, or a generator with a count. */
const traceFilesEntry = z
  .object({
    path: z.string().min(1).describe('File, directory or glob pattern, relative to the scenario file'),
    format: z.string().optional().describe('Trace format of these files (default: detected per file)'),
    limit: z.number().int().positive().optional().describe('Keep only the first N files (in sorted order)'),
  })
  .strict();

const traceGeneratorEntry = z
  .object({
    generate: generatorSpecSchema.describe('Trace generator spec (see `abrlab traces gen --help`)'),
    count: z.number().int().positive().default(1).describe('Traces to generate; trace k uses seed "<seed>/<k>"'),
  })
  .strict();

export const traceEntrySchema = z.union([z.string().min(1), traceFilesEntry, traceGeneratorEntry]);

const policyEntrySchema = z.union([
  z.string().min(1).describe('Built-in policy name or path to a policy module'),
  z
    .object({
      name: z.string().min(1).describe('Built-in policy name or path to a policy module'),
      label: z.string().min(1).optional().describe('Name shown in results (default: the policy name)'),
      params: z.record(z.string(), z.unknown()).default({}).describe('Policy parameters'),
    })
    .strict(),
]);

/** Shorthand buffer settings of a variant, mapped onto the player config (reference §2.3). */
const bufferOverrideSchema = z
  .object({
    startupMs: z.number().nonnegative().optional().describe('→ player.startupBufferMs'),
    resumeMs: z.number().nonnegative().optional().describe('→ player.resumeBufferMs'),
    lowWaterMs: z.number().nonnegative().optional().describe('→ player.lowWaterMs'),
    targetMs: z.number().positive().optional().describe('→ player.targetBufferMs'),
    slowDownAboveMs: z.number().positive().optional().describe('→ player.slowDownAboveMs'),
    maxMs: z.number().positive().optional().describe('→ player.maxBufferMs'),
  })
  .strict();

/**
 * Startup strategy (reference §6.2 "low-quality fast start vs high-quality delayed"): `policy` lets the ABR choose;
 * `lowest` / `highest` pin the first `segments` to the bottom / top rung; `fixed` to the highest rung at or below
 * `bitrateKbps`. `bufferMs` is the buffer needed before the first frame.
 */
const startupSchema = z
  .object({
    strategy: z.enum(['policy', 'lowest', 'highest', 'fixed']).default('policy'),
    bitrateKbps: z.number().positive().optional().describe('With strategy fixed: the startup bitrate cap, kbps'),
    segments: z.number().int().positive().optional().describe('Segments fetched with the startup strategy (default 1)'),
    bufferMs: z.number().nonnegative().optional().describe('→ player.startupBufferMs'),
  })
  .strict()
  .refine((s) => s.strategy !== 'fixed' || s.bitrateKbps !== undefined, { message: 'strategy fixed needs bitrateKbps', path: ['bitrateKbps'] });

export const variantSchema = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash and underscore').describe('Variant name, recorded on every result row'),
    description: z.string().optional(),
    player: rawPlayer.optional().describe('Player setting overrides (merged over the scenario player; see src/player/config.ts)'),
    abr: z
      .object({ params: z.record(z.string(), z.unknown()).default({}).describe('Parameters merged into every policy') })
      .strict()
      .optional()
      .describe('ABR overrides'),
    buffer: bufferOverrideSchema.optional(),
    segmentDurationMs: z.number().positive().optional().describe('Re-segment the title (catalogs without per-segment sizes only), ms'),
    codec: z
      .enum(['h264', 'hevc', 'av1'])
      .optional()
      .describe('Re-encode the ladder for equal quality: HEVC −30 %, AV1 −45 % bitrate and size (reference §7.2)'),
    startup: startupSchema.optional(),
    startupFlow: startupFlowSchema.optional().describe('Startup steps of this variant (overrides the scenario\'s startupFlow)'),
    content: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Content settings of this variant, merged over the scenario\'s content section (e.g. prefetch: off, targetLatencyMs: 20000)'),
  })
  .strict();

/** Thumbnail loader settings of the scrubbing model (the loader's defaults are the reference's). */
const trickplayLoaderFields = {
  cacheSheets: z.number().int().positive().optional().describe('Sprite sheets kept in the client LRU (reference: 5)'),
  preloadRadius: z.number().int().nonnegative().optional().describe('Sheets preloaded each side of the one under the pointer (reference: 2)'),
  maxParallel: z.number().int().positive().optional().describe('Sheet downloads in flight at most (reference: 3)'),
};

/**
 * Trick-play scrubbing (issue 9; reference §2.5): which users scrub and how, drawn per user like seeks, and the
 * thumbnail loader they use. `variants` changes the loader per variant name (the drags stay the same user's), so an
 * A/B can compare thumbnails on/off or cache sizes on identical scrubbing.
 */
const scrubbingSchema = z
  .object({
    probability: z.number().min(0).max(1).default(0).describe('Share of users who scrub (reference §2.5.6: 60–70 % hover over the progress bar)'),
    meanEpisodes: z.number().positive().default(2).describe('Mean drags per scrubbing user (Poisson, at least 1)'),
    earliestMs: z.number().nonnegative().default(10_000).describe('No drag before this session time, ms'),
    minDragMs: z.number().positive().default(500).describe('Shortest drag, ms'),
    maxDragMs: z.number().positive().default(3000).describe('Longest drag, ms (uniform between min and max)'),
    seekProbability: z.number().min(0).max(1).default(0.8).describe('Share of drags released on the target (a seek there)'),
    hoverEveryMs: z.number().positive().default(100).describe('Time between hover events along a drag, ms'),
    sheetMinBytes: z.number().int().positive().default(150_000).describe('Smallest sprite sheet, bytes (reference: ~150 KB)'),
    sheetMaxBytes: z.number().int().positive().default(250_000).describe('Largest sprite sheet, bytes (reference: ~250 KB)'),
    ...trickplayLoaderFields,
    variants: z
      .record(
        z.string(),
        z
          .object({ enabled: z.boolean().default(true).describe('Fetch thumbnails (false: same drags and seeks, no sprites)'), ...trickplayLoaderFields })
          .strict(),
      )
      .default({})
      .describe('Loader overrides by variant name'),
  })
  .strict()
  .refine((s) => s.minDragMs <= s.maxDragMs, { message: 'minDragMs must not exceed maxDragMs', path: ['minDragMs'] })
  .refine((s) => s.sheetMinBytes <= s.sheetMaxBytes, { message: 'sheetMinBytes must not exceed sheetMaxBytes', path: ['sheetMinBytes'] });

export type ScrubbingBehaviour = z.output<typeof scrubbingSchema>;

/** User behaviour drawn per session key (trace, video, replicate) so every arm of an A/B sees the same users. */
const behaviourSchema = z
  .object({
    seeks: z
      .object({
        meanCount: z.number().nonnegative().default(0).describe('Mean seeks per session (Poisson)'),
        earliestMs: z.number().nonnegative().default(10_000).describe('No seek before this session time, ms'),
      })
      .strict()
      .default({ meanCount: 0, earliestMs: 10_000 }),
    earlyExit: z
      .object({
        probability: z.number().min(0).max(1).default(0).describe('Share of sessions that leave before the end'),
        meanWatchMs: z.number().positive().default(300_000).describe('Mean watch time of those sessions (exponential), ms'),
        minWatchMs: z.number().positive().default(4000).describe('Shortest watch time drawn, ms'),
      })
      .strict()
      .default({ probability: 0, meanWatchMs: 300_000, minWatchMs: 4000 }),
    randomTraceOffset: z.boolean().default(false).describe('Start each session at a random point of its trace (the trace loops)'),
    scrubbing: scrubbingSchema.optional().describe('Trick-play scrubbing: drags along the seek bar with thumbnail previews'),
  })
  .strict();

const deviceSchema = z
  .object({
    name: z.string().min(1),
    maxHeightPx: z.number().int().positive().optional().describe('Highest frame height the device plays, px'),
    weight: z.number().positive().default(1).describe('Relative share of sessions on this device'),
    slow: z.boolean().default(false).describe('Slow device: quality capped at 1080p (reference §5.3)'),
    lowMemory: z.boolean().default(false).describe('Low-memory device: smaller buffer (reference §5.3)'),
    highLatency: z.boolean().default(false).describe('Known high-latency link: larger buffer target (reference §5.3)'),
  })
  .strict();

const metricName = z.string().min(1);

const abSchema = z
  .object({
    design: z.enum(['paired', 'population-split']).default('paired'),
    arms: z
      .array(
        z
          .object({
            name: z.string().min(1),
            policy: z.string().min(1).optional().describe('Policy label (default: the first policy)'),
            variant: z.string().min(1).optional().describe('Variant name (default: none, the base settings)'),
            share: z.number().gt(0).lt(1).optional().describe('population-split: share of users in this arm'),
          })
          .strict(),
      )
      .min(2)
      .optional()
      .describe('Arms; the first is the control (default: every variant, else every policy)'),
    metrics: z.array(metricName).min(1).default(['qoeReference', 'rebufferRatio', 'startupMs', 'avgBitrateKbps', 'switchCount']),
    alpha: z.number().gt(0).lt(1).default(0.05),
    bootstrapResamples: z.number().int().min(100).default(2000),
    test: z.enum(['wilcoxon', 'permutation']).default('wilcoxon').describe('Paired test'),
    permutations: z.number().int().min(100).default(10_000),
    rollout: z
      .object({
        metric: metricName.default('qoeReference'),
        minImprovementPct: z.number().default(2).describe('Reference §6.2: roll out when QoE improves by more than 2 %'),
      })
      .strict()
      .default({ metric: 'qoeReference', minImprovementPct: 2 }),
    treatmentShare: z.number().gt(0).lt(1).default(0.1).describe('population-split: share of users in the treatment arms (reference: 10 %)'),
  })
  .strict();

export const gateRuleSchema = z
  .object({
    metric: metricName.describe('summary.json metric id, e.g. qoeReference'),
    stat: z.enum(['mean', 'median', 'p5', 'p95']).default('mean'),
    direction: z.enum(['higher-is-better', 'lower-is-better']).optional().describe('Default: from the metric'),
    maxDrop: z.number().nonnegative().optional().describe('Largest allowed worsening, in metric units'),
    maxDropPct: z.number().nonnegative().optional().describe('Largest allowed worsening, % of the baseline'),
    nonInferiority: z
      .object({
        margin: z.number().nonnegative().describe('Non-inferiority margin, metric units'),
        confidence: z.number().gt(0.5).lt(1).default(0.95),
      })
      .strict()
      .optional()
      .describe('Fail unless the one-sided confidence bound of (run − baseline) clears −margin (mean only)'),
  })
  .strict()
  .refine((r) => r.maxDrop !== undefined || r.maxDropPct !== undefined || r.nonInferiority !== undefined, {
    message: 'a rule needs maxDrop, maxDropPct or nonInferiority',
  });

const gateSchema = z
  .object({
    baseline: z.string().optional().describe('Baseline summary.json, relative to the scenario file (or --baseline)'),
    policies: z.array(z.string().min(1)).optional().describe('Groups to check (default: every group in both)'),
    rules: z.array(gateRuleSchema).min(1),
  })
  .strict();

/**
 * Edge sharing (issue 7): consecutive users in plan order form groups whose sessions run on one clock and fill
 * the same edge caches (src/sim/group.ts). Each arm (variant × policy) of a group is a population of its own, so
 * the arms of an A/B never warm each other's caches and every arm meets the same arrivals.
 */
const cdnSharingSchema = z
  .object({
    sessionsPerEdge: z.number().int().min(1).describe('Users per group sharing one set of edge caches (consecutive users in plan order; each arm separately)'),
    arrivalGapMs: z.number().nonnegative().default(1000).describe('Time between the arrivals of a group\'s users, ms'),
  })
  .strict();

const scenarioBase = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash and underscore (it names the output folder)').describe('Scenario name; output goes to reports/<name>/'),
    description: z.string().optional().describe('What the scenario is for'),
    seed: seedSchema.default(1).describe('Seed of every random draw in the run'),
    profile: z.enum(['fluid', 'pensieve', 'sabre']).default('fluid').describe('Simulation model (pensieve/sabre: their own inputs)'),
    content: contentSchema.optional(),
    video: z.string().min(1).optional().describe('Video catalog JSON, relative to the scenario file (live: the event\'s ladder; interactive: the scenes\' ladder)'),
    videos: z.array(z.string().min(1)).min(1).optional().describe('Several titles: every trace runs on each'),
    traces: z.array(traceEntrySchema).min(1).describe('Trace files, directories, globs or generators, relative to the scenario file'),
    traceFormat: z.string().optional().describe('Trace format for every file (default: detected per file)'),
    policies: z.array(policyEntrySchema).min(1).describe('ABR policies to run on every trace'),
    variants: z.array(variantSchema).optional().describe('Named variants of the player; every policy runs under each'),
    replicates: z.number().int().positive().default(1).describe('Sessions per trace (each with its own seed)'),
    player: rawPlayer.optional().describe('Player settings over the reference player (src/player/config.ts)'),
    qoe: z
      .object({ reference: referenceQoeParamsSchema.optional(), pensieve: pensieveQoeParamsSchema.optional() })
      .strict()
      .optional()
      .describe('QoE model parameters'),
    devices: z.array(deviceSchema).min(1).optional().describe('Device mix, drawn per session'),
    behaviour: behaviourSchema.optional().describe('User behaviour: seeks, early exits'),
    network: z
      .object({
        latencyMs: z.number().nonnegative().optional().describe('Link latency before each first byte, ms (default: trace latency, else 40)'),
        originLatencyMs: z.number().nonnegative().default(0).describe('Origin delay before the first byte, ms'),
      })
      .strict()
      .default({ originLatencyMs: 0 })
      .describe('Network model settings'),
    faults: faultsSchema.describe('Fault injection rules (src/origin/faults.ts), drawn per session from its seed'),
    cdns: z
      .union([z.literal('reference'), z.array(cdnSchema)])
      .default([])
      .describe('CDNs in failover order (`reference`: OCA → CloudFront → S3); with CDNs or faults the reference retry policy is on'),
    cdnSharing: cdnSharingSchema
      .optional()
      .describe('Sessions share CDN edge caches in groups, so hit ratios emerge from their requests (needs cdns with cacheBytes)'),
    startupFlow: startupFlowSchema
      .optional()
      .describe('Auth, playback API, manifest, DRM licence and bookmark before the first segment, parallel or sequential (reference §2.1, §4.2)'),
    degradation: degradationSchema
      .optional()
      .describe('Graceful degradation thresholds (reference §5.3); when present, high observed latency also lowers quality'),
    retry: retryPolicySchema.optional().describe('Retry policy over the reference (10 s timeout, back-off 1/2/4 s, 3 retries)'),
    pricing: z
      .object({ usdPerGb: z.record(z.string(), z.number().nonnegative()).default({}).describe('US$ per GB by CDN name over the reference table') })
      .strict()
      .optional()
      .describe('Delivery prices (reference §7: OCA 0.01, CloudFront 0.085, S3 0.09 US$/GB)'),
    output: z
      .object({
        segments: z.boolean().default(true).describe('Write every segment row to results.jsonl (off for large sweeps)'),
        telemetry: z.boolean().default(false).describe('Add the player\'s telemetry batches (every 30 s, reference §6.1) to each row'),
      })
      .strict()
      .default({ segments: true, telemetry: false }),
    report: z
      .object({
        timelines: z.number().int().nonnegative().default(12).describe('Most session timelines drawn (best / median / worst per group)'),
        html: z.boolean().default(true).describe('Write index.html'),
      })
      .strict()
      .default({ timelines: 12, html: true })
      .describe('Report settings'),
    ab: abSchema.optional().describe('A/B analysis (abrlab ab)'),
    gate: gateSchema.optional().describe('CI gate rules (abrlab gate)'),
  })
  .strict();

export const scenarioSchema = scenarioBase.superRefine((s, ctx) => {
  const type = s.content?.type ?? 'movie';
  if (type !== 'movie') checkContent(s, ctx);
  else if (s.video === undefined && s.videos === undefined) ctx.addIssue({ code: 'custom', path: ['video'], message: 'give video or videos' });
  if (s.video !== undefined && s.videos !== undefined) ctx.addIssue({ code: 'custom', path: ['videos'], message: 'give video or videos, not both' });
  const names = new Set<string>();
  (s.variants ?? []).forEach((v, i) => {
    if (names.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'name'], message: `duplicate variant "${v.name}"` });
    names.add(v.name);
  });
  const cdnNames = new Set((s.cdns === 'reference' ? ['oca', 'cloudfront', 's3'] : s.cdns.map((c) => c.name)));
  s.faults.forEach((f, i) => {
    if (f.kind !== 'licence-error' && f.cdn !== undefined && !cdnNames.has(f.cdn)) {
      ctx.addIssue({ code: 'custom', path: ['faults', i, 'cdn'], message: `unknown CDN "${f.cdn}"; CDNs: ${[...cdnNames].join(', ') || 'none (add cdns:)'}` });
    }
  });
  if (s.cdnSharing !== undefined && (s.cdns === 'reference' || !s.cdns.some((c) => c.cacheBytes !== undefined && c.hitRatio === undefined))) {
    ctx.addIssue({
      code: 'custom',
      path: ['cdns'],
      message: 'cdnSharing needs a CDN whose hit ratio emerges from an edge cache: give one of cdns a cacheBytes (and no hitRatio)',
    });
  }
  checkPlayer(s.player ?? {}, ['player'], ctx);
  (s.variants ?? []).forEach((v, i) => checkPlayer(mergedPlayerInput(s.player, v), ['variants', i], ctx));
  for (const v of Object.keys(s.behaviour?.scrubbing?.variants ?? {})) {
    if (!names.has(v)) ctx.addIssue({ code: 'custom', path: ['behaviour', 'scrubbing', 'variants', v], message: `unknown variant "${v}"` });
  }
  if (type === 'movie') {
    (s.variants ?? []).forEach((v, i) => {
      if (v.content !== undefined) ctx.addIssue({ code: 'custom', path: ['variants', i, 'content'], message: 'content settings need a content section of type series, live or interactive' });
    });
  }
  s.ab?.arms?.forEach((a, i) => {
    if (a.variant !== undefined && !names.has(a.variant)) {
      ctx.addIssue({ code: 'custom', path: ['ab', 'arms', i, 'variant'], message: `unknown variant "${a.variant}"` });
    }
  });
});

function checkPlayer(input: Record<string, unknown>, at: (string | number)[], ctx: z.RefinementCtx): void {
  const parsed = playerConfigSchema.safeParse(input);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    const path = at[0] === 'player' ? ['player', ...issue.path] : [...at, 'player', ...issue.path];
    ctx.addIssue({ code: 'custom', path: path as (string | number)[], message: issue.message });
  }
}

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Variant = z.output<typeof variantSchema>;
export type TraceEntry = z.output<typeof traceEntrySchema>;
export type GateRule = z.output<typeof gateRuleSchema>;
export type AbSettings = z.output<typeof abSchema>;
