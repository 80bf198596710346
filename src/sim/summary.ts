import { scoreAll, type QoeParamsInput } from '../qoe/models.js';
import type { SessionMetrics, SessionSummary } from '../qoe/types.js';
import { rebufferRatio } from '../qoe/models.js';

/** The `summary` object of the `--json` contract, from a session's metrics. */
export function summarize(m: SessionMetrics, qoe: QoeParamsInput = {}, endReason?: SessionSummary['endReason']): SessionSummary {
  return {
    ...(endReason === undefined ? {} : { endReason }),
    startupMs: m.startupMs,
    rebufferMs: m.rebufferMs,
    rebufferCount: m.rebufferCount,
    rebufferRatio: rebufferRatio(m),
    avgBitrateKbps: m.avgBitrateKbps,
    switchCount: m.switchCount,
    playMs: m.playMs,
    completion: m.contentMs > 0 ? m.playMs / m.contentMs : 0,
    bytes: m.bytes,
    qoe: scoreAll(m, qoe),
    ...seekFields(m),
  };
}

/** Seek count and latency (mean, max); the latencies only when some seek resumed playback (no NaN in JSON). */
function seekFields(m: SessionMetrics): Pick<SessionSummary, 'seekCount' | 'seekLatencyMeanMs' | 'seekLatencyMaxMs'> {
  if (m.seekCount === undefined) return {};
  const lat = m.seekLatenciesMs ?? [];
  if (lat.length === 0) return { seekCount: m.seekCount };
  let sum = 0;
  let max = 0;
  for (const ms of lat) {
    sum += ms;
    max = Math.max(max, ms);
  }
  return { seekCount: m.seekCount, seekLatencyMeanMs: sum / lat.length, seekLatencyMaxMs: max };
}
