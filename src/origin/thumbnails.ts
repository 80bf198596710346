/**
 * Trick-play sprite sheets in the simulator (reference streaming-architecture.md §2.5.2): a decorator origin that
 * answers `thumbs/sprite_NN.jpg` itself and passes every other URL to the origin it wraps, so the segment path
 * of `SingleOrigin` (and its hot path) stays as it is.
 *
 * Sheet sizes: the reference quotes "~150–250 KB" per 1600×900 sheet at JPEG quality 85. Each sheet's size is
 * drawn once, uniformly in that range (KB = 1000 B), per title (`titleSpriteSizes`), so every session and every
 * arm of an A/B meets the same sheets.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { createRng, type Rng } from '../core/rng.js';
import type { TransportRequest } from '../player/transport.js';
import type { Origin, OriginResponse } from './origin.js';

/** URL prefix of the simulated sprite sheets (the player's ThumbnailLoader `baseUrl`). */
export const SIM_THUMBS_PREFIX = 'thumbs/';

export const spriteSizesSchema = z
  .object({
    minBytes: z.number().int().positive().default(150_000).describe('Smallest sprite sheet, bytes (reference: ~150 KB)'),
    maxBytes: z.number().int().positive().default(250_000).describe('Largest sprite sheet, bytes (reference: ~250 KB)'),
  })
  .strict()
  .refine((s) => s.minBytes <= s.maxBytes, { message: 'minBytes must not exceed maxBytes', path: ['minBytes'] });

export type SpriteSizesInput = z.input<typeof spriteSizesSchema>;

/** Sizes of `sheets` sprite sheets, each uniform in [minBytes, maxBytes], drawn in sheet order from `rng`. */
export function drawSpriteSizes(p: { sheets: number; rng: Rng; sizes?: SpriteSizesInput }): number[] {
  const { minBytes, maxBytes } = spriteSizesSchema.parse(p.sizes ?? {});
  return Array.from({ length: p.sheets }, () => minBytes + p.rng.int(maxBytes - minBytes + 1));
}

/**
 * Sprite-sheet sizes of a title: a property of the title, not of the viewer, so drawn from the title's name
 * (`thumbs:<name>`) — the simulator and `abrlab serve`'s synthetic content then agree sheet by sheet.
 */
export function titleSpriteSizes(p: { name: string; sheets: number; sizes?: SpriteSizesInput }): number[] {
  return drawSpriteSizes({ sheets: p.sheets, rng: createRng(`thumbs:${p.name}`), ...(p.sizes === undefined ? {} : { sizes: p.sizes }) });
}

/** `thumbs/sprite_07.jpg` → 7; undefined for anything else. */
export function parseSpriteUrl(url: string): number | undefined {
  if (!url.startsWith(SIM_THUMBS_PREFIX)) return undefined;
  const m = /^sprite_(\d+)\.jpg$/.exec(url.slice(SIM_THUMBS_PREFIX.length));
  return m === null ? undefined : Number(m[1]);
}

export interface ThumbnailOriginConfig {
  /** Answers everything that is not a sprite sheet (segments). */
  inner: Origin;
  /** Size of sheet k, bytes. */
  sheetBytes: readonly number[];
  /** Server delay before the first byte of a sheet, ms (default 0; a CDN in front adds its own). */
  latencyMs?: number;
}

export class ThumbnailOrigin implements Origin {
  private readonly latencyMs: number;

  constructor(private readonly config: ThumbnailOriginConfig) {
    this.latencyMs = config.latencyMs ?? 0;
    if (!(this.latencyMs >= 0) || !Number.isFinite(this.latencyMs)) {
      throw new InputError(`thumbnail origin latency must be finite and >= 0, got ${this.latencyMs} ms`, { field: 'latencyMs' });
    }
  }

  resolve(req: TransportRequest, nowMs: number): Readonly<OriginResponse> {
    if (!req.url.startsWith(SIM_THUMBS_PREFIX)) return this.config.inner.resolve(req, nowMs);
    const sheet = parseSpriteUrl(req.url);
    const size = sheet === undefined ? undefined : this.config.sheetBytes[sheet];
    if (size === undefined) return { ok: false, kind: 'http-404', latencyMs: this.latencyMs };
    const range = req.rangeBytes;
    if (range === undefined) return { ok: true, sizeBytes: size, latencyMs: this.latencyMs };
    if (!Number.isInteger(range.start) || !Number.isInteger(range.end) || range.start < 0 || range.end < range.start || range.start >= size) {
      return { ok: false, kind: 'http-416', latencyMs: this.latencyMs };
    }
    return { ok: true, sizeBytes: Math.min(range.end, size - 1) - range.start + 1, latencyMs: this.latencyMs };
  }
}
