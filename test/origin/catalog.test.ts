import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { parseCatalog, type CatalogInput } from '../../src/origin/catalog.js';

const rep = (id: string, bitrateKbps: number, extra: Record<string, unknown> = {}) => ({
  id,
  bitrateKbps,
  width: 640,
  height: 360,
  ...extra,
});

/** Runs `fn`, expecting an InputError, and returns it. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseCatalog: validation errors name the field path', () => {
  it('a bad bitrate in the second representation', () => {
    const err = inputError(() =>
      parseCatalog({ segmentDurationMs: 4000, segmentCount: 3, representations: [rep('a', 300), rep('b', -5)] }, 'videos/v.json'),
    );
    expect(err.field).toBe('representations[1].bitrateKbps');
    expect(err.file).toBe('videos/v.json');
    expect(err.message).toMatch(/^videos\/v\.json, field "representations\[1\]\.bitrateKbps": /);
  });

  it('a wrong type at the top level and deep in a size list', () => {
    expect(inputError(() => parseCatalog({ segmentDurationMs: 'four', segmentCount: 3, representations: [rep('a', 1)] })).field).toBe(
      'segmentDurationMs',
    );
    const deep = inputError(() =>
      parseCatalog({ segmentDurationMs: 4000, representations: [rep('a', 1, { segmentSizesBytes: [10, 2.5] })] }),
    );
    expect(deep.field).toBe('representations[0].segmentSizesBytes[1]');
  });

  it('an empty ladder, a missing length and a duplicate id', () => {
    expect(inputError(() => parseCatalog({ segmentDurationMs: 4000, segmentCount: 1, representations: [] })).field).toBe(
      'representations',
    );
    const noLength = inputError(() => parseCatalog({ segmentDurationMs: 4000, representations: [rep('a', 1)] }));
    expect(noLength.field).toBe('durationMs');
    expect(noLength.message).toMatch(/durationMs or segmentCount/);
    const dup = inputError(() =>
      parseCatalog({ segmentDurationMs: 4000, segmentCount: 1, representations: [rep('a', 1), rep('a', 2)] }),
    );
    expect(dup.field).toBe('representations[1].id');
  });

  it('a duration that does not fit the segment count', () => {
    // 2 segments of 4000 ms hold at most 8000 ms, not 10,000.
    const err = inputError(() =>
      parseCatalog({ segmentDurationMs: 4000, segmentCount: 2, durationMs: 10_000, representations: [rep('a', 1)] }),
    );
    expect(err.field).toBe('durationMs');
  });

  it('a VBR size list of the wrong length names its representation (input order)', () => {
    // Input index 1 holds the 2-entry list; it sorts first by bitrate, but the error must point at the input.
    const err = inputError(() =>
      parseCatalog({
        segmentDurationMs: 4000,
        segmentCount: 3,
        representations: [rep('hi', 3000), rep('lo', 500, { segmentSizesBytes: [1, 2] })],
      }),
    );
    expect(err.field).toBe('representations[1].segmentSizesBytes');
    expect(err.message).toMatch(/has 2 sizes, expected 3/);
  });
});

describe('parseCatalog: ladder and sizes', () => {
  it('sorts the ladder by ascending bitrate, sizes following their representation', () => {
    const c = parseCatalog({
      segmentDurationMs: 2000,
      representations: [
        rep('mid', 1200, { segmentSizesBytes: [12, 13] }),
        rep('top', 3000, { segmentSizesBytes: [30, 31] }),
        rep('low', 500, { segmentSizesBytes: [5, 6] }),
      ],
    });
    expect(c.representations.map((r) => r.id)).toEqual(['low', 'mid', 'top']);
    expect(c.representations.map((r) => r.bitrateKbps)).toEqual([500, 1200, 3000]);
    expect(c.sizesBytes.map((s) => Array.from(s))).toEqual([
      [5, 6],
      [12, 13],
      [30, 31],
    ]);
    // The count comes from the VBR lists: 2 segments × 2000 ms.
    expect(c.segmentCount).toBe(2);
    expect(c.durationMs).toBe(4000);
    expect(c.representations[0]!.codecs).toBe('avc1.640028');
  });

  it('without variation, sizes are the nominal bitrate × duration, the last segment shorter', () => {
    // 10,000 ms in 4000 ms segments: 3 segments, the last 2000 ms.
    // 1000 kbps × 4000 ms = 4,000,000 bits = 500,000 B; the last: 2,000,000 bits = 250,000 B.
    const c = parseCatalog({ segmentDurationMs: 4000, durationMs: 10_000, sizeVariation: 0, representations: [rep('a', 1000)] });
    expect(c.segmentCount).toBe(3);
    expect(Array.from(c.sizesBytes[0]!)).toEqual([500_000, 500_000, 250_000]);
    expect(c.segmentDurationAt(0)).toBe(4000);
    expect(c.segmentDurationAt(2)).toBe(2000);
  });

  const varied = (seed: number | string): CatalogInput => ({
    segmentDurationMs: 4000,
    segmentCount: 2000,
    sizeVariation: 0.1,
    seed,
    representations: [rep('a', 1000), rep('b', 3000)],
  });

  it('the seeded size variation is deterministic for a seed and changes with it', () => {
    const a = parseCatalog(varied(7));
    const b = parseCatalog(varied(7));
    const c = parseCatalog(varied(8));
    expect(Array.from(a.sizesBytes[0]!)).toEqual(Array.from(b.sizesBytes[0]!));
    expect(Array.from(a.sizesBytes[1]!)).toEqual(Array.from(b.sizesBytes[1]!));
    expect(Array.from(a.sizesBytes[0]!)).not.toEqual(Array.from(c.sizesBytes[0]!));
  });

  it('each size stays within the variation bound, and the mean is the nominal size', () => {
    const c = parseCatalog(varied(42));
    for (const [ri, kbps] of [
      [0, 1000],
      [1, 3000],
    ] as const) {
      // Nominal: kbps × 4000 ms / 8 = 500,000 B at 1000 kbps, 1,500,000 B at 3000 kbps.
      const nominal = (kbps * 4000) / 8;
      const sizes = Array.from(c.sizesBytes[ri]!);
      // Factor in [0.9, 1.1], then rounded to whole bytes (±0.5).
      for (const s of sizes) {
        expect(s).toBeGreaterThanOrEqual(0.9 * nominal - 0.5);
        expect(s).toBeLessThanOrEqual(1.1 * nominal + 0.5);
        expect(Number.isInteger(s)).toBe(true);
      }
      // A uniform factor on [0.9, 1.1] has sd 0.2/√12 = 0.0577; the mean of 2000 has sd 0.0577/√2000 = 0.00129.
      // Five of those: the mean is within 0.65 % of nominal (a false failure has odds under 1e-6).
      const mean = sizes.reduce((x, y) => x + y, 0) / sizes.length;
      expect(Math.abs(mean / nominal - 1)).toBeLessThan(5 * (0.2 / Math.sqrt(12) / Math.sqrt(2000)));
    }
  });

  it('one factor per segment is shared by all rungs (complex scenes are big at every bitrate)', () => {
    const c = parseCatalog(varied(3));
    const lo = c.sizesBytes[0]!;
    const hi = c.sizesBytes[1]!;
    // Same factor f: hi / lo = (1,500,000 f) / (500,000 f) = 3, up to the rounding of each (±0.5 B). With f >= 0.9
    // the relative rounding errors are at most 0.5 / 1,350,000 and 0.5 / 450,000, so |hi/lo - 3| <= 3 × (sum).
    const bound = 3 * (0.5 / 1_350_000 + 0.5 / 450_000);
    for (let i = 0; i < c.segmentCount; i++) {
      expect(Math.abs((hi[i] as number) / (lo[i] as number) - 3)).toBeLessThanOrEqual(bound);
    }
  });
});
