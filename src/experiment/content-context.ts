/**
 * Loading a series, live or interactive scenario's title (issue 9), once per thread like the rest of the run
 * context: the episodes' catalogs, the live event's ladder re-cut into live segments, the scene graph and the
 * scenes' videos, and each variant's content settings (the scenario's section with the variant's overrides).
 * Every problem is an InputError naming the file and field, raised here rather than in a worker mid-sweep.
 */
import { createHash } from 'node:crypto';
import { availableAtMs, liveSchema, type LiveConfig } from '../content/live-edge.js';
import { parseSceneGraph, type SceneGraph } from '../content/interactive/scene-graph.js';
import { seriesSchema } from '../content/series.js';
import { InputError } from '../core/errors.js';
import { catalogSchema, parseCatalog, type Catalog } from '../origin/catalog.js';
import { loadCatalogFile, readJsonFile } from '../origin/load-catalog.js';
import { loadLiveCatalog, loadSeriesFile } from '../sim/content/from-files.js';
import type { InteractiveOptions } from '../sim/content/interactive-session.js';
import { contentSchema, mergedContentInput, type InteractiveContent, type LiveContent, type SeriesContent } from './content-schema.js';
import type { LoadedScenario } from './scenario.js';

/** The series settings a scenario (or variant) may override over the series file. */
const SERIES_OVERRIDES = ['prefetchAtCompletion', 'prefetchSegments', 'autoplayCountdownMs', 'continueProbability', 'cancelAutoplayProbability', 'targetTransitionGapMs'] as const;

export interface SeriesSetup {
  type: 'series';
  /** Name recorded as each row's video. */
  title: string;
  catalogs: Catalog[];
  /** Per variant arm: the series object the driver takes and the prefetch settings. */
  arms: { series: Record<string, unknown>; settings: SeriesContent }[];
  /** What the results depend on beyond the catalogs (for the run fingerprint). */
  fingerprintText: string;
}

export interface LiveSetup {
  type: 'live';
  title: string;
  arms: { live: LiveConfig; settings: LiveContent; catalog: Catalog }[];
}

export interface InteractiveSetup {
  type: 'interactive';
  title: string;
  graph: SceneGraph;
  sceneCatalogs: Record<string, Catalog>;
  ladder?: NonNullable<InteractiveOptions['ladder']>;
  arms: InteractiveContent[];
}

export type ContentSetup = SeriesSetup | LiveSetup | InteractiveSetup;

/** The content of a scenario, or undefined for the plain movie path. */
export async function prepareContent(loaded: LoadedScenario): Promise<ContentSetup | undefined> {
  const { scenario } = loaded;
  const c = scenario.content;
  if (c === undefined || c.type === 'movie') return undefined;
  // One settings object per variant arm (the runner's variant order; one arm without variants).
  const variants = scenario.variants ?? [];
  const settings = (variants.length === 0 ? [undefined] : variants.map((v) => v.content)).map((over) => contentSchema.parse(mergedContentInput({ ...c }, over)));
  if (c.type === 'series') return prepareSeries(loaded, c, settings as SeriesContent[]);
  if (c.type === 'live') return prepareLive(loaded, settings as LiveContent[]);
  return prepareInteractive(loaded, c, settings as InteractiveContent[]);
}

async function prepareSeries(loaded: LoadedScenario, c: SeriesContent, settings: SeriesContent[]): Promise<SeriesSetup> {
  let json: Record<string, unknown>;
  let catalogs: Catalog[];
  let file = loaded.file;
  if (c.catalog !== undefined) {
    file = loaded.resolvePath(c.catalog);
    const found = await loadSeriesFile(file);
    json = found.series as Record<string, unknown>;
    catalogs = found.catalogs;
  } else {
    const episodes = c.episodes ?? [];
    catalogs = await Promise.all(episodes.map((e) => loadCatalogFile(loaded.resolvePath(e.video))));
    json = { series: loaded.scenario.name, episodes };
  }
  const title = c.name ?? (typeof json['series'] === 'string' ? json['series'] : loaded.scenario.name);
  const arms = settings.map((s, a) => {
    const series: Record<string, unknown> = { ...json, series: title };
    for (const k of SERIES_OVERRIDES) if (s[k] !== undefined) series[k] = s[k];
    const parsed = seriesSchema.safeParse(series);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const over = issue !== undefined && SERIES_OVERRIDES.some((k) => k === issue.path[0]) && s[issue.path[0] as (typeof SERIES_OVERRIDES)[number]] !== undefined;
      const field = issue?.path.map(String).join('.') ?? '';
      throw new InputError(issue?.message ?? 'invalid series', over ? { file: loaded.file, field: armField(loaded, a, field) } : { file, field });
    }
    return { series, settings: s };
  });
  return { type: 'series', title, catalogs, arms, fingerprintText: JSON.stringify(arms.map((x) => x.series)) };
}

