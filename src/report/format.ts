/** Number formatting for the report. No locale: the same results give a byte-identical report everywhere. */

/** Fixed-point text; NaN and ±Infinity print as "n/a", and a negative zero prints without its sign. */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}
