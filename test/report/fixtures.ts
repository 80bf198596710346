/** Hand-built sessions shared by the report tests. Every figure here is chosen by hand, not produced by code. */
import type { SessionResult, SessionResultWithTimeline, SessionSummary } from '../../src/qoe/types.js';

export function summaryOf(fields: {
  qoe: number;
  startupMs: number;
  rebufferMs: number;
  rebufferCount: number;
  playMs: number;
  avgBitrateKbps: number;
  switchCount: number;
}): SessionSummary {
  return {
    startupMs: fields.startupMs,
    rebufferMs: fields.rebufferMs,
    rebufferCount: fields.rebufferCount,
    rebufferRatio: fields.rebufferMs / (fields.playMs + fields.rebufferMs),
    avgBitrateKbps: fields.avgBitrateKbps,
    switchCount: fields.switchCount,
    playMs: fields.playMs,
    completion: 1,
    bytes: 0,
    qoe: { reference: fields.qoe, lin: 0, log: 0, hd: 0 },
  };
}

/**
 * Session A: policy "bola" on trace-1, three 4 s segments (1000, 2500, 1000 kbps), startup 2.5 s, one 1.5 s
 * stall before the third segment, an abandonment mark at 8 s.
 * Timeline: startup 0–2500 ms; seg0 plays 2500–6500, seg1 6500–10500, stall 10500–12000, seg2 12000–16000.
 * The chart spans 0–16 s (the last buffer sample), so 720 px / 16 s = 45 px/s.
 * Rebuffer ratio = 1500 / (12000 + 1500) = 0.1111…; avg bitrate = (1000 + 2500 + 1000) / 3 = 1500 kbps.
 */
export const sessionA: SessionResultWithTimeline = {
  profile: 'fluid',
  policy: 'bola',
  trace: 'trace-1',
  video: 'demo-video',
  seed: 7,
  segments: [
    { index: 0, repIndex: 0, bitrateKbps: 1000, sizeBytes: 500_000, requestMs: 0, firstByteMs: 100, doneMs: 2500, bufferMs: 4000, rebufferMs: 0, abandoned: false },
    { index: 1, repIndex: 1, bitrateKbps: 2500, sizeBytes: 1_250_000, requestMs: 2500, firstByteMs: 2600, doneMs: 6000, bufferMs: 4500, rebufferMs: 0, abandoned: false },
    { index: 2, repIndex: 0, bitrateKbps: 1000, sizeBytes: 500_000, requestMs: 6000, firstByteMs: 6100, doneMs: 12000, bufferMs: 4000, rebufferMs: 1500, abandoned: false },
  ],
  summary: summaryOf({ qoe: 80, startupMs: 2500, rebufferMs: 1500, rebufferCount: 1, playMs: 12000, avgBitrateKbps: 1500, switchCount: 2 }),
  timeline: {
    capacity: { tMs: [0, 3000, 9000], kbps: [2000, 500, 3000] },
    buffer: { tMs: [0, 2500, 6000, 6500, 10500, 12000, 16000], bufferMs: [0, 4000, 500, 4000, 0, 4000, 0] },
    played: { tMs: [2500, 6500, 12000], kbps: [1000, 2500, 1000] },
    stalls: [{ startMs: 10500, endMs: 12000 }],
    playStartMs: 2500,
    marks: [{ tMs: 8000, kind: 'abandon', label: 'abandoned segment 2 at 2500 kbps' }],
  },
};

/** A policy and a trace name that need escaping. */
export const NASTY_POLICY = 'mpc <b>&"x"';
export const NASTY_TRACE = "trace '2' <i>";

/**
 * Session B: the nasty policy on the nasty trace, two 4 s segments at 750 kbps, startup 0.5 s, no stall, a seek
 * mark at 4 s; the chart spans 0–8.5 s.
 */
export const sessionB: SessionResultWithTimeline = {
  profile: 'fluid',
  policy: NASTY_POLICY,
  trace: NASTY_TRACE,
  video: 'demo-video',
  seed: 7,
  segments: [],
  summary: summaryOf({ qoe: 60, startupMs: 500, rebufferMs: 0, rebufferCount: 0, playMs: 8000, avgBitrateKbps: 750, switchCount: 0 }),
  timeline: {
    capacity: { tMs: [0], kbps: [1200] },
    buffer: { tMs: [0, 500, 8500], bufferMs: [0, 4000, 0] },
    played: { tMs: [500, 4500], kbps: [750, 750] },
    stalls: [],
    playStartMs: 500,
    marks: [{ tMs: 4000, kind: 'seek', label: 'seek to 20 s' }],
  },
};

/** Two more "bola" sessions kept without timelines or segments (as a large run stores them). */
export const sessionC: SessionResult = {
  profile: 'fluid',
  policy: 'bola',
  trace: 'trace-2',
  video: 'demo-video',
  seed: 7,
  segments: [],
  summary: summaryOf({ qoe: 71, startupMs: 1600, rebufferMs: 0, rebufferCount: 0, playMs: 8000, avgBitrateKbps: 2400, switchCount: 1 }),
};

/** Rebuffer ratio = 500 / (9500 + 500) = 0.05. */
export const sessionD: SessionResult = {
  profile: 'fluid',
  policy: 'bola',
  trace: 'trace-3',
  video: 'demo-video',
  seed: 7,
  segments: [],
  summary: summaryOf({ qoe: 50, startupMs: 2500, rebufferMs: 500, rebufferCount: 2, playMs: 9500, avgBitrateKbps: 900, switchCount: 4 }),
};
