/**
 * Constants of Pensieve's chunk-level test simulator (Mao et al., SIGCOMM 2017; hongzimao/pensieve `1120bb1`,
 * `test/fixed_env.py` and the test scripts `test/bb.py`, `test/mpc.py`), as the defaults of one validated config.
 * shared/conformance/pensieve/MODEL.md documents each of them.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';

export const pensieveConfigSchema = z
  .object({
    linkRttMs: z.number().nonnegative().default(80).describe('Added to every download delay after the trace walk (fixed_env LINK_RTT: 80 ms)'),
    packetPayloadPortion: z
      .number()
      .gt(0)
      .lte(1)
      .default(0.95)
      .describe('Share of the trace capacity that carries payload (fixed_env PACKET_PAYLOAD_PORTION: 0.95)'),
    bufferThreshMs: z.number().positive().default(60_000).describe('Buffer cap checked after each chunk, ms (fixed_env BUFFER_THRESH: 60 s)'),
    drainSleepMs: z.number().positive().default(500).describe('Quantum of the sleep that drains an over-full buffer, ms (DRAIN_BUFFER_SLEEP_TIME: 500 ms)'),
    chunkMs: z.number().positive().default(4000).describe('Media per chunk, ms (VIDEO_CHUNCK_LEN: 4 s)'),
    chunkCount: z.number().int().positive().default(48).describe('Chunks played per session (TOTAL_VIDEO_CHUNCK: 48 of the 49 sizes)'),
    bitratesKbps: z
      .array(z.number().positive())
      .min(1)
      .default([300, 750, 1200, 1850, 2850, 4300])
      .describe('Ladder, kbps, quality 0 first (VIDEO_BIT_RATE); one video_size_<q> file per rung'),
    defaultQuality: z.number().int().nonnegative().default(1).describe('Quality of every session\'s first chunk (DEFAULT_QUALITY: 1)'),
    rebufferPenalty: z.number().nonnegative().default(4.3).describe('Reward cost of one rebuffer second (REBUF_PENALTY: 4.3)'),
    smoothPenalty: z.number().nonnegative().default(1).describe('Reward weight of |Δ bitrate| in Mbps (SMOOTH_PENALTY: 1)'),
  })
  .strict()
  .refine((c) => c.defaultQuality < c.bitratesKbps.length, {
    message: 'defaultQuality must index bitratesKbps',
    path: ['defaultQuality'],
  });

export type PensieveConfig = z.output<typeof pensieveConfigSchema>;
export type PensieveConfigInput = z.input<typeof pensieveConfigSchema>;

export function parsePensieveConfig(input: unknown = {}): PensieveConfig {
  const parsed = pensieveConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new InputError(issue?.message ?? 'invalid pensieve config', { field: `pensieve${path ? `.${path}` : ''}` });
  }
  return parsed.data;
}

/**
 * Params the profile gives built-in policies by name so they behave as Pensieve's scripts: test/mpc.py plans
 * chunk k with the size of chunk k+1 (MODEL.md "Off-by-one"; PR #52's fix is not in the reference). `bb` needs
 * nothing: its registration already carries bb.py's constants.
 */
export const PENSIEVE_POLICY_PARAMS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.freeze({
  mpc: { sizeIndexOffset: 1 },
  'robust-mpc': { sizeIndexOffset: 1 },
});
