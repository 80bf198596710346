import { parseCatalog, type Catalog } from '../../src/origin/catalog.js';

/** A short title: 4 segments (1 s by default) on a two-rung ladder (sizes vary ±10 % around nominal, seeded). */
export function shortCatalog(segmentDurationMs = 1000): Catalog {
  return parseCatalog({
    name: 'short',
    segmentDurationMs,
    segmentCount: 4,
    representations: [
      { id: 'low', bitrateKbps: 400, width: 640, height: 360 },
      { id: 'high', bitrateKbps: 1600, width: 1280, height: 720 },
    ],
  });
}

/** Player settings for a 4 s title: start and resume on one segment so sessions take about the title's length. */
export const SHORT_PLAYER = { startupBufferMs: 500, resumeBufferMs: 500 } as const;
