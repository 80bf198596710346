/**
 * Holm–Bonferroni adjusted p-values (S. Holm, "A simple sequentially rejective multiple test procedure",
 * Scand. J. Statist. 6, 1979), as R's `p.adjust(p, "holm")`: sort ascending, multiply the i-th smallest (1-based)
 * by m − i + 1, carry the running maximum so the order is kept, cap at 1. Rejecting where the adjusted p < α
 * controls the family-wise error rate at α, with no assumption on how the tests depend on each other (the
 * metrics of one session are strongly correlated, so Šidák-style procedures that assume independence do not apply).
 * NaN p-values are left NaN and do not count in m (R's `n = sum(!is.na(p))`).
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i] as number));
  idx.sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const m = idx.length;
  const out = pValues.map(() => Number.NaN);
  let running = 0;
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[i] as number)));
    out[i] = running;
  });
  return out;
}
