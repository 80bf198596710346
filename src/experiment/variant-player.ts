/**
 * How a named variant's overrides map onto the player config (src/player/config.ts `playerConfigSchema`), in
 * this order, later wins: the reference defaults ← scenario `player` ← variant `player` ← variant `buffer`
 * shorthand ← variant `startup` strategy. Kept apart from the schema so the same merge serves validation and the
 * runner.
 */

/** The parts of a variant that touch the player (structural, so the schema module can call this). */
export interface PlayerOverrides {
  player?: Record<string, unknown> | undefined;
  buffer?:
    | {
        startupMs?: number | undefined;
        resumeMs?: number | undefined;
        lowWaterMs?: number | undefined;
        targetMs?: number | undefined;
        slowDownAboveMs?: number | undefined;
        maxMs?: number | undefined;
      }
    | undefined;
  startup?: { strategy: 'policy' | 'lowest' | 'highest' | 'fixed'; bitrateKbps?: number | undefined; segments?: number | undefined; bufferMs?: number | undefined } | undefined;
}

const BUFFER_FIELDS = {
  startupMs: 'startupBufferMs',
  resumeMs: 'resumeBufferMs',
  lowWaterMs: 'lowWaterMs',
  targetMs: 'targetBufferMs',
  slowDownAboveMs: 'slowDownAboveMs',
  maxMs: 'maxBufferMs',
} as const;

/** The merged player input of `base` with `variant`'s overrides (not yet validated). */
export function mergedPlayerInput(base: Record<string, unknown> | undefined, variant?: PlayerOverrides): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(base ?? {}), ...(variant?.player ?? {}) };
  for (const [from, to] of Object.entries(BUFFER_FIELDS)) {
    const v = variant?.buffer?.[from as keyof typeof BUFFER_FIELDS];
    if (v !== undefined) out[to] = v;
  }
  const s = variant?.startup;
  if (s !== undefined) {
    // The player pins the first `startupSegments` to the highest rung at or below startupBitrateKbps (and to the
    // lowest rung when none is), so the extremes of the positive doubles select the bottom and top rungs.
    if (s.strategy === 'lowest') out['startupBitrateKbps'] = Number.MIN_VALUE;
    else if (s.strategy === 'highest') out['startupBitrateKbps'] = Number.MAX_VALUE;
    else if (s.strategy === 'fixed' && s.bitrateKbps !== undefined) out['startupBitrateKbps'] = s.bitrateKbps;
    else if (s.strategy === 'policy') delete out['startupBitrateKbps'];
    if (s.segments !== undefined) out['startupSegments'] = s.segments;
    if (s.bufferMs !== undefined) out['startupBufferMs'] = s.bufferMs;
  }
  return out;
}
