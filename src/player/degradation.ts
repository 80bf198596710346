/**
 * Graceful degradation (reference streaming-architecture.md §5.3 "Fallback Strategies"):
 * 2. High latency → reduce quality, increase the buffer target.
 * 4. Slow device → disable 4K, limit to 1080p.
 * 5. Low memory → reduce the buffer size.
 * (1, CDN failure, is the resilience layer's; 3, DRM, the startup flow's HDCP fallback.)
 *
 * Device conditions are known before playback and change the player config; latency is observed during the
 * session, so that rule wraps the ABR policy: it sees the estimator's latency in every decision context.
 */
import { z } from 'zod';
import type { AbrContext, AbrDecision, AbrPolicy } from '../abr/types.js';
import type { PlayerConfig } from './config.js';

export const degradationSchema = z
  .object({
    highLatencyMs: z.number().positive().default(300).describe('Latency (request to first byte) above which the player degrades, ms'),
    highLatencyLevelsDown: z.number().int().nonnegative().default(1).describe('Rungs below the policy choice while latency is high'),
    highLatencyExtraBufferMs: z.number().nonnegative().default(10_000).describe('Added to the buffer target and low-water mark on high-latency links, ms'),
    slowDeviceMaxHeightPx: z.number().int().positive().default(1080).describe('Quality cap of a slow device (§5.3: 1080p)'),
    lowMemoryMaxBufferMs: z.number().positive().default(30_000).describe('Buffer cap on a low-memory device, ms (half the reference 60 s)'),
  })
  .strict();

export type DegradationConfig = z.output<typeof degradationSchema>;
export type DegradationConfigInput = z.input<typeof degradationSchema>;

export interface DeviceConditions {
  slow?: boolean;
  lowMemory?: boolean;
  /** The link is known to have high latency (e.g. satellite): raise the buffer target from the start. */
  highLatency?: boolean;
}

/** The player config after the device rules (pure). Buffer bands shrink together so the config stays valid. */
export function degradeConfig(config: PlayerConfig, device: DeviceConditions, d: DegradationConfig): PlayerConfig {
  let out = config;
  if (device.slow) {
    const cap = out.maxHeightPx === undefined ? d.slowDeviceMaxHeightPx : Math.min(out.maxHeightPx, d.slowDeviceMaxHeightPx);
    out = { ...out, maxHeightPx: cap };
  }
  if (device.highLatency) {
    const target = Math.min(out.maxBufferMs, out.targetBufferMs + d.highLatencyExtraBufferMs);
    out = { ...out, targetBufferMs: target, lowWaterMs: Math.min(target, out.lowWaterMs + d.highLatencyExtraBufferMs) };
  }
  if (device.lowMemory && out.maxBufferMs > d.lowMemoryMaxBufferMs) {
    const max = d.lowMemoryMaxBufferMs;
    const target = Math.min(out.targetBufferMs, max);
    out = {
      ...out,
      maxBufferMs: max,
      targetBufferMs: target,
      lowWaterMs: Math.min(out.lowWaterMs, target),
      slowDownAboveMs: Math.min(out.slowDownAboveMs, max),
    };
  }
  return out;
}

/**
 * Wraps a policy with the high-latency rule: while the latest latency estimate is above `highLatencyMs`, the
 * choice drops `highLatencyLevelsDown` rungs, and the reason says so.
 */
export function withLatencyDegradation(policy: AbrPolicy, d: DegradationConfig): AbrPolicy {
  const wrapped: AbrPolicy = {
    name: policy.name,
    chooseRepresentation(ctx: AbrContext): AbrDecision {
      const decision = policy.chooseRepresentation(ctx);
      const latency = ctx.latencyMs;
      if (latency === undefined || !(latency > d.highLatencyMs) || decision.index <= 0) return decision;
      const index = Math.max(0, decision.index - d.highLatencyLevelsDown);
      return { ...decision, index, reason: `${decision.reason ?? policy.name}; high latency ${Math.round(latency)} ms > ${d.highLatencyMs} ms: ${d.highLatencyLevelsDown} down` };
    },
  };
  // Every optional hook is forwarded bound to the wrapped policy, so its state stays in one object.
  if (policy.shouldAbandon !== undefined) wrapped.shouldAbandon = policy.shouldAbandon.bind(policy);
  if (policy.onDownload !== undefined) wrapped.onDownload = policy.onDownload.bind(policy);
  if (policy.onBufferFullWait !== undefined) wrapped.onBufferFullWait = policy.onBufferFullWait.bind(policy);
  if (policy.onEvent !== undefined) wrapped.onEvent = policy.onEvent.bind(policy);
  return wrapped;
}
