import { describe, it, expect } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { formatTrace, parseTraceText } from '../../../src/net/formats/index.js';
import { guessRateUnit, guessTimeUnit } from '../../../src/net/formats/csv.js';
import { traceFromPeriods } from '../../../src/net/trace.js';
import { durations } from './helpers.js';

const ctx = { name: 'c', source: 'bw.csv' };

describe('CSV traces', () => {
  it('reads a samples layout with units from the header', () => {
    const t = parseTraceText('time_s,bandwidth_mbps\n10,1.5\n12,0.5\n', ctx);
    // Re-based: 10 s → 0; 1.5 Mbit/s = 1500 kbps; last sample lasts the mean spacing (2 s).
    expect(Array.from(t.startMs)).toEqual([0, 2000]);
    expect(Array.from(t.rateKbps)).toEqual([1500, 500]);
    expect(t.durationMs).toBe(4000);
  });

  it('takes explicit columns and units, and byte rates', () => {
    const text = 'ts;other;tput\n0;x;1000\n500;y;2000\n';
    const t = parseTraceText(text, {
      ...ctx,
      csv: { delimiter: ';', timeColumn: 'ts', rateColumn: 'tput', timeUnit: 'ms', rateUnit: 'kBps' },
    });
    // 1000 kB/s = 8000 kbit/s; times in ms already.
    expect(Array.from(t.rateKbps)).toEqual([8000, 16_000]);
    expect(Array.from(t.startMs)).toEqual([0, 500]);
  });

  it('reads the periods layout with latency, and round-trips what it writes', () => {
    const t = traceFromPeriods({ name: 'p', durationsMs: [100, 250.5], ratesKbps: [0, 321.25], latenciesMs: [10, 0] });
    const text = formatTrace(t, 'csv');
    expect(text.split('\n')[0]).toBe('start_ms,duration_ms,rate_kbps,latency_ms');
    const back = parseTraceText(text, ctx);
    expect(durations(back)).toEqual([100, 250.5]);
    expect(Array.from(back.rateKbps)).toEqual([0, 321.25]);
    expect(Array.from(back.latencyMs ?? [])).toEqual([10, 0]);
  });

  it('accepts quoted fields', () => {
    const t = parseTraceText('"time_ms","rate_kbps"\n"0","100"\n"1000","200"\n', ctx);
    expect(Array.from(t.rateKbps)).toEqual([100, 200]);
  });

  it('refuses unknown units, missing columns, bad rows and unsorted time, naming file and line', () => {
    expect(() => parseTraceText('time_s,speed\n0,1\n', ctx)).toThrow(InputError);
    expect(() => parseTraceText('time_s,rate\n0,1\n', ctx)).toThrow(/bw\.csv:1: cannot tell the unit of rate column "rate"/);
    expect(() => parseTraceText('foo,rate_kbps\n0,1\n', ctx)).toThrow(/no time or duration column/);
    expect(() => parseTraceText('time_s,rate_kbps\n0,1\n1,-3\n', ctx)).toThrow(/bw\.csv:3: .*negative/);
    expect(() => parseTraceText('time_s,rate_kbps\n0,1\n0,3\n', ctx)).toThrow(/bw\.csv:3: .*not later than line 2/);
    expect(() => parseTraceText('time_s,rate_kbps\n0,1\n1\n', ctx)).toThrow(/bw\.csv:3: expected 2 fields/);
    expect(() => parseTraceText('time_s,rate_kbps\n', ctx)).toThrow(/empty/);
  });

  it('guesses units from header suffixes', () => {
    expect(guessRateUnit('bandwidth_kbps')).toBe('kbps');
    expect(guessRateUnit('rate (Mbps)')).toBe('mbps');
    expect(guessRateUnit('tput_MBps')).toBe('MBps');
    expect(guessRateUnit('bps')).toBe('bps');
    expect(guessRateUnit('speed')).toBeUndefined();
    expect(guessTimeUnit('time_ms')).toBe('ms');
    expect(guessTimeUnit('timestamp_s')).toBe('s');
    expect(guessTimeUnit('seconds')).toBe('s');
    expect(guessTimeUnit('t')).toBeUndefined();
  });
});