async function prepareLive(loaded: LoadedScenario, settings: LiveContent[]): Promise<LiveSetup> {
  const video = loaded.resolvePath(loaded.scenario.video as string);
  const cache = new Map<string, Promise<Catalog>>();
  const arms = await Promise.all(
    settings.map(async (s, a) => {
      const key = `${s.segmentDurationMs}/${s.eventMs ?? ''}`;
      let catalog = cache.get(key);
      if (catalog === undefined) {
        catalog = loadLiveCatalog(video, { segmentMs: s.segmentDurationMs, ...(s.eventMs === undefined ? {} : { eventMs: s.eventMs }) });
        cache.set(key, catalog);
      }
      const live = liveSchema.parse(Object.fromEntries(Object.keys(liveSchema.shape).map((k) => [k, s[k as keyof LiveConfig]])));
      const cat = await catalog;
      const lastMs = availableAtMs(cat.segmentCount - 1, live);
      const latest = s.joinMaxMs ?? s.joinMinMs;
      if (latest >= lastMs) {
        throw new InputError(`users would join at ${latest} ms, at or after the event's last segment (published at ${lastMs} ms); join earlier or make the event longer`, {
          file: loaded.file,
          field: armField(loaded, a, s.joinMaxMs === undefined ? 'joinMinMs' : 'joinMaxMs'),
        });
      }
      return { live, settings: s, catalog: cat };
    }),
  );
  return { type: 'live', title: arms[0]?.catalog.name ?? '', arms };
}

async function prepareInteractive(loaded: LoadedScenario, c: InteractiveContent, settings: InteractiveContent[]): Promise<InteractiveSetup> {
  const graphFile = loaded.resolvePath(c.graph);
  const graph = parseSceneGraph(await readJsonFile(graphFile, 'scene graph'), graphFile);
  const ids = new Set(graph.scenes.map((s) => s.scene_id));
  const sceneCatalogs: Record<string, Catalog> = {};
  for (const [id, path] of Object.entries(c.scenes ?? {})) {
    if (!ids.has(id)) throw new InputError(`unknown scene "${id}"; scenes of ${c.graph}: ${[...ids].join(', ')}`, { file: loaded.file, field: `content.scenes.${id}` });
    sceneCatalogs[id] = await loadCatalogFile(loaded.resolvePath(path));
  }
  let ladder: InteractiveSetup['ladder'];
  if (loaded.scenario.video !== undefined) {
    const file = loaded.resolvePath(loaded.scenario.video);
    const json = await readJsonFile(file, 'video catalog');
    const parsed = catalogSchema.safeParse(json);
    if (!parsed.success) parseCatalog(json, file);
    const cat = parsed.data as NonNullable<typeof parsed.data>;
    // Each scene is cut from this ladder at its own length: per-segment sizes of one title cannot be re-cut.
    const representations = cat.representations.map(({ segmentSizesBytes: _s, ...r }) => {
      void _s;
      return r;
    });
    ladder = { segmentDurationMs: cat.segmentDurationMs, representations, sizeVariation: cat.sizeVariation };
  } else {
    const missing = [...ids].filter((id) => sceneCatalogs[id] === undefined);
    if (missing.length > 0) throw new InputError(`scenes ${missing.join(', ')} have no video; give them one, or give video (the ladder of every scene)`, { file: loaded.file, field: 'content.scenes' });
  }
  return { type: 'interactive', title: graph.content_id, graph, sceneCatalogs, ...(ladder === undefined ? {} : { ladder }), arms: settings };
}

/** The titles of a content setup (for the fingerprint). */
export function contentCatalogs(setup: ContentSetup): Catalog[] {
  if (setup.type === 'series') return setup.catalogs;
  if (setup.type === 'live') return setup.arms.map((a) => a.catalog);
  return Object.values(setup.sceneCatalogs);
}

/** Adds what a content setup's results depend on, beyond its catalogs, to a run fingerprint. */
export function hashContent(h: ReturnType<typeof createHash>, setup: ContentSetup): void {
  if (setup.type === 'series') h.update(`\0series:${setup.fingerprintText}`);
  if (setup.type === 'interactive') h.update(`\0graph:${JSON.stringify(setup.graph)}:${JSON.stringify(setup.ladder ?? null)}`);
}

/**
 * The title the plan names the sessions by: the plan reads only a title's name and duration (for user draws),
 * so a series is planned as its first episode under the series' name, an interactive title as its first scene.
 */
export function plannedTitle(setup: ContentSetup): Catalog | undefined {
  if (setup.type === 'live') return setup.arms[0]?.catalog;
  const first = setup.type === 'series' ? setup.catalogs[0] : (Object.values(setup.sceneCatalogs)[0] ?? ladderTitle(setup));
  return first === undefined ? undefined : { ...first, name: setup.title };
}

function ladderTitle(setup: InteractiveSetup): Catalog | undefined {
  const scene = setup.graph.scenes.find((s) => s.scene_id === setup.graph.initial_scene);
  if (setup.ladder === undefined || scene === undefined) return undefined;
  return parseCatalog({ name: setup.title, segmentDurationMs: setup.ladder.segmentDurationMs, durationMs: scene.duration * 1000, representations: setup.ladder.representations });
}

function armField(loaded: LoadedScenario, arm: number, field: string): string {
  const v = loaded.scenario.variants?.[arm];
  return v?.content !== undefined && field in v.content ? `variants[${arm}].content.${field}` : `content.${field}`;
}

