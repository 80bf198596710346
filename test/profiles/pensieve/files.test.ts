import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import {
  listTraceFiles,
  parseCookedTrace,
  parseVideoSizes,
  readCookedTrace,
  readPensieveVideo,
} from '../../../src/profiles/pensieve/files.js';

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('cooked trace reader', () => {
  it('keeps seconds and Mbit/s exactly as written, tab or space separated, final newline optional', () => {
    const t = parseCookedTrace('0.0\t1.5\n0.549999952316 4.79283060109\n1.2\t0\n', 'f');
    expect(Array.from(t.timeS)).toEqual([0, 0.549999952316, 1.2]);
    expect(Array.from(t.bwMbps)).toEqual([1.5, 4.79283060109, 0]);
    expect(t.name).toBe('f');
  });

  it('names the file and line of a bad value', () => {
    const e = inputError(() => parseCookedTrace('0 1\n1 x\n', 'trace.txt'));
    expect(e.file).toBe('trace.txt');
    expect(e.line).toBe(2);
    expect(e.message).toContain('trace.txt:2');
  });

  it('rejects a blank line inside the file (Python would crash on it), a missing column, and time going back', () => {
    expect(inputError(() => parseCookedTrace('0 1\n\n2 1\n', 'f')).line).toBe(2);
    expect(inputError(() => parseCookedTrace('0 1\n1\n', 'f')).line).toBe(2);
    expect(inputError(() => parseCookedTrace('0 1\n2 1\n1 1\n', 'f')).line).toBe(3);
    expect(inputError(() => parseCookedTrace('0 1\n1 -2\n', 'f')).line).toBe(2);
    expect(inputError(() => parseCookedTrace('0 1\n1 0x10\n', 'f')).line).toBe(2);
  });

  it('rejects traces the simulator could never finish a chunk on', () => {
    expect(inputError(() => parseCookedTrace('0 1\n', 'f')).message).toContain('at least 2');
    // bw[0] is never used, so capacity only there does not count.
    expect(inputError(() => parseCookedTrace('0 5\n1 0\n2 0\n', 'f')).message).toContain('capacity');
  });

  it('reports a missing file as an input error naming it', () => {
    const e = inputError(() => readCookedTrace('/nonexistent/trace'));
    expect(e.file).toBe('/nonexistent/trace');
  });
});

describe('video size reader', () => {
  it('reads the first integer of each line', () => {
    expect(Array.from(parseVideoSizes('181801\n155580 extra\n', 'v'))).toEqual([181801, 155580]);
  });

  it('names the file and line of a size that is not a whole number', () => {
    const e = inputError(() => parseVideoSizes('1\n2.5\n', 'video_size_0'));
    expect(e.file).toBe('video_size_0');
    expect(e.line).toBe(2);
  });

  it('reads video_size_0..n−1 from a directory and names a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pensieve-video-'));
    for (let q = 0; q < 2; q++) writeFileSync(join(dir, `video_size_${q}`), `${q + 1}\n${q + 2}\n`);
    const v = readPensieveVideo(dir, 2);
    expect(v.sizesBytes.map((s) => Array.from(s))).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(inputError(() => readPensieveVideo(dir, 3)).file).toBe(join(dir, 'video_size_2'));
  });

  it('lists trace files by name, skipping hidden files and directories', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pensieve-traces-'));
    for (const n of ['b', 'a', '.hidden']) writeFileSync(join(dir, n), '0 1\n1 1\n');
    mkdirSync(join(dir, 'sub'));
    expect(listTraceFiles(dir)).toEqual([join(dir, 'a'), join(dir, 'b')]);
  });
});
