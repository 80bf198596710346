import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceFromPeriods } from '../../src/net/trace.js';
import { parseCatalog } from '../../src/origin/catalog.js';
import { simulateSession } from '../../src/sim/simulate.js';

/** Random but valid inputs: a trace with some zero-rate gaps, a ladder, player settings and a policy. */
const inputs = fc.record({
  periods: fc.array(fc.record({ ms: fc.integer({ min: 100, max: 20_000 }), kbps: fc.oneof(fc.constant(0), fc.integer({ min: 50, max: 20_000 })) }), { minLength: 1, maxLength: 30 }),
  ladder: fc.uniqueArray(fc.integer({ min: 100, max: 10_000 }), { minLength: 1, maxLength: 6 }),
  segments: fc.integer({ min: 1, max: 40 }),
  segmentMs: fc.constantFrom(1000, 2000, 4000, 6000),
  maxParallel: fc.integer({ min: 1, max: 3 }),
  latencyMs: fc.integer({ min: 0, max: 300 }),
  policy: fc.constantFrom('reference', 'bb', 'rate-based', 'throughput', 'bola'),
});

type Inputs = typeof inputs extends fc.Arbitrary<infer T> ? T : never;

function simulate(p: Inputs) {
  const periods = p.periods.some((x) => x.kbps > 0) ? p.periods : [...p.periods, { ms: 1000, kbps: 1000 }];
  const trace = traceFromPeriods({ name: 'prop', durationsMs: periods.map((x) => x.ms), ratesKbps: periods.map((x) => x.kbps) });
  const catalog = parseCatalog({
    segmentDurationMs: p.segmentMs,
    segmentCount: p.segments,
    representations: p.ladder.map((kbps, i) => ({ id: `r${i}`, bitrateKbps: kbps, width: 640, height: 360 })),
  });
  const result = simulateSession({ trace, catalog, policy: p.policy, latencyMs: p.latencyMs, player: { maxParallel: p.maxParallel } });
  return { result, catalog };
}

describe('player invariants (fast-check)', () => {
  it('the buffer is never negative, times are ordered, every segment is played once and bytes add up', () => {
    fc.assert(
      fc.property(inputs, (p) => {
        const { result, catalog } = simulate(p);
        const t = result.timeline;
        // A trace too poor to finish within the 6 h session guard ends early, and says so.
        if (result.summary.endReason === 'time-limit') return;
        expect(result.summary.endReason).toBe('finished');
        for (const b of t.buffer.bufferMs) expect(b).toBeGreaterThanOrEqual(0);
        for (const s of result.segments) {
          expect(s.bufferMs).toBeGreaterThanOrEqual(0);
          expect(s.firstByteMs).toBeGreaterThanOrEqual(s.requestMs);
          expect(s.doneMs).toBeGreaterThanOrEqual(s.firstByteMs);
        }
        const complete = result.segments.filter((s) => !s.abandoned);
        expect(complete.map((s) => s.index).sort((a, b) => a - b)).toEqual([...Array(catalog.segmentCount).keys()]);
        for (const s of complete) expect(s.sizeBytes).toBe(catalog.sizesBytes[s.repIndex]![s.index]);
        const bytes = result.segments.reduce((sum, s) => sum + s.sizeBytes, 0);
        expect(result.summary.bytes).toBeCloseTo(bytes, 6);
        expect(result.summary.playMs).toBeCloseTo(catalog.durationMs, 6);
        expect(result.summary.rebufferMs).toBeGreaterThanOrEqual(0);
        for (const st of t.stalls) expect(st.endMs).toBeGreaterThan(st.startMs);
      }),
      { numRuns: 150 },
    );
  });

  it('the same inputs give byte-identical results', () => {
    fc.assert(
      fc.property(inputs, (p) => {
        expect(JSON.stringify(simulate(p).result)).toBe(JSON.stringify(simulate(p).result));
      }),
      { numRuns: 40 },
    );
  });
});
