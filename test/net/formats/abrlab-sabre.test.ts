import { describe, it, expect } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { formatTrace, parseTraceText } from '../../../src/net/formats/index.js';
import { traceFromPeriods } from '../../../src/net/trace.js';
import { durations } from './helpers.js';

const ctx = { name: 't', source: 'mem.json' };

describe('abrlab JSON traces', () => {
  it('reads periods, rates and latencies as given', () => {
    const t = parseTraceText(
      '{"format":"abrlab-trace","name":"x","durationsMs":[1000,2000],"ratesKbps":[500,0],"latenciesMs":[20,30]}',
      ctx,
    );
    expect(t.name).toBe('x');
    expect(Array.from(t.startMs)).toEqual([0, 1000]);
    expect(t.durationMs).toBe(3000);
    // 500 kbps × 1000 ms = 500,000 bits; the 0 kbps period adds nothing.
    expect(t.cumBits[2]).toBe(500_000);
    expect(Array.from(t.latencyMs ?? [])).toEqual([20, 30]);
  });

  it('names the field when lengths differ', () => {
    const bad = '{"format":"abrlab-trace","name":"x","durationsMs":[1000,2000],"ratesKbps":[500]}';
    expect(() => parseTraceText(bad, ctx)).toThrow(InputError);
    expect(() => parseTraceText(bad, ctx)).toThrow(/mem\.json, field "ratesKbps"/);
  });

  it('names the field of a negative rate and the line of a JSON syntax error', () => {
    const neg = '{"format":"abrlab-trace","name":"x","durationsMs":[1],"ratesKbps":[-1]}';
    expect(() => parseTraceText(neg, ctx)).toThrow(/field "ratesKbps\[0\]"/);
    // The stray comma is on line 3.
    expect(() => parseTraceText('{\n"format":"abrlab-trace",\n"name":"x",,\n}', ctx)).toThrow(/mem\.json:3/);
  });

  it('refuses a trace whose capacity is zero everywhere', () => {
    const zero = '{"format":"abrlab-trace","name":"x","durationsMs":[1,2],"ratesKbps":[0,0]}';
    expect(() => parseTraceText(zero, ctx)).toThrow(/zero everywhere/);
  });

  it('round-trips exactly through its own format, latencies included', () => {
    const t = traceFromPeriods({ name: 'rt', durationsMs: [250, 1000.5], ratesKbps: [1234.5, 0.25], latenciesMs: [5, 7] });
    const back = parseTraceText(formatTrace(t, 'abrlab'), ctx);
    expect(Array.from(back.rateKbps)).toEqual([1234.5, 0.25]);
    expect(durations(back)).toEqual([250, 1000.5]);
    expect(Array.from(back.latencyMs ?? [])).toEqual([5, 7]);
  });
});

describe('Sabre JSON traces', () => {
  const sabre = '[\n{"duration_ms": 725, "bandwidth_kbps": 36014, "latency_ms": 20},\n{"duration_ms": 1000, "bandwidth_kbps": 0, "latency_ms": 25}\n]';

  it('keeps units (ms, kbps) and the per-period latency', () => {
    const t = parseTraceText(sabre, ctx);
    expect(durations(t)).toEqual([725, 1000]);
    expect(Array.from(t.rateKbps)).toEqual([36014, 0]);
    expect(Array.from(t.latencyMs ?? [])).toEqual([20, 25]);
    expect(t.durationMs).toBe(1725);
  });

  it('names the bad field', () => {
    const bad = '[{"duration_ms": 0, "bandwidth_kbps": 1, "latency_ms": 20}]';
    expect(() => parseTraceText(bad, ctx)).toThrow(/field "\[0\]\.duration_ms"/);
    expect(() => parseTraceText('[]', ctx)).toThrow(InputError);
  });

  it('writes Sabre JSON that reads back the same', () => {
    const t = parseTraceText(sabre, ctx);
    const back = parseTraceText(formatTrace(t, 'sabre'), ctx);
    expect(durations(back)).toEqual([725, 1000]);
    expect(Array.from(back.latencyMs ?? [])).toEqual([20, 25]);
  });
});
