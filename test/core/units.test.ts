import { describe, expect, it } from 'vitest';
import { bitsAt, bytesToBits, mbpsToKbps, nominalSegmentBytes, rateKbps, sToMs } from '../../src/core/units.js';

describe('units', () => {
  it('kbps is bits per ms', () => {
    // 1,000,000 B = 8,000,000 bits in 1000 ms = 8000 kbps.
    expect(rateKbps(1_000_000, 1000)).toBe(8000);
    expect(bitsAt(8000, 1000)).toBe(8_000_000);
    expect(bytesToBits(3)).toBe(24);
    expect(mbpsToKbps(4.3)).toBeCloseTo(4300, 9);
    expect(sToMs(2.5)).toBe(2500);
    // A 4 s segment at 2000 kbps holds 8,000,000 bits = 1,000,000 B.
    expect(nominalSegmentBytes(2000, 4000)).toBe(1_000_000);
  });
});
