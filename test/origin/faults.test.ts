import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { FaultInjector, faultsSchema, parseFaultsFlag } from '../../src/origin/faults.js';

describe('fault rules', () => {
  it('parses the --faults flag: rates, short kinds, per-CDN rules and outages in seconds', () => {
    expect(parseFaultsFlag('503=0.02@oca, hang=0.01,reset=0.5,outage@cloudfront=60-180')).toEqual([
      { kind: 'http-503', cdn: 'oca', rate: 0.02 },
      { kind: 'timeout', rate: 0.01 },
      { kind: 'connection-reset', rate: 0.5, afterMs: 200 },
      { kind: 'outage', cdn: 'cloudfront', fromMs: 60_000, toMs: 180_000, as: 'timeout' },
    ]);
  });

  it('rejects unknown kinds, bad rates and backwards outages with the flag named', () => {
    expect(() => parseFaultsFlag('500=0.1')).toThrow(InputError);
    expect(() => parseFaultsFlag('503=1.5')).toThrow(/--faults/);
    expect(() => parseFaultsFlag('outage@oca=90-30')).toThrow(/toMs must be after fromMs/);
    expect(() => parseFaultsFlag('503')).toThrow(/kind=rate/);
  });

  it('outages apply to their CDN and window only; the end is exclusive', () => {
    const f = new FaultInjector(faultsSchema.parse([{ kind: 'outage', cdn: 'oca', fromMs: 1000, toMs: 2000, as: 'http-503' }]), createRng(1));
    expect(f.decide('oca', 999)).toEqual({ kind: 'none' });
    expect(f.decide('oca', 1000)).toEqual({ kind: 'error', error: 'http-503' });
    expect(f.decide('cloudfront', 1500)).toEqual({ kind: 'none' });
    expect(f.decide('oca', 2000)).toEqual({ kind: 'none' });
  });

  it('a rate fires on about that share of requests, the same ones for the same seed', () => {
    const rules = faultsSchema.parse([{ kind: 'http-503', rate: 0.2 }]);
    const draw = (seed: number) => {
      const f = new FaultInjector(rules, createRng(seed));
      return Array.from({ length: 10_000 }, () => f.decide('x', 0).kind === 'error');
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    const share = a.filter(Boolean).length / a.length;
    // Binomial(10,000, 0.2): sd = 0.004, so ±0.02 is five sd.
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
  });
});
