import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { forEachLineInFile, streamCsvFile, streamMahimahiFile } from '../../../src/net/formats/stream.js';
import { loadTraceFile, parseTraceText } from '../../../src/net/formats/index.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'abrlab-stream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streaming readers', () => {
  it('splits lines across 1 MiB chunk boundaries, CRLF included', async () => {
    // 300,000 lines of "<i>\r\n": about 2.2 MB, so several chunks and lines cut in two.
    const n = 300_000;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`${i}\r\n`);
    const path = join(dir, 'lines.txt');
    writeFileSync(path, parts.join(''));
    let count = 0;
    let ok = true;
    await forEachLineInFile(path, (buf, start, end, lineNo) => {
      if (buf.toString('latin1', start, end) !== String(lineNo - 1)) ok = false;
      count++;
    });
    expect(count).toBe(n);
    expect(ok).toBe(true);
  });

  it('streams Mahimahi to the same trace as the in-memory parser', async () => {
    const lines: string[] = [];
    // Opportunities at 0,0,1,3,3,3,6,... : ts = floor(i * 0.7) gives a mix of repeats and gaps.
    for (let i = 0; i < 200_000; i++) lines.push(String(Math.floor(i * 0.7)));
    const text = `${lines.join('\n')}\n`;
    const path = join(dir, 'x.down');
    writeFileSync(path, text);
    const streamed = await streamMahimahiFile(path, { name: 'x' });
    const inMemory = parseTraceText(text, { name: 'x', source: path, format: 'mahimahi' });
    expect(Array.from(streamed.rateKbps)).toEqual(Array.from(inMemory.rateKbps));
    expect(Array.from(streamed.startMs)).toEqual(Array.from(inMemory.startMs));
    expect(streamed.durationMs).toBe(Math.floor(199_999 * 0.7));
  });

  it('names the line of a bad Mahimahi timestamp', async () => {
    const path = join(dir, 'bad.down');
    writeFileSync(path, '0\n1\n2\nabc\n');
    await expect(streamMahimahiFile(path, { name: 'b' })).rejects.toThrow(/bad\.down:4: "abc"/);
    writeFileSync(path, '0\n5\n4\n');
    await expect(streamMahimahiFile(path, { name: 'b' })).rejects.toThrow(/bad\.down:3/);
  });

  it('streams CSV to the same trace as csv-parse', async () => {
    const rows = ['time_ms,rate_kbps'];
    for (let i = 0; i < 50_000; i++) rows.push(`${i * 10},${(i % 7) * 100 + 1}`);
    const text = `${rows.join('\n')}\n`;
    const path = join(dir, 'x.csv');
    writeFileSync(path, text);
    const streamed = await streamCsvFile(path, { name: 'x' });
    const inMemory = parseTraceText(text, { name: 'x', source: path });
    expect(Array.from(streamed.rateKbps)).toEqual(Array.from(inMemory.rateKbps));
    expect(streamed.durationMs).toBe(inMemory.durationMs);
    writeFileSync(path, 'time_ms,rate_kbps\n0,1\n5,x\n');
    await expect(streamCsvFile(path, { name: 'x' })).rejects.toThrow(/x\.csv:3/);
  });

  it('loadTraceFile streams files >= 8 MiB: Mahimahi in 10 ms bins (or as told), CSV as the in-memory parser', async () => {
    // 9 MB of Mahimahi: opportunities at floor(i / 3) ms, i.e. three per ms, 1,000,000 ms long.
    const mm: string[] = [];
    for (let i = 0; i < 3_000_000; i++) mm.push(String(Math.floor(i / 3)));
    const mmPath = join(dir, 'big.down');
    writeFileSync(mmPath, `${mm.join('\n')}\n`);
    const binned = await loadTraceFile(mmPath);
    // Period = last timestamp 999,999 ms; every bin boundary is a multiple of 10 ms (the streamed default).
    expect(binned.durationMs).toBe(999_999);
    expect(Array.from(binned.startMs).every((s) => s % 10 === 0)).toBe(true);
    // 3,000,000 opportunities per loop of 1504 B, whatever the bins.
    expect(binned.cumBits[binned.cumBits.length - 1]).toBe(3_000_000 * 1504 * 8);
    const exact = await loadTraceFile(mmPath, { mahimahi: { binMs: 1 } });
    expect(exact.cumBits[exact.cumBits.length - 1]).toBe(3_000_000 * 1504 * 8);
    // CSV of ~9 MB: row i is at i × 5 ms with (i × 7919 mod 10000) + 0.25 kbps.
    const rows = ['time_ms,rate_kbps'];
    for (let i = 0; i < 800_000; i++) rows.push(`${i * 5},${(i * 7919) % 10_000}.25`);
    const csvText = `${rows.join('\n')}\n`;
    const csvPath = join(dir, 'big.csv');
    writeFileSync(csvPath, csvText);
    expect(Buffer.byteLength(csvText)).toBeGreaterThan(8 * 1024 * 1024);
    const streamed = await loadTraceFile(csvPath);
    // Element-wise in a loop: vitest's deep equality on 800,000-element arrays takes seconds.
    let same = streamed.rateKbps.length === 800_000;
    for (let i = 0; same && i < 800_000; i++) {
      same = streamed.rateKbps[i] === ((i * 7919) % 10_000) + 0.25 && streamed.startMs[i] === i * 5;
    }
    expect(same).toBe(true);
    // The last row lasts the mean spacing, 5 ms.
    expect(streamed.durationMs).toBe(4_000_000);
  }, 60_000);

  it('loadTraceFile reports missing and empty files as InputError naming them', async () => {
    await expect(loadTraceFile(join(dir, 'nope.txt'))).rejects.toThrow(InputError);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    await expect(loadTraceFile(empty)).rejects.toThrow(/empty\.txt: the trace file is empty/);
  });
});

describe('parsePlainDecimal (streaming CSV fast path)', () => {
  it('gives exactly the double Number() gives, or NaN to ask for the slow path', async () => {
    const fc = (await import('fast-check')).default;
    const { parsePlainDecimal } = await import('../../../src/net/formats/stream.js');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
          fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.nat({ max: 999_999 })).map(([a, b]) => `${a}.${b}`),
          fc.string({ maxLength: 12 }),
        ),
        (text) => {
          const v = parsePlainDecimal(Buffer.from(text, 'latin1'), 0, Buffer.byteLength(text, 'latin1'));
          return Number.isNaN(v) || Object.is(v, Number(text)) || (v === 0 && Number(text) === 0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
