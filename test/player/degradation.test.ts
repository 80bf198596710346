import { describe, expect, it } from 'vitest';
import type { AbrContext } from '../../src/abr/types.js';
import { playerConfig } from '../../src/player/config.js';
import { degradationSchema, degradeConfig, withLatencyDegradation } from '../../src/player/degradation.js';
import { fixedPolicy } from '../helpers/fakes.js';

const d = degradationSchema.parse({});
const reference = playerConfig();

describe('graceful degradation (reference §5.3)', () => {
  it('a slow device is capped at 1080p; an existing lower cap stays', () => {
    expect(degradeConfig(reference, { slow: true }, d).maxHeightPx).toBe(1080);
    expect(degradeConfig(playerConfig({ maxHeightPx: 720 }), { slow: true }, d).maxHeightPx).toBe(720);
    expect(degradeConfig(reference, {}, d)).toBe(reference);
  });

  it('low memory halves the buffer cap and keeps the bands consistent', () => {
    const c = degradeConfig(reference, { lowMemory: true }, d);
    // Reference: low water 20 s, target 30 s, slow-down 40 s, cap 60 s → cap 30 s, target 30 s, slow-down 30 s.
    expect(c).toMatchObject({ maxBufferMs: 30_000, targetBufferMs: 30_000, lowWaterMs: 20_000, slowDownAboveMs: 30_000 });
  });

  it('a high-latency link raises the buffer target by 10 s (30 → 40 s, low water 20 → 30 s)', () => {
    expect(degradeConfig(reference, { highLatency: true }, d)).toMatchObject({ targetBufferMs: 40_000, lowWaterMs: 30_000, maxBufferMs: 60_000 });
  });

  it('high observed latency drops the choice one rung and says why', () => {
    const policy = withLatencyDegradation(fixedPolicy(4), d);
    const ctx = (latencyMs: number | undefined) => ({ latencyMs }) as unknown as AbrContext;
    expect(policy.chooseRepresentation(ctx(300)).index).toBe(4); // at the threshold: not above it
    const degraded = policy.chooseRepresentation(ctx(301));
    expect(degraded.index).toBe(3);
    expect(degraded.reason).toContain('high latency 301 ms > 300 ms');
    expect(policy.chooseRepresentation(ctx(undefined)).index).toBe(4);
    expect(withLatencyDegradation(fixedPolicy(0), d).chooseRepresentation(ctx(900)).index).toBe(0);
  });
});
