import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { formatTrace, loadTraceFile, parseTraceText } from '../../../src/net/formats/index.js';
import { traceFromPeriods, meanRateKbps } from '../../../src/net/trace.js';
import { durations, HAVE_PUBLIC_TRACES, PUBLIC_TRACES } from './helpers.js';

const ctx = { name: 'mm', source: 'link.down', format: 'mahimahi' as const };
// One opportunity = 1504 bytes = 12,032 bits; in one ms that is 12,032 kbps.
const OPP_BITS = 1504 * 8;

describe('Mahimahi traces', () => {
  it('counts opportunities per ms, folds the last timestamp into time 0 and loops at the last timestamp', () => {
    // Two at 0, one at 5, one at 10 (= the period, so it is time 0 of the next loop).
    const t = parseTraceText('0\n0\n5\n10\n', ctx);
    expect(t.durationMs).toBe(10);
    // [0,1): 3 opp; [1,5): none; [5,6): 1; [6,10): none.
    expect(durations(t)).toEqual([1, 4, 1, 4]);
    expect(Array.from(t.rateKbps)).toEqual([3 * OPP_BITS, 0, OPP_BITS, 0]);
    // 4 opportunities per 10 ms loop.
    expect(meanRateKbps(t)).toBeCloseTo((4 * OPP_BITS) / 10, 9);
  });

  it('averages over coarser bins when asked, keeping the capacity', () => {
    const t = parseTraceText('0\n0\n5\n10\n', { ...ctx, mahimahi: { binMs: 5 } });
    // [0,5): 2 + the wrapped one = 3 opportunities over 5 ms; [5,10): 1 over 5 ms.
    expect(durations(t)).toEqual([5, 5]);
    expect(Array.from(t.rateKbps)).toEqual([(3 * OPP_BITS) / 5, OPP_BITS / 5]);
  });

  it('honours another packet size', () => {
    const t = parseTraceText('1\n2\n', { ...ctx, mahimahi: { packetBytes: 1500 } });
    // Period 2 ms; opportunity at 1 in [1,2), the one at 2 wraps to [0,1): 1500 B × 8 per ms each.
    expect(Array.from(t.rateKbps)).toEqual([12_000]);
    expect(t.durationMs).toBe(2);
  });

  it('refuses decreasing timestamps, non-integers and a zero period, naming the line', () => {
    expect(() => parseTraceText('0\n5\n4\n', ctx)).toThrow(/link\.down:3: timestamp 4 ms is earlier/);
    expect(() => parseTraceText('0\n1.5\n', ctx)).toThrow(/link\.down:2: "1\.5" is not a millisecond timestamp/);
    expect(() => parseTraceText('0\n0\n', ctx)).toThrow(/last timestamp is 0/);
    expect(() => parseTraceText('', ctx)).toThrow(/empty/);
  });

  it('exports a schedule that imports back to the same capacity', () => {
    // One opportunity per ms for 10 ms, then a 10 ms outage, at 1504-byte packets.
    const t = traceFromPeriods({ name: 'x', durationsMs: [10, 10], ratesKbps: [OPP_BITS, 0] });
    const text = formatTrace(t, 'mahimahi');
    const lines = text.trim().split('\n');
    // 1..10 carry one opportunity each; the period must end at 20, so one extra opportunity marks it.
    expect(lines).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '20']);
    const back = parseTraceText(text, ctx);
    expect(back.durationMs).toBe(20);
    // 11 opportunities per 20 ms loop: the one extra packet is the documented rounding.
    expect(back.cumBits[back.cumBits.length - 1]).toBe(11 * OPP_BITS);
  });
});

describe.skipIf(!HAVE_PUBLIC_TRACES)('Mahimahi sample files (reads ../shared/traces-public)', () => {
  it('ATT-LTE-driving-2016.down: period and capacity match an independent count', async () => {
    const t = await loadTraceFile(join(PUBLIC_TRACES, 'mahimahi-cellular/ATT-LTE-driving-2016.down'));
    // awk 'END{print NR, $1, NR*1504*8/$1}' → 45604 lines, last ts 120002, 4572.48 kbps.
    expect(t.durationMs).toBe(120_002);
    expect(t.cumBits[t.cumBits.length - 1]).toBe(45_604 * OPP_BITS);
    expect(meanRateKbps(t)).toBeCloseTo(4572.48, 2);
    // awk: 21 lines are "0" and 1 line is "120002" (wraps to 0): 22 opportunities in the first ms.
    expect(t.rateKbps[0]).toBe(22 * OPP_BITS);
    expect(t.startMs[1]).toBe(1);
  });
});
