/**
 * The scenario's `content:` section (issue 9): what kind of title every session plays. `movie` is one title, the
 * plain sweep (the default); `series`, `live` and `interactive` run each planned session through the content
 * drivers of src/sim/content/ (a binge of episodes, a viewer of a live event, a path through a scene graph).
 *
 * The drivers' own schemas hold the defaults (src/content/series.ts, src/content/live-edge.ts, the drivers'
 * options): fields here are optional overrides unless the field only exists here. A variant may change the
 * settings (`variants[].content`, merged over this section), never the title itself.
 */
import { z } from 'zod';
import { liveSchema } from '../content/live-edge.js';
import { seriesSchema } from '../content/series.js';

/** A series setting as an optional override: the range of src/content/series.ts, its default left to it. */
function seriesOverride<K extends 'prefetchAtCompletion' | 'prefetchSegments' | 'autoplayCountdownMs' | 'continueProbability' | 'cancelAutoplayProbability' | 'targetTransitionGapMs'>(k: K) {
  const field = seriesSchema.shape[k];
  return field.unwrap().optional().describe(`${field.description ?? k} (default: the series file's, else the reference's)`);
}

const inlineEpisodeSchema = z
  .object({
    id: z.string().min(1),
    video: z.string().min(1).describe('Video catalog JSON of the episode, relative to the scenario file'),
    creditsStartMs: z.number().nonnegative().optional().describe('Where the credits start, ms (default: 10 s before the end)'),
    skipIntroMs: z.number().nonnegative().optional().describe('Where the intro ends, ms (auto-skip intro)'),
  })
  .strict();

export const PREFETCH_MODES = ['reference', 'predictive', 'off'] as const;

const seriesContentSchema = z
  .object({
    type: z.literal('series'),
    catalog: z.string().min(1).optional().describe('Series JSON (src/content/series.ts), relative to the scenario; its episodes\' videos are relative to it'),
    name: z.string().min(1).optional().describe('Series name recorded as each row\'s video (default: the series file\'s, else the scenario name)'),
    episodes: z.array(inlineEpisodeSchema).min(1).optional().describe('Episodes given inline, in order (instead of catalog)'),
    prefetchAtCompletion: seriesOverride('prefetchAtCompletion'),
    prefetchSegments: seriesOverride('prefetchSegments'),
    autoplayCountdownMs: seriesOverride('autoplayCountdownMs'),
    continueProbability: seriesOverride('continueProbability'),
    cancelAutoplayProbability: seriesOverride('cancelAutoplayProbability'),
    targetTransitionGapMs: seriesOverride('targetTransitionGapMs'),
    prefetch: z
      .enum(PREFETCH_MODES)
      .optional()
      .describe('Next-episode prefetch: reference (always, from 80 %), predictive (the §4.1 prefetcher decides from the viewer\'s history) or off; default reference'),
    viewerBingeRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('The viewer history the predictive prefetcher sees: share of episodes followed by the next (default: continueProbability)'),
    bingeRates: z
      .object({ min: z.number().min(0).max(1), max: z.number().min(0).max(1) })
      .strict()
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
      .optional()
      .describe(
        'Viewers differ: each user\'s binge rate is drawn uniformly in [min, max] from the user\'s seed; the user goes on to the next episode with that probability and the predictive prefetcher sees it as the viewer\'s history (overrides continueProbability and viewerBingeRate)',
      ),
    autoSkipIntro: z.boolean().optional().describe('Start each episode after its intro (default true)'),
  })
  .strict();

/** The live settings of src/content/live-edge.ts, flat in the section, with their defaults there. */
const liveContentSchema = z
  .object({
    type: z.literal('live'),
    ...liveSchema.shape,
    joinMinMs: z.number().nonnegative().default(60_000).describe('Each user joins at a time drawn uniformly in [joinMinMs, joinMaxMs] of the event, ms'),
    joinMaxMs: z.number().nonnegative().optional().describe('Latest join, ms (default: joinMinMs, everyone joins then)'),
    eventMs: z.number().positive().optional().describe('Event length, ms (default: the scenario video\'s duration)'),
    sampleEveryMs: z.number().positive().optional().describe('How often the latency to the edge is sampled, ms (default: one segment)'),
  })
  .strict();

