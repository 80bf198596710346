/**
 * Loading the content drivers' inputs from files, for the CLI (`abrlab sim-content`): a live event from a VOD
 * catalog's ladder, a series file with its episodes' catalogs, a scene graph with a ladder. I/O stays here; the
 * drivers themselves take objects.
 */
import { dirname, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { EpisodeEnd } from '../../content/series.js';
import { catalogSchema, parseCatalog, type Catalog } from '../../origin/catalog.js';
import { loadCatalogFile, readJsonFile } from '../../origin/load-catalog.js';


/**
 * A live event's catalog from a VOD catalog file: the same ladder, re-cut into live segments of `segmentMs` and
 * lasting `eventMs` (default: the catalog's duration). Per-segment sizes cannot be re-cut and are refused.
 */
export async function loadLiveCatalog(path: string, p: { segmentMs: number; eventMs?: number }): Promise<Catalog> {
  const json = await readJsonFile(path, 'video catalog');
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success) return parseCatalog(json, path);
  const c = parsed.data;
  if (c.representations.some((r) => r.segmentSizesBytes !== undefined)) {
    throw new InputError('per-segment sizes cannot be re-cut into live segments; give a ladder without segmentSizesBytes', { file: path, field: 'representations' });
  }
  const durationMs = p.eventMs ?? c.durationMs ?? (c.segmentCount as number) * c.segmentDurationMs;
  const { segmentCount: _count, ...rest } = c;
  void _count;
  return parseCatalog({ ...rest, segmentDurationMs: p.segmentMs, durationMs }, path);
}

/** A series file (src/content/series.ts) and one catalog per episode (a path relative to it, or inline). */
export async function loadSeriesFile(path: string): Promise<{ series: unknown; catalogs: Catalog[] }> {
  const json = await readJsonFile(path, 'series');
  const episodes = (json as { episodes?: unknown }).episodes;
  if (!Array.isArray(episodes)) throw new InputError('expected an "episodes" array', { file: path, field: 'episodes' });
  const catalogs = await Promise.all(
    episodes.map((e: unknown, i: number) => {
      const video = (e as { video?: unknown }).video;
      if (typeof video === 'string') return loadCatalogFile(resolve(dirname(path), video));
      if (video !== null && typeof video === 'object') return Promise.resolve(parseCatalog(video, `${path} episodes[${i}].video`));
      throw new InputError('needs a video: a catalog path or an inline catalog', { file: path, field: `episodes[${i}].video` });
    }),
  );
  return { series: json, catalogs };
}

/** A scene-graph file and the ladder (segment duration and representations) of a catalog file. */
export async function loadInteractiveFiles(graphPath: string, ladderPath: string): Promise<{ graph: unknown; ladder: { segmentDurationMs: number; representations: Catalog['representations'][number][]; sizeVariation: number } }> {
  const [graph, catalog] = await Promise.all([readJsonFile(graphPath, 'scene graph'), readJsonFile(ladderPath, 'video catalog')]);
  const parsed = catalogSchema.safeParse(catalog);
  if (!parsed.success) parseCatalog(catalog, ladderPath);
  const c = parsed.data as NonNullable<typeof parsed.data>;
  const representations = c.representations.map(({ segmentSizesBytes: _s, qualityKbps, ...r }) => {
    void _s;
    return qualityKbps === undefined ? r : { ...r, qualityKbps };
  });
  return { graph, ladder: { segmentDurationMs: c.segmentDurationMs, representations, sizeVariation: c.sizeVariation } };
}

/**
 * The `--ends` flag: what the viewer does after each episode, comma-separated: `autoplay`, `manual:<s>` (click
 * "next" that many seconds into the countdown) or `stop`.
 */
export function parseEndsFlag(text: string): EpisodeEnd[] {
  return text.split(',').map((raw, i) => {
    const s = raw.trim();
    if (s === 'autoplay') return { kind: 'autoplay' };
    if (s === 'stop') return { kind: 'stop' };
    const m = /^manual:(\d+(?:\.\d+)?)$/.exec(s);
    if (m) return { kind: 'manual-next', afterMs: Number(m[1]) * 1000 };
    throw new InputError(`"${s}" is not autoplay, manual:<seconds> or stop`, { field: `--ends[${i}]` });
  });
}
