import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { parseSabreFlags, parseSabreMovie, parseSabreNetwork, withMovieLength } from '../../../src/profiles/sabre/index.js';

describe('Sabre flags', () => {
  it('parses the flag strings of the conformance CSVs', () => {
    expect(parseSabreFlags('-ab -s 120 180').options).toEqual({ abrBasic: true, seek: { whenS: 120, toS: 180 } });
    expect(parseSabreFlags('-hl 2 5').options).toEqual({ halfLifeS: [2, 5] });
    expect(parseSabreFlags('-ao -noibr').options).toEqual({ abrOsc: true, noIbr: true });
    expect(parseSabreFlags('-r left -b 10 -nm 0.5 -ml 180 -ma sliding -noa').options).toEqual({
      replace: 'left',
      maxBufferS: 10,
      networkMultiplier: 0.5,
      movieLengthS: 180,
      movingAverage: 'sliding',
      noAbandon: true,
    });
    expect(parseSabreFlags('').options).toEqual({});
  });

  it('accepts long forms and the -a/-m/-n paths', () => {
    const f = parseSabreFlags(['--max-buffer', '12', '-a', 'bolae', '-m', 'movie.json', '-n', 'net.json', '-ws', '3', '5']);
    expect(f).toEqual({ options: { maxBufferS: 12, windowSize: [3, 5] }, policy: 'bolae', moviePath: 'movie.json', networkPath: 'net.json' });
  });

  it('unknown flags, missing numbers and bad choices are input errors', () => {
    expect(() => parseSabreFlags('-zz')).toThrow(InputError);
    expect(() => parseSabreFlags('-b')).toThrow(/expects a number/);
    expect(() => parseSabreFlags('-r middle')).toThrow(/replace/);
  });
});

describe('Sabre inputs', () => {
  it('movie errors name the file and the field', () => {
    const bad = { segment_duration_ms: 3000, bitrates_kbps: [100, 200], segment_sizes_bits: [[1, 2], [1]] };
    expect(() => parseSabreMovie(bad, 'm.json')).toThrow(/m\.json, field "segment_sizes_bits\[1\]"/);
    const unsorted = { segment_duration_ms: 3000, bitrates_kbps: [200, 100], segment_sizes_bits: [[1, 2]] };
    expect(() => parseSabreMovie(unsorted, 'm.json')).toThrow(/bitrates_kbps\[1\]/);
    expect(() => parseSabreMovie({ bitrates_kbps: [1], segment_sizes_bits: [[1]] }, 'm.json')).toThrow(/segment_duration_ms/);
  });

  it('network errors name the file and the field; a trace with no capacity is refused', () => {
    expect(() => parseSabreNetwork([{ duration_ms: 10, bandwidth_kbps: -1, latency_ms: 0 }], 'n.json')).toThrow(/n\.json, field "\[0\]\.bandwidth_kbps"/);
    expect(() => parseSabreNetwork([{ duration_ms: 10, bandwidth_kbps: 0, latency_ms: 5 }], 'n.json')).toThrow(/never finish/);
  });

  it('movie length repeats and cuts the segment list', () => {
    const m = parseSabreMovie({ segment_duration_ms: 1000, bitrates_kbps: [1], segment_sizes_bits: [[10], [20], [30]] });
    expect(Array.from(withMovieLength(m, 7.5).sizesBits)).toEqual([10, 20, 30, 10, 20, 30, 10, 20]);
    expect(Array.from(withMovieLength(m, 1.5).sizesBits)).toEqual([10, 20]);
  });
});

describe('runSabreFromFiles', () => {
  it('unreadable or malformed files are input errors naming the file', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runSabreFromFiles } = await import('../../../src/profiles/sabre/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'abrlab-sabre-'));
    const movie = join(dir, 'movie.json');
    const net = join(dir, 'net.json');
    writeFileSync(movie, JSON.stringify({ segment_duration_ms: 1000, bitrates_kbps: [100, 200], segment_sizes_bits: [[100_000, 200_000]] }));
    writeFileSync(net, '[{"duration_ms": 10, ');
    expect(() => runSabreFromFiles({ trace: net, video: movie, policy: 'bola' })).toThrow(/net\.json: not valid JSON/);
    expect(() => runSabreFromFiles({ trace: join(dir, 'nope.json'), video: movie, policy: 'bola' })).toThrow(/nope\.json: cannot read/);
    writeFileSync(net, JSON.stringify([{ duration_ms: 1000, bandwidth_kbps: 1000, latency_ms: 0 }]));
    const r = runSabreFromFiles({ trace: net, video: movie, policy: 'throughput' });
    expect(r).toMatchObject({ profile: 'sabre', policy: 'throughput', trace: 'net.json', video: 'movie.json' });
  });
});
