import { describe, it, expect } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { formatTrace, parseTraceText } from '../../../src/net/formats/index.js';
import { durations } from './helpers.js';

const ctx = { name: 't', source: 'trace.txt' };

describe('Pensieve cooked traces', () => {
  it('converts s → ms and Mbit/s → kbps, re-bases time to 0, last sample gets the mean spacing', () => {
    // FCC-style cut starting at 180 s with 5 s steps.
    const t = parseTraceText('180.0\t0.5\n185.0\t1.0\n190.0\t2.0\n', ctx);
    expect(Array.from(t.startMs)).toEqual([0, 5000, 10_000]);
    expect(Array.from(t.rateKbps)).toEqual([500, 1000, 2000]);
    // Mean spacing of the first two gaps: (190 - 180) / 2 = 5 s.
    expect(t.durationMs).toBe(15_000);
  });

  it('refuses repeated or decreasing times naming the line', () => {
    expect(() => parseTraceText('0 1\n1 1\n1 2\n', { ...ctx, format: 'cooked' })).toThrow(/trace\.txt:3: .*not later than line 2/);
    expect(() => parseTraceText('0 1\n2 1\n1 2\n', { ...ctx, format: 'cooked' })).toThrow(/trace\.txt:3/);
  });

  it('refuses negative and non-numeric rates, empty files and all-zero traces', () => {
    expect(() => parseTraceText('0 1\n1 -2\n', { ...ctx, format: 'cooked' })).toThrow(/trace\.txt:2: .*negative/);
    expect(() => parseTraceText('0 1\n1 NaN\n', { ...ctx, format: 'cooked' })).toThrow(/trace\.txt:2: .*not a finite number/);
    expect(() => parseTraceText('\n# only a comment\n', { ...ctx, format: 'cooked' })).toThrow(/empty/);
    expect(() => parseTraceText('0 0\n1 0\n', { ...ctx, format: 'cooked' })).toThrow(/zero everywhere/);
    expect(() => parseTraceText('0 1 2\n', { ...ctx, format: 'cooked' })).toThrow(/expected 2 columns/);
  });

  it('writes cooked text that reads back when periods are even', () => {
    const t = parseTraceText('0 1.5\n2 3\n4 0.25\n', ctx);
    const back = parseTraceText(formatTrace(t, 'cooked'), ctx);
    expect(Array.from(back.rateKbps)).toEqual([1500, 3000, 250]);
    expect(durations(back)).toEqual([2000, 2000, 2000]);
  });
});

describe('Oboe traces', () => {
  // Two chunks: 15→474 ms at 3000 kbps, 514→905 ms at 1000 kbps; a 40 ms OFF gap between them.
  const oboe = '15.0 3000\n474.0 3000\n514.0 1000\n905.0 1000\n';

  it('re-bases to the first chunk start and fills OFF gaps with the mean of the neighbours by default', () => {
    const t = parseTraceText(oboe, { ...ctx, format: 'oboe' });
    // 474 - 15 = 459; gap 514 - 474 = 40 at (3000 + 1000) / 2 = 2000; 905 - 514 = 391.
    expect(durations(t)).toEqual([459, 40, 391]);
    expect(Array.from(t.rateKbps)).toEqual([3000, 2000, 1000]);
    expect(t.durationMs).toBe(890);
  });

  it('can make OFF gaps outages', () => {
    const t = parseTraceText(oboe, { ...ctx, format: 'oboe', oboe: { gaps: 'zero' } });
    expect(Array.from(t.rateKbps)).toEqual([3000, 0, 1000]);
  });

  it('refuses odd line counts, unequal pairs and overlapping chunks', () => {
    expect(() => parseTraceText('0 1\n5 1\n6 2\n', { ...ctx, format: 'oboe' })).toThrow(/trace\.txt:3: odd number/);
    expect(() => parseTraceText('0 1\n5 2\n', { ...ctx, format: 'oboe' })).toThrow(/trace\.txt:2: bandwidth 2 kbps differs/);
    expect(() => parseTraceText('0 1\n5 1\n4 1\n9 1\n', { ...ctx, format: 'oboe' })).toThrow(/trace\.txt:3/);
  });
});

describe('Norway HSDPA raw logs', () => {
  it('uses bytes and ms since the last line; the 0 ms first line carries no period', () => {
    const log = [
      '1289406399 550 59.851635 10.65187 0 0',
      '1289406400 1550 59.851635 10.65187 125000 1000', // 125,000 B × 8 / 1000 ms = 1000 kbps
      '1289406402 3550 59.851 10.651 50000 2000', // 50,000 × 8 / 2000 = 200 kbps
    ].join('\n');
    const t = parseTraceText(log, ctx);
    expect(durations(t)).toEqual([1000, 2000]);
    expect(Array.from(t.rateKbps)).toEqual([1000, 200]);
  });

  it('refuses lines out of time order and bytes in zero time', () => {
    const back = '100 0 1 1 0 0\n99 0 1 1 10 10\n';
    expect(() => parseTraceText(back, { ...ctx, format: 'norway' })).toThrow(/trace\.txt:2: timestamp 99/);
    expect(() => parseTraceText('100 0 1 1 5 0\n', { ...ctx, format: 'norway' })).toThrow(InputError);
  });
});
