/**
 * Thumbnail layout of the reference trick-play pipeline (streaming-architecture.md §2.5.1): one 320×180 thumbnail
 * every 10 s, 25 per 5×5 sprite sheet (1600×900), and the metadata JSON the client reads. Pure arithmetic shared
 * by the sprite, WebVTT and BIF writers, the simulator's scrubbing model and `abrlab serve`.
 */
import { z } from 'zod';

export const thumbnailLayoutSchema = z
  .object({
    intervalMs: z.number().positive().default(10_000).describe('One thumbnail every this much media time, ms (reference: 10 s)'),
    widthPx: z.number().int().positive().default(320).describe('Thumbnail width, px (reference: 320)'),
    heightPx: z.number().int().positive().default(180).describe('Thumbnail height, px (reference: 180)'),
    columns: z.number().int().positive().default(5).describe('Thumbnails per sprite row (reference: 5)'),
    rows: z.number().int().positive().default(5).describe('Rows per sprite sheet (reference: 5)'),
  })
  .strict();

export type ThumbnailLayout = z.output<typeof thumbnailLayoutSchema>;

export const REFERENCE_THUMBNAILS: ThumbnailLayout = thumbnailLayoutSchema.parse({});

/** Where thumbnail `index` is: its sheet, its pixel box in the sheet and the media time it stands for. */
export interface ThumbnailTile {
  index: number;
  sheet: number;
  x: number;
  y: number;
  w: number;
  h: number;
  startMs: number;
  endMs: number;
}

/** Thumbnails of a title: the reference takes `int(duration / interval)` frames, at 0, 10 s, 20 s, … */
export function thumbnailCount(durationMs: number, layout: ThumbnailLayout): number {
  return Math.floor(durationMs / layout.intervalMs);
}

export function perSheet(layout: ThumbnailLayout): number {
  return layout.columns * layout.rows;
}

export function sheetCount(durationMs: number, layout: ThumbnailLayout): number {
  return Math.ceil(thumbnailCount(durationMs, layout) / perSheet(layout));
}

export function tile(index: number, layout: ThumbnailLayout): ThumbnailTile {
  const n = perSheet(layout);
  const inSheet = index % n;
  return {
    index,
    sheet: Math.floor(index / n),
    x: (inSheet % layout.columns) * layout.widthPx,
    y: Math.floor(inSheet / layout.columns) * layout.heightPx,
    w: layout.widthPx,
    h: layout.heightPx,
    startMs: index * layout.intervalMs,
    endMs: (index + 1) * layout.intervalMs,
  };
}

/** The thumbnail shown for media time `mediaMs` (clamped to the title). */
export function thumbnailAt(mediaMs: number, durationMs: number, layout: ThumbnailLayout): number {
  const last = Math.max(0, thumbnailCount(durationMs, layout) - 1);
  return Math.min(last, Math.max(0, Math.floor(mediaMs / layout.intervalMs)));
}

/** The metadata JSON of §2.5.1 (`generate_thumbnail_metadata`), field names as the reference writes them. */
export function spriteMetadata(p: { contentId: string; durationMs: number; baseUrl: string; layout?: ThumbnailLayout }) {
  const layout = p.layout ?? REFERENCE_THUMBNAILS;
  return {
    content_id: p.contentId,
    thumbnail_interval: layout.intervalMs / 1000,
    thumbnail_width: layout.widthPx,
    thumbnail_height: layout.heightPx,
    sprite_columns: layout.columns,
    sprite_rows: layout.rows,
    total_thumbnails: thumbnailCount(p.durationMs, layout),
    total_sprites: sheetCount(p.durationMs, layout),
    thumbnails_per_sprite: perSheet(layout),
    base_url: p.baseUrl,
    format: 'sprite',
    version: 2,
  };
}

/** `sprite_00.jpg`, `sprite_01.jpg`, … as in the reference's storage layout. */
export function spriteFileName(sheet: number): string {
  return `sprite_${String(sheet).padStart(2, '0')}.jpg`;
}