const interactiveContentSchema = z
  .object({
    type: z.literal('interactive'),
    graph: z.string().min(1).describe('Scene graph JSON (the reference\'s interactive manifest), relative to the scenario'),
    scenes: z
      .record(z.string(), z.string().min(1))
      .optional()
      .describe('Video catalog of each scene by scene id, relative to the scenario (scenes without one are cut from the scenario video\'s ladder)'),
    choice: z
      .object({
        timeoutProbability: z.number().min(0).max(1).optional().describe('Share of decisions the viewer lets time out (default option taken); default 0.1'),
        maxDecisionS: z.number().nonnegative().optional().describe('A choosing viewer takes uniform [0, this] seconds; default 8'),
      })
      .strict()
      .optional()
      .describe('The viewer\'s choice model (drawn per user from the user\'s seed)'),
    branchSegments: z.number().int().nonnegative().optional().describe('Segments of every branch prefetched when a decision appears (default 1)'),
    prefetch: z.boolean().optional().describe('Prefetch branches and linear next scenes (default true)'),
    linearLeadMs: z.number().nonnegative().optional().describe('A linear next scene is prefetched once this much of the scene remains, ms (default 10,000)'),
  })
  .strict();

export const contentSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('movie') }).strict(),
    seriesContentSchema,
    liveContentSchema,
    interactiveContentSchema,
  ])
  .describe('Content type: movie (one title, the default), series, live or interactive (issue 9)');

export type ContentSettings = z.output<typeof contentSchema>;
export type SeriesContent = z.output<typeof seriesContentSchema>;
export type LiveContent = z.output<typeof liveContentSchema>;
export type InteractiveContent = z.output<typeof interactiveContentSchema>;

/** Fields that name the title itself: a variant may not change them (every arm must play the same title). */
export const CONTENT_INPUT_FIELDS = ['type', 'catalog', 'name', 'episodes', 'graph', 'scenes'] as const;

