import { z } from 'zod';
import { traceFromPeriods, type Trace } from '../trace.js';
import type { ParseContext } from './types.js';
import { parseJsonText, validateWith } from './json-text.js';
import { periodDurationsMs } from './abrlab-json.js';

/**
 * Sabre's network trace (UMass-LIDS/sabre, `example/.../*.json`): a JSON list of periods
 * `{duration_ms, bandwidth_kbps, latency_ms}`. Sabre's units (ms, kbps) are ours, so no conversion; the
 * per-period latency is kept in `trace.latencyMs` because Sabre adds it to every request in that period.
 */
export const sabrePeriodSchema = z.object({
  duration_ms: z.number().finite().positive().describe('Period length, ms'),
  bandwidth_kbps: z.number().finite().nonnegative().describe('Capacity, kbps'),
  latency_ms: z.number().finite().nonnegative().describe('Latency added to each request, ms'),
});
export const sabreTraceSchema = z.array(sabrePeriodSchema).min(1, 'the Sabre trace has no periods');

export function parseSabreJson(text: string, ctx: ParseContext): Trace {
  const periods = validateWith(sabreTraceSchema, parseJsonText(text, ctx.source), ctx.source, text);
  const n = periods.length;
  const durationsMs = new Float64Array(n);
  const ratesKbps = new Float64Array(n);
  const latenciesMs = new Float64Array(n);
  periods.forEach((p, i) => {
    durationsMs[i] = p.duration_ms;
    ratesKbps[i] = p.bandwidth_kbps;
    latenciesMs[i] = p.latency_ms;
  });
  return traceFromPeriods({ name: ctx.name, durationsMs, ratesKbps, latenciesMs, source: ctx.source });
}

/** Writes Sabre's JSON; a trace without latencies gets `defaultLatencyMs` (0 unless told). */
export function formatSabreJson(trace: Trace, opts: { defaultLatencyMs?: number } = {}): string {
  const d = periodDurationsMs(trace);
  const lines: string[] = [];
  for (let i = 0; i < d.length; i++) {
    const latency = trace.latencyMs?.[i] ?? opts.defaultLatencyMs ?? 0;
    lines.push(
      `  ${JSON.stringify({ duration_ms: d[i], bandwidth_kbps: trace.rateKbps[i], latency_ms: latency })}`,
    );
  }
  return `[\n${lines.join(',\n')}\n]\n`;
}
