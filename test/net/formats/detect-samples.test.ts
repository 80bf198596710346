import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { detectTraceFormat, loadTraceFile } from '../../../src/net/formats/index.js';
import { traceStats } from '../../../src/net/stats.js';
import { HAVE_PUBLIC_TRACES, PUBLIC_TRACES } from './helpers.js';

describe('format detection by content', () => {
  it('recognises each format from a small inline example', () => {
    expect(detectTraceFormat('{"format":"abrlab-trace"}', 'f')).toBe('abrlab');
    expect(detectTraceFormat('  [{"duration_ms":1}]', 'f')).toBe('sabre');
    expect(detectTraceFormat('time_s,rate_kbps\n0,1\n', 'f')).toBe('csv');
    expect(detectTraceFormat('0\n0\n3\n7\n', 'f')).toBe('mahimahi');
    expect(detectTraceFormat('1 2 3 4 5 6\n', 'f')).toBe('norway-raw');
    expect(detectTraceFormat('0.0\t4.03\n0.55\t4.79\n', 'f')).toBe('cooked');
    expect(detectTraceFormat('15.0 3168.6\n474.0 3168.6\n514.0 3183.2\n905.0 3183.2\n', 'f')).toBe('oboe');
  });

  it('does not take a cooked file whose values happen to pair up for Oboe', () => {
    // Lumos5G-style integer Mbit/s: the first pair repeats, the second does not.
    expect(detectTraceFormat('0 45.0\n1 45.0\n2 44.0\n3 35.0\n', 'f')).toBe('cooked');
  });

  it('refuses what it cannot recognise, suggesting --format', () => {
    expect(() => detectTraceFormat('hello world again\n', 'x.bin')).toThrow(InputError);
    expect(() => detectTraceFormat('hello world again\n', 'x.bin')).toThrow(/x\.bin: .*--format/);
    expect(() => detectTraceFormat('   \n', 'x')).toThrow(/empty/);
  });
});

const SAMPLE_FORMATS: [string, string][] = [
  ['fcc-cooked/trace_797466_http---www.amazon_part1.log', 'cooked'],
  ['ghent-4g-sabre/report_bus_0001.json', 'sabre'],
  ['lumos5g-cooked/4g_trace_driving_50015_dr', 'cooked'],
  ['lumos5g-cooked/5g_trace_100_walking', 'cooked'],
  ['mahimahi-cellular/Verizon-EVDO-driving.down', 'mahimahi'],
  ['norway-hsdpa-cooked/norway_bus_1', 'cooked'],
  ['oboe/trace_0.txt', 'oboe'],
  ['oboe/oboe_trace_0.cooked.txt', 'cooked'],
  ['puffer-cooked/puffer_2021-10-17_test_0.txt', 'cooked'],
];

describe.skipIf(!HAVE_PUBLIC_TRACES)('public sample traces (reads ../shared/traces-public)', () => {
  it.each(SAMPLE_FORMATS)('detects %s as %s', (file, format) => {
    const head = readFileSync(join(PUBLIC_TRACES, file), 'utf8').slice(0, 65_536);
    expect(detectTraceFormat(head, file)).toBe(format);
  });

  it('FCC cut starting at 180 s is re-based to 0 with 5 s steps', async () => {
    const t = await loadTraceFile(join(PUBLIC_TRACES, 'fcc-cooked/trace_797466_http---www.amazon_part1.log'));
    // awk: 36 lines, 180.0 … 355.0 in 5 s steps → 36 periods of 5 s.
    expect(t.startMs[0]).toBe(0);
    expect(t.startMs[1]).toBe(5000);
    expect(t.durationMs).toBe(180_000);
    // First line "180.0 0.462624" → 462.624 kbps.
    expect(t.rateKbps[0]).toBeCloseTo(462.624, 9);
  });

  it('Ghent Sabre JSON keeps its 20 ms latency on all 607 periods', async () => {
    const t = await loadTraceFile(join(PUBLIC_TRACES, 'ghent-4g-sabre/report_bus_0001.json'));
    // grep -c duration_ms → 607; sum of duration_ms (awk) → 606726; every latency_ms is 20.
    expect(t.rateKbps.length).toBe(607);
    expect(t.durationMs).toBe(606_726);
    expect(new Set(t.latencyMs)).toEqual(new Set([20]));
  });

  it('Oboe raw trace_0 spans first start to last end', async () => {
    const t = await loadTraceFile(join(PUBLIC_TRACES, 'oboe/trace_0.txt'));
    // awk: first line 15.0, last line 176082.0 → 176,067 ms; 49 chunks + 48 gaps = 97 periods.
    expect(t.durationMs).toBe(176_067);
    expect(t.rateKbps.length).toBe(97);
  });

  it('Lumos5G walking: zero-throughput seconds are counted as outages', async () => {
    const t = await loadTraceFile(join(PUBLIC_TRACES, 'lumos5g-cooked/5g_trace_100_walking'));
    const s = traceStats(t);
    // awk: 800 one-second lines (1.0 … 800.0); 17 zero lines in 11 runs, the longest 4 lines; first and
    // last lines are non-zero, so no run wraps.
    expect(t.durationMs).toBe(800_000);
    expect(s.outageCount).toBe(11);
    expect(s.longestOutageMs).toBe(4000);
    expect(s.outageShare).toBeCloseTo(17 / 800, 12);
  });
});
