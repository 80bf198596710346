/** Hand-made result rows for the A/B and gate tests: only the fields the analysis reads are meaningful. */
import type { ReportSession } from '../../src/report/types.js';

export function row(r: { policy: string; trace: string; variant?: string; replicate?: number; qoe?: number; startupMs?: number; rebufferRatio?: number; video?: string }): ReportSession {
  return {
    profile: 'fluid',
    policy: r.policy,
    ...(r.variant === undefined ? {} : { variant: r.variant }),
    ...(r.replicate === undefined ? {} : { replicate: r.replicate }),
    trace: r.trace,
    video: r.video ?? 'title',
    seed: 1,
    segments: [],
    summary: {
      startupMs: r.startupMs ?? 1000,
      rebufferMs: 0,
      rebufferCount: 0,
      rebufferRatio: r.rebufferRatio ?? 0,
      avgBitrateKbps: 3000,
      switchCount: 0,
      playMs: 600_000,
      completion: 1,
      bytes: 1,
      qoe: { reference: r.qoe ?? 50, lin: 0, log: 0, hd: 0 },
    },
  };
}
