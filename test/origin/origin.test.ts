import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { parseCatalog } from '../../src/origin/catalog.js';
import { SingleOrigin, type OriginResponse } from '../../src/origin/origin.js';
import type { TransportRequest } from '../../src/player/transport.js';

// Ladder given high first: after sorting, rep 0 = "lo" (1000 kbps), rep 1 = "hi" (2000 kbps).
const catalog = parseCatalog({
  name: 'origin-test',
  segmentDurationMs: 4000,
  segmentCount: 3,
  representations: [
    { id: 'hi', bitrateKbps: 2000, width: 1280, height: 720, segmentSizesBytes: [1_000_000, 900_000, 200] },
    { id: 'lo', bitrateKbps: 1000, width: 640, height: 360, segmentSizesBytes: [500_000, 400_000, 100] },
  ],
});

/** Copies the answer (the origin may reuse its answer object). */
const ask = (origin: SingleOrigin, req: TransportRequest): OriginResponse => ({ ...origin.resolve(req, 0) });

describe('SingleOrigin', () => {
  const origin = new SingleOrigin({ catalog });

  it('serves seg/<rep>/<segment> with the catalog sizes and no extra latency by default', () => {
    expect(ask(origin, { url: 'seg/0/0' })).toEqual({ ok: true, sizeBytes: 500_000, latencyMs: 0 });
    expect(ask(origin, { url: 'seg/1/2' })).toEqual({ ok: true, sizeBytes: 200, latencyMs: 0 });
    expect(ask(origin, { url: 'seg/1/0' })).toEqual({ ok: true, sizeBytes: 1_000_000, latencyMs: 0 });
  });

  it.each(['seg/2/0', 'seg/0/3', 'seg/0', 'seg/-1/0', 'seg/0/1.5', 'video.mp4', '', 'seg/a/b'])('404 for %j', (url) => {
    expect(ask(origin, { url })).toEqual({ ok: false, kind: 'http-404', latencyMs: 0 });
  });

  it('adds its configured latency to every answer, errors included', () => {
    const slow = new SingleOrigin({ catalog, latencyMs: 25 });
    expect(ask(slow, { url: 'seg/0/1' })).toEqual({ ok: true, sizeBytes: 400_000, latencyMs: 25 });
    expect(ask(slow, { url: 'nope' })).toEqual({ ok: false, kind: 'http-404', latencyMs: 25 });
  });

  it.each([
    // [start, end] inclusive → length end - start + 1, on the 500,000-byte object seg/0/0.
    [0, 99, 100],
    [100_000, 199_999, 100_000],
    [499_999, 499_999, 1],
    // An end past the object is clamped to its last byte (RFC 9110 §14.1.2): 499,999 - 400,000 + 1 = 100,000.
    [400_000, 999_999, 100_000],
  ])('range %d-%d is %d bytes', (start, end, bytes) => {
    expect(ask(origin, { url: 'seg/0/0', rangeBytes: { start, end } })).toEqual({ ok: true, sizeBytes: bytes, latencyMs: 0 });
  });

  it.each([
    [500_000, 500_100], // starts at the object's length: nothing to send
    [600_000, 700_000],
    [10, 5], // start after end
    [-1, 5],
    [1.5, 3],
  ])('416 for the range %d-%d', (start, end) => {
    expect(ask(origin, { url: 'seg/0/0', rangeBytes: { start, end } })).toEqual({ ok: false, kind: 'http-416', latencyMs: 0 });
  });

  it('answers 404 before looking at the range', () => {
    expect(ask(origin, { url: 'seg/7/0', rangeBytes: { start: 999_999_999, end: 0 } }).ok).toBe(false);
    expect(ask(origin, { url: 'seg/7/0', rangeBytes: { start: 999_999_999, end: 0 } })).toMatchObject({ kind: 'http-404' });
  });

  it.each([-1, Number.NaN, Infinity])('rejects latency %d with an InputError naming the field', (latencyMs) => {
    expect(() => new SingleOrigin({ catalog, latencyMs })).toThrow(InputError);
    expect(() => new SingleOrigin({ catalog, latencyMs })).toThrow(/field "latencyMs"/);
  });
});
