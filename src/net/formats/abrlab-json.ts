import { z } from 'zod';
import { traceFromPeriods, type Trace } from '../trace.js';
import type { ParseContext } from './types.js';
import { parseJsonText, validateWith } from './json-text.js';

/**
 * abrlab's own trace format: period durations and rates side by side, units in the names. It is exact for
 * every Trace (no resampling), so it is the default output of `abrlab traces convert`.
 */
const finiteNonNegative = z.number().finite().nonnegative();

export const abrlabTraceSchema = z
  .object({
    format: z.literal('abrlab-trace').describe('Format tag; always "abrlab-trace"'),
    name: z.string().min(1).describe('Trace name'),
    durationsMs: z.array(z.number().finite().positive()).min(1).describe('Duration of each period, ms (> 0)'),
    ratesKbps: z.array(finiteNonNegative).min(1).describe('Capacity of each period, kbps (>= 0)'),
    latenciesMs: z.array(finiteNonNegative).optional().describe('One-way request latency of each period, ms'),
  })
  .refine((t) => t.durationsMs.length === t.ratesKbps.length, {
    message: 'durationsMs and ratesKbps must have the same length',
    path: ['ratesKbps'],
  })
  .refine((t) => t.latenciesMs === undefined || t.latenciesMs.length === t.durationsMs.length, {
    message: 'latenciesMs must have one entry per period (same length as durationsMs)',
    path: ['latenciesMs'],
  });

export type AbrlabTraceJson = z.infer<typeof abrlabTraceSchema>;

export function parseAbrlabJson(text: string, ctx: ParseContext): Trace {
  const doc = validateWith(abrlabTraceSchema, parseJsonText(text, ctx.source), ctx.source);
  return traceFromPeriods({
    name: doc.name,
    durationsMs: doc.durationsMs,
    ratesKbps: doc.ratesKbps,
    ...(doc.latenciesMs !== undefined ? { latenciesMs: doc.latenciesMs } : {}),
    source: ctx.source,
  });
}

/** Period durations of a trace, ms (the inverse of the cumulative starts). */
export function periodDurationsMs(trace: Trace): Float64Array {
  const n = trace.startMs.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? (trace.startMs[i + 1] as number) : trace.durationMs;
    out[i] = next - (trace.startMs[i] as number);
  }
  return out;
}

export function toAbrlabJson(trace: Trace): AbrlabTraceJson {
  return {
    format: 'abrlab-trace',
    name: trace.name,
    durationsMs: Array.from(periodDurationsMs(trace)),
    ratesKbps: Array.from(trace.rateKbps),
    ...(trace.latencyMs !== undefined ? { latenciesMs: Array.from(trace.latencyMs) } : {}),
  };
}

export function formatAbrlabJson(trace: Trace): string {
  return `${JSON.stringify(toAbrlabJson(trace))}\n`;
}
