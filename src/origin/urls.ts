/**
 * URLs of simulated segments. The simulated origin parses them back; live mode uses the manifest's URLs instead.
 * Kept trivially parseable because the simulator builds and parses one per request.
 */
export function simSegmentUrl(repIndex: number, segmentIndex: number): string {
  return `seg/${repIndex}/${segmentIndex}`;
}

/** Parses a `simSegmentUrl`; undefined for anything else. */
export function parseSimSegmentUrl(url: string): { repIndex: number; segmentIndex: number } | undefined {
  if (!url.startsWith('seg/')) return undefined;
  const slash = url.indexOf('/', 4);
  if (slash < 0) return undefined;
  const repIndex = Number(url.slice(4, slash));
  const segmentIndex = Number(url.slice(slash + 1));
  if (!Number.isInteger(repIndex) || !Number.isInteger(segmentIndex) || repIndex < 0 || segmentIndex < 0) return undefined;
  return { repIndex, segmentIndex };
}
