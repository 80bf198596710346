import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { loadTraceFile, parseTraceText, type TraceFormatName } from '../../../src/net/formats/index.js';
import { lineOfArrayElement } from '../../../src/net/formats/json-text.js';
import { streamCsvFile, streamMahimahiFile } from '../../../src/net/formats/stream.js';

/**
 * Issue 4, "Validation": every importer refuses unsorted or repeated times (where the format does not allow
 * them), negative or NaN rates, empty files and all-zero capacity, with an InputError naming the file and,
 * for line formats, the line. Each case below states the line that is wrong.
 */
const file = 'bad.trace';
type Case = [label: string, format: TraceFormatName, text: string, expected: RegExp];

const CASES: Case[] = [
  // Pensieve cooked
  ['cooked: repeated time', 'cooked', '0 1\n1 1\n1 2\n', /^bad\.trace:3: .*must strictly increase/],
  ['cooked: time goes back', 'cooked', '0 1\n2 1\n1 2\n', /^bad\.trace:3: /],
  ['cooked: NaN rate', 'cooked', '0 1\n1 nan\n', /^bad\.trace:2: .*not a finite number/],
  ['cooked: negative rate', 'cooked', '0 1\n1 -0.5\n', /^bad\.trace:2: .*negative/],
  ['cooked: all zero', 'cooked', '0 0\n1 0\n2 0\n', /^bad\.trace: trace capacity is zero everywhere/],
  ['cooked: empty', 'cooked', '\n\n', /^bad\.trace: .*empty/],
  // CSV
  ['csv: repeated time', 'csv', 'time_s,rate_kbps\n0,1\n0,2\n', /^bad\.trace:3: .*strictly increase/],
  ['csv: NaN rate', 'csv', 'time_s,rate_kbps\n0,1\n1,NaN\n', /^bad\.trace:3: .*not a finite number/],
  ['csv: negative rate', 'csv', 'time_s,rate_kbps\n0,-1\n', /^bad\.trace:2: .*negative/],
  ['csv: NaN duration', 'csv', 'duration_ms,rate_kbps\n10,1\nx,2\n', /^bad\.trace:3: .*not a finite number/],
  ['csv: zero duration', 'csv', 'duration_ms,rate_kbps\n10,1\n0,2\n', /^bad\.trace:3: duration 0 ms must be > 0/],
  ['csv: all zero', 'csv', 'time_s,rate_kbps\n0,0\n1,0\n', /^bad\.trace: trace capacity is zero everywhere/],
  ['csv: header only', 'csv', 'time_s,rate_kbps\n', /^bad\.trace: .*empty/],
  ['csv: nothing', 'csv', '', /^bad\.trace: .*empty/],
  // Mahimahi: repeats are allowed, going back is not
  ['mahimahi: time goes back', 'mahimahi', '0\n3\n3\n2\n', /^bad\.trace:4: timestamp 2 ms is earlier/],
  ['mahimahi: negative', 'mahimahi', '0\n-1\n', /^bad\.trace:2: "-1" is not a millisecond timestamp/],
  ['mahimahi: NaN', 'mahimahi', '0\nNaN\n', /^bad\.trace:2: "NaN"/],
  ['mahimahi: only time 0 (zero period)', 'mahimahi', '0\n0\n', /^bad\.trace: .*last timestamp is 0/],
  ['mahimahi: empty', 'mahimahi', '# comment\n', /^bad\.trace: .*empty/],
  // Oboe
  ['oboe: chunk overlaps the previous', 'oboe', '0 1\n5 1\n4 1\n9 1\n', /^bad\.trace:3: chunk start 4 ms is before/],
  ['oboe: end not after start', 'oboe', '5 1\n5 1\n', /^bad\.trace:2: chunk end 5 ms is not later/],
  ['oboe: NaN', 'oboe', '0 1\n5 NaN\n', /^bad\.trace:2: .*not a finite number/],
  ['oboe: negative', 'oboe', '0 -1\n5 -1\n', /^bad\.trace:1: .*negative/],
  ['oboe: all zero', 'oboe', '0 0\n5 0\n9 0\n12 0\n', /^bad\.trace: trace capacity is zero everywhere/],
  ['oboe: empty', 'oboe', '', /^bad\.trace: .*empty/],
  // Norway HSDPA raw log
  ['norway: timestamp goes back', 'norway-raw', '100 0 1 1 0 0\n99 0 1 1 10 10\n', /^bad\.trace:2: timestamp 99 is earlier/],
  ['norway: negative bytes', 'norway-raw', '100 0 1 1 -5 10\n', /^bad\.trace:1: bytes since last -5 is negative/],
  ['norway: NaN ms', 'norway-raw', '100 0 1 1 5 NaN\n', /^bad\.trace:1: .*not a finite number/],
  ['norway: all zero', 'norway-raw', '1 0 1 1 0 1000\n2 0 1 1 0 1000\n', /^bad\.trace: trace capacity is zero everywhere/],
  ['norway: empty', 'norway-raw', '\n', /^bad\.trace: .*empty/],
  // Sabre JSON: the line of the offending period and its field
  ['sabre: negative bandwidth', 'sabre', '[\n {"duration_ms": 1, "bandwidth_kbps": 1, "latency_ms": 0},\n {"duration_ms": 1, "bandwidth_kbps": -1, "latency_ms": 0}\n]', /^bad\.trace:3, field "\[1\]\.bandwidth_kbps"/],
  ['sabre: NaN is not JSON', 'sabre', '[\n{"duration_ms": 1, "bandwidth_kbps": NaN, "latency_ms": 0}]', /^bad\.trace:2: invalid JSON/],
  ['sabre: all zero', 'sabre', '[{"duration_ms": 1000, "bandwidth_kbps": 0, "latency_ms": 20}]', /^bad\.trace: trace capacity is zero everywhere/],
  ['sabre: empty list', 'sabre', '[]', /^bad\.trace: the Sabre trace has no periods/],
  ['sabre: empty file', 'sabre', ' \n', /^bad\.trace: .*empty/],
  // abrlab JSON
  ['abrlab: negative rate', 'abrlab', '{"format":"abrlab-trace","name":"x","durationsMs":[1],"ratesKbps":[-1]}', /^bad\.trace, field "ratesKbps\[0\]"/],
  ['abrlab: all zero', 'abrlab', '{"format":"abrlab-trace","name":"x","durationsMs":[1],"ratesKbps":[0]}', /^bad\.trace: trace capacity is zero/],
];

