import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { nominalSegmentBytes } from '../core/units.js';

/** One rung of the bitrate ladder. */
export const representationSchema = z.object({
  id: z.string().min(1).describe('Representation id, unique in the catalog'),
  bitrateKbps: z.number().positive().describe('Nominal (average) bitrate, kbps'),
  qualityKbps: z
    .number()
    .positive()
    .optional()
    .describe('H.264-equivalent bitrate of this rung, kbps: what QoE models score (default bitrateKbps; an AV1 rung of 1650 kbps looks like 3000)'),
  width: z.number().int().positive().describe('Frame width, px'),
  height: z.number().int().positive().describe('Frame height, px'),
  codecs: z.string().default('avc1.640028').describe('RFC 6381 codecs string'),
  /** Per-segment sizes in bytes (VBR); when absent sizes follow the nominal bitrate with a seeded variation. */
  segmentSizesBytes: z.array(z.number().int().nonnegative()).optional().describe('Per-segment sizes, bytes (VBR)'),
});

export const catalogSchema = z
  .object({
    name: z.string().default('video').describe('Title name'),
    segmentDurationMs: z.number().positive().describe('Duration of every segment, ms'),
    durationMs: z.number().positive().optional().describe('Title duration, ms (default: from segment count)'),
    segmentCount: z.number().int().positive().optional().describe('Number of segments'),
    /** Relative spread of sizes around the nominal bitrate when no per-segment sizes are given. */
    sizeVariation: z.number().min(0).max(0.9).default(0.1).describe('Relative size spread without VBR sizes'),
    seed: z.union([z.number(), z.string()]).default(1).describe('Seed of the size variation'),
    representations: z.array(representationSchema).min(1).describe('Bitrate ladder, any order'),
  })
  .superRefine((c, ctx) => {
    if (c.durationMs === undefined && c.segmentCount === undefined) {
      const vbr = c.representations.find((r) => r.segmentSizesBytes !== undefined);
      if (vbr === undefined) {
        ctx.addIssue({ code: 'custom', message: 'give durationMs or segmentCount (or per-segment sizes)', path: ['durationMs'] });
      }
    }
    const ids = new Set<string>();
    c.representations.forEach((r, i) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', message: `duplicate id "${r.id}"`, path: ['representations', i, 'id'] });
      ids.add(r.id);
    });
  });

export type CatalogInput = z.input<typeof catalogSchema>;

export interface Representation {
  readonly id: string;
  readonly bitrateKbps: number;
  /** H.264-equivalent bitrate scored by QoE models, when it differs from bitrateKbps (other codecs), kbps. */
  readonly qualityKbps?: number;
  readonly width: number;
  readonly height: number;
  readonly codecs: string;
}

/**
 * A title as the player sees it: a ladder sorted by ascending bitrate, a segment count and the size of every
 * segment. Sizes are materialised once (a typed array per rung) so lookups on the hot path are O(1).
 */
export interface Catalog {
  readonly name: string;
  readonly segmentDurationMs: number;
  readonly segmentCount: number;
  /** Sorted by ascending bitrate; the index into this array is the "quality" everywhere. */
  readonly representations: readonly Representation[];
  /** sizesBytes[rep][segment]. */
  readonly sizesBytes: readonly Float64Array[];
  /** Duration of segment `index`, ms (the last may be shorter). */
  segmentDurationAt(index: number): number;
  /** Total duration of the title, ms. */
  readonly durationMs: number;
}

/** Validates and builds a catalog; `source` names the file for errors. */
export function parseCatalog(json: unknown, source = 'catalog'): Catalog {
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new InputError(issue?.message ?? 'invalid catalog', { file: source, ...(path ? { field: path } : {}) });
  }
  return buildCatalog(parsed.data, source);
}

function buildCatalog(c: z.output<typeof catalogSchema>, source: string): Catalog {
  const reps = [...c.representations].sort((a, b) => a.bitrateKbps - b.bitrateKbps);
  const vbrCount = reps.find((r) => r.segmentSizesBytes !== undefined)?.segmentSizesBytes?.length;
  const segmentCount =
    c.segmentCount ?? vbrCount ?? Math.ceil((c.durationMs as number) / c.segmentDurationMs);
  const durationMs = c.durationMs ?? segmentCount * c.segmentDurationMs;
  const lastDurationMs = durationMs - (segmentCount - 1) * c.segmentDurationMs;
  if (!(lastDurationMs > 0) || lastDurationMs > c.segmentDurationMs + 1e-9) {
    throw new InputError(`durationMs ${durationMs} does not fit ${segmentCount} segments of ${c.segmentDurationMs} ms`, {
      file: source,
      field: 'durationMs',
    });
  }
  const rng = createRng(c.seed).derive(`catalog:${c.name}`);
  // One variation factor per segment, shared by all rungs: complex scenes are big at every bitrate.
  const factor = new Float64Array(segmentCount);
  for (let i = 0; i < segmentCount; i++) factor[i] = 1 + c.sizeVariation * (2 * rng.next() - 1);

  const sizesBytes = reps.map((r, ri) => {
    if (r.segmentSizesBytes !== undefined) {
      if (r.segmentSizesBytes.length !== segmentCount) {
        const at = c.representations.indexOf(r);
        throw new InputError(`has ${r.segmentSizesBytes.length} sizes, expected ${segmentCount}`, {
          file: source,
          field: `representations[${at}].segmentSizesBytes`,
        });
      }
      return Float64Array.from(r.segmentSizesBytes);
    }
    const sizes = new Float64Array(segmentCount);
    for (let i = 0; i < segmentCount; i++) {
      const d = i === segmentCount - 1 ? lastDurationMs : c.segmentDurationMs;
      sizes[i] = Math.max(1, Math.round(nominalSegmentBytes(reps[ri]!.bitrateKbps, d) * (factor[i] as number)));
    }
    return sizes;
  });

  return {
    name: c.name,
    segmentDurationMs: c.segmentDurationMs,
    segmentCount,
    durationMs,
    representations: reps.map(({ id, bitrateKbps, qualityKbps, width, height, codecs }) => ({ id, bitrateKbps, width, height, codecs, ...(qualityKbps === undefined ? {} : { qualityKbps }) })),
    sizesBytes,
    segmentDurationAt: (index: number) => (index === segmentCount - 1 ? lastDurationMs : c.segmentDurationMs),
  };
}