/** The content settings of a variant: the scenario's section with the variant's overrides (not yet validated). */
export function mergedContentInput(base: Record<string, unknown>, over: Record<string, unknown> | undefined): Record<string, unknown> {
  if (over === undefined) return base;
  const out: Record<string, unknown> = { ...base, ...over };
  // The choice model merges field by field, like the player settings.
  if (isRecord(base['choice']) && isRecord(over['choice'])) out['choice'] = { ...base['choice'], ...over['choice'] };
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parts of a scenario the content checks read (structural: the scenario schema calls them). */
export interface ContentScenario {
  content?: ContentSettings | undefined;
  video?: string | undefined;
  videos?: unknown;
  behaviour?: { seeks: { meanCount: number }; earlyExit: { probability: number }; scrubbing?: unknown } | undefined;
  cdns: unknown[] | 'reference';
  faults: unknown[];
  cdnSharing?: unknown;
  startupFlow?: unknown;
  degradation?: unknown;
  devices?: { slow: boolean; lowMemory: boolean; highLatency: boolean }[] | undefined;
  output: { telemetry: boolean };
  variants?: { codec?: unknown; segmentDurationMs?: unknown; startupFlow?: unknown; content?: Record<string, unknown> | undefined }[] | undefined;
}

/**
 * Scenario features that only the plain movie path offers yet; the superRefine of the scenario names the field
 * when a non-movie scenario uses one (rather than ignoring it silently).
 */
export function unsupportedForContent(s: ContentScenario): { path: (string | number)[]; what: string }[] {
  const out: { path: (string | number)[]; what: string }[] = [];
  if (s.videos !== undefined) out.push({ path: ['videos'], what: 'several videos' });
  if ((s.behaviour?.seeks.meanCount ?? 0) > 0) out.push({ path: ['behaviour', 'seeks'], what: 'seeks' });
  if ((s.behaviour?.earlyExit.probability ?? 0) > 0) out.push({ path: ['behaviour', 'earlyExit'], what: 'early exits' });
  if (s.behaviour?.scrubbing !== undefined) out.push({ path: ['behaviour', 'scrubbing'], what: 'scrubbing' });
  if (s.cdns === 'reference' || s.cdns.length > 0) out.push({ path: ['cdns'], what: 'CDNs' });
  if (s.faults.length > 0) out.push({ path: ['faults'], what: 'faults' });
  if (s.cdnSharing !== undefined) out.push({ path: ['cdnSharing'], what: 'edge sharing' });
  if (s.startupFlow !== undefined) out.push({ path: ['startupFlow'], what: 'the startup flow' });
  if (s.degradation !== undefined) out.push({ path: ['degradation'], what: 'degradation' });
  if (s.output.telemetry) out.push({ path: ['output', 'telemetry'], what: 'telemetry' });
  s.devices?.forEach((d, i) => {
    if (d.slow || d.lowMemory || d.highLatency) out.push({ path: ['devices', i], what: 'device degradations (slow, lowMemory, highLatency)' });
  });
  s.variants?.forEach((v, i) => {
    for (const k of ['codec', 'segmentDurationMs', 'startupFlow'] as const) {
      if (v[k] !== undefined) out.push({ path: ['variants', i, k], what: `a variant's ${k}` });
    }
  });
  return out;
}

/** A series, live or interactive scenario: its title inputs, the features it cannot use yet, its variants' settings. */
export function checkContent(s: ContentScenario, ctx: z.RefinementCtx): void {
  const c = s.content;
  if (c === undefined || c.type === 'movie') return;
  for (const u of unsupportedForContent(s)) {
    ctx.addIssue({ code: 'custom', path: u.path, message: `${u.what}: not offered for content type ${c.type} yet (remove it, or use type movie)` });
  }
  if (c.type === 'series') {
    if (s.video !== undefined) ctx.addIssue({ code: 'custom', path: ['video'], message: 'a series plays its episodes: remove video (give content.catalog or content.episodes)' });
    if ((c.catalog === undefined) === (c.episodes === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['content', 'catalog'], message: 'give content.catalog (a series file) or content.episodes, one of them' });
    }
  } else if (c.type === 'live') {
    if (s.video === undefined) ctx.addIssue({ code: 'custom', path: ['video'], message: 'a live scenario needs video: the catalog whose ladder the event is encoded with' });
    checkLive(c, ['content'], ctx);
  } else if (s.video === undefined && c.scenes === undefined) {
    ctx.addIssue({ code: 'custom', path: ['video'], message: 'an interactive scenario needs video (the ladder of its scenes) or content.scenes' });
  }
  const base = { ...c } as Record<string, unknown>;
  (s.variants ?? []).forEach((v, i) => {
    if (v.content === undefined) return;
    for (const k of CONTENT_INPUT_FIELDS) {
      if (k in v.content) ctx.addIssue({ code: 'custom', path: ['variants', i, 'content', k], message: `a variant changes settings, not the title: remove ${k}` });
    }
    const parsed = contentSchema.safeParse(mergedContentInput(base, v.content));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['variants', i, 'content', ...(issue.path as (string | number)[])], message: issue.message });
    } else if (parsed.data.type === 'live') {
      checkLive(parsed.data, ['variants', i, 'content'], ctx);
    }
  });
}

function checkLive(c: { joinMinMs: number; joinMaxMs?: number | undefined; minBufferMs: number; maxBufferMs: number }, at: (string | number)[], ctx: z.RefinementCtx): void {
  if (c.maxBufferMs < c.minBufferMs) ctx.addIssue({ code: 'custom', path: [...at, 'maxBufferMs'], message: 'maxBufferMs must be >= minBufferMs' });
  if (c.joinMaxMs !== undefined && c.joinMaxMs < c.joinMinMs) ctx.addIssue({ code: 'custom', path: [...at, 'joinMaxMs'], message: 'joinMaxMs must be >= joinMinMs' });
}
