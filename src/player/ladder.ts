/** Rung choices from the ladder alone, shared by the player, its content drivers and the startup rules. */
import type { Catalog } from '../origin/catalog.js';

/** Highest rung the device may play under a frame-height cap (reference: slow device → 1080p). */
export function deviceMaxIndex(catalog: Catalog, maxHeightPx: number | undefined): number {
  const reps = catalog.representations;
  if (maxHeightPx === undefined) return reps.length - 1;
  let best = 0;
  reps.forEach((r, i) => {
    if (r.height <= maxHeightPx) best = i;
  });
  return best;
}

/** Highest rung at or below `kbps`, or the lowest if none fits. */
export function highestAtOrBelow(catalog: Catalog, kbps: number): number {
  let best = 0;
  catalog.representations.forEach((r, i) => {
    if (r.bitrateKbps <= kbps) best = i;
  });
  return best;
}