describe('validation errors name the file and the line (issue 4)', () => {
  it.each(CASES)('%s', (_label, format, text, expected) => {
    let err: unknown;
    try {
      parseTraceText(text, { name: 'x', source: file, format });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(expected);
  });

  it('repeated Mahimahi timestamps are allowed (several opportunities in one ms)', () => {
    const t = parseTraceText('1\n1\n1\n2\n', { name: 'x', source: file, format: 'mahimahi' });
    // Three opportunities at 1 ms; the one at 2 ms (= the period) wraps to time 0.
    expect(Array.from(t.rateKbps)).toEqual([1504 * 8, 3 * 1504 * 8]);
  });

  it('finds the line of a JSON array element, ignoring commas and brackets inside strings', () => {
    const text = '[\n  {"a": "x,]y"},\n  {"b": [1, 2]},\n\n  3\n]';
    expect(lineOfArrayElement(text, 0)).toBe(2);
    expect(lineOfArrayElement(text, 1)).toBe(3);
    expect(lineOfArrayElement(text, 2)).toBe(5);
    expect(lineOfArrayElement(text, 3)).toBeUndefined();
  });
});

describe('validation in the streaming readers (files >= 8 MiB take this path)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'abrlab-validate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('CSV: repeated time, negative and NaN rates and all-zero capacity name file and line', async () => {
    await expect(streamCsvFile(write('a.csv', 'time_s,rate_kbps\n0,1\n0,2\n'), { name: 'a' })).rejects.toThrow(/a\.csv:3: .*strictly increase/);
    await expect(streamCsvFile(write('b.csv', 'time_s,rate_kbps\n0,1\n1,-2\n'), { name: 'b' })).rejects.toThrow(/b\.csv:3: .*negative/);
    await expect(streamCsvFile(write('c.csv', 'time_s,rate_kbps\n0,1\n1,NaN\n'), { name: 'c' })).rejects.toThrow(/c\.csv:3: .*not a finite/);
    await expect(streamCsvFile(write('d.csv', 'time_s,rate_kbps\n0,0\n1,0\n'), { name: 'd' })).rejects.toThrow(/d\.csv: trace capacity is zero/);
    await expect(streamCsvFile(write('e.csv', '\n# nothing\n'), { name: 'e' })).rejects.toThrow(/e\.csv: .*empty/);
  });

  it('Mahimahi: negative, decreasing and empty', async () => {
    await expect(streamMahimahiFile(write('a.down', '0\n-1\n'), { name: 'a' })).rejects.toThrow(/a\.down:2: "-1"/);
    await expect(streamMahimahiFile(write('b.down', '0\n7\n6\n'), { name: 'b' })).rejects.toThrow(/b\.down:3: timestamp 6 ms/);
    await expect(streamMahimahiFile(write('c.down', '\n\n'), { name: 'c' })).rejects.toThrow(/c\.down: .*empty/);
  });

  it('loadTraceFile: a zero-byte file and a directory are refused by name', async () => {
    await expect(loadTraceFile(write('zero.txt', ''))).rejects.toThrow(/zero\.txt: the trace file is empty/);
    await expect(loadTraceFile(dir)).rejects.toThrow(/not a regular file/);
  });
});
