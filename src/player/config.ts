import { z } from 'zod';

/**
 * Player settings. Defaults are the `reference` profile: the constants of the reference design
 * (shared/reference/streaming-architecture.md §2.3 "Buffering Strategy", §2.4 "Seeking"), each one a parameter a
 * scenario can change.
 */
export const playerConfigSchema = z
  .object({
    startupBufferMs: z.number().nonnegative().default(4000).describe('Buffer needed before playback starts, ms (reference: minimum 4 s)'),
    resumeBufferMs: z.number().nonnegative().default(4000).describe('Buffer needed to resume after a stall, ms'),
    seekResumeBufferMs: z
      .number()
      .nonnegative()
      .default(0)
      .describe('Buffer needed to resume after a seek, ms; 0 = as soon as the target segment is appended (reference: play within 500 ms)'),
    startupBitrateKbps: z
      .number()
      .positive()
      .optional()
      .describe('If set, the first startupSegments are fetched at the highest rung at or below this bitrate, whatever the policy says'),
    startupSegments: z.number().int().nonnegative().default(1).describe('Segments fetched at startupBitrateKbps'),
    lowWaterMs: z.number().nonnegative().default(20_000).describe('Refill starts when the buffer falls below this, ms (reference steady band 20–30 s)'),
    targetBufferMs: z.number().positive().default(30_000).describe('Filling stops once buffer + in-flight media reaches this, ms'),
    slowDownAboveMs: z.number().positive().default(40_000).describe('Above this buffer, downloads are paced at playback speed, ms (reference: > 40 s slow down)'),
    maxBufferMs: z.number().positive().default(60_000).describe('Buffer + in-flight media never exceeds this, ms (reference cap 60 s)'),
    fetchAheadBandsMs: z
      .array(z.number().nonnegative())
      .default([10_000, 20_000])
      .describe('Buffer band edges for the fetch-ahead counts, ms, ascending (reference: 10 s, 20 s)'),
    fetchAheadSegments: z
      .array(z.number().int().positive())
      .default([5, 3, 1])
      .describe('Segments requested ahead of the buffered edge in each band, one more entry than the edges (reference: 5 / 3 / 1)'),
    maxParallel: z.number().int().positive().default(3).describe('Most downloads in flight at once (reference: 3)'),
    maxParallelBeforeFirstSample: z
      .number()
      .int()
      .positive()
      .default(1)
      .describe('Most downloads in flight until the first one completes: without a bandwidth sample, parallel guesses only slow the first frame (reference startup target < 2 s)'),
    maxHeightPx: z.number().int().positive().optional().describe('Device capability: highest frame height the device plays, px'),
    historySize: z.number().int().positive().default(20).describe('Downloads kept in the ABR context history'),
    abandonPollMs: z.number().positive().default(100).describe('How often a policy with an abandonment rule is asked, ms'),
    throughputSampling: z
      .enum(['per-request', 'aggregate'])
      .default('per-request')
      .describe('Throughput samples: per request as the reference (each parallel download sees its share of the link), or aggregate (all bytes over the busy time)'),
    retryDelaysMs: z.array(z.number().nonnegative()).default([1000, 2000, 4000]).describe('Back-off before each retry of a failed request, ms (reference 1, 2, 4 s)'),
    requestTimeoutMs: z.number().positive().default(10_000).describe('No first byte within this → timeout, ms (reference 10 s)'),
    maxSessionMs: z.number().positive().default(6 * 3600_000).describe('Session wall-time guard: the session ends here whatever happens, ms'),
    watchMs: z.number().positive().optional().describe('User leaves when the playhead reaches this media position, ms (default: the end of the title); with startSegment, count from media time 0, not from the start'),
    recordTimeline: z.boolean().default(true).describe('Keep buffer / bitrate series for the report'),
  })
  .superRefine((c, ctx) => {
    if (c.fetchAheadSegments.length !== c.fetchAheadBandsMs.length + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['fetchAheadSegments'],
        message: `needs ${c.fetchAheadBandsMs.length + 1} entries (one per band of fetchAheadBandsMs), got ${c.fetchAheadSegments.length}`,
      });
    }
    if (c.maxParallelBeforeFirstSample > c.maxParallel) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxParallelBeforeFirstSample'],
        message: `maxParallelBeforeFirstSample (${c.maxParallelBeforeFirstSample}) must not exceed maxParallel (${c.maxParallel})`,
      });
    }
    if (c.lowWaterMs > c.targetBufferMs) {
      ctx.addIssue({ code: 'custom', path: ['lowWaterMs'], message: `lowWaterMs (${c.lowWaterMs}) must not exceed targetBufferMs (${c.targetBufferMs})` });
    }
    if (c.targetBufferMs > c.maxBufferMs) {
      ctx.addIssue({ code: 'custom', path: ['targetBufferMs'], message: `targetBufferMs (${c.targetBufferMs}) must not exceed maxBufferMs (${c.maxBufferMs})` });
    }
  });

export type PlayerConfig = z.output<typeof playerConfigSchema>;
export type PlayerConfigInput = z.input<typeof playerConfigSchema>;

/** The reference player's settings with `overrides` applied (throws zod errors; callers map them to InputError). */
export function playerConfig(overrides: PlayerConfigInput = {}): PlayerConfig {
  return playerConfigSchema.parse(overrides);
}
