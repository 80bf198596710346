import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors.js';
import { parseCatalog, type Catalog } from '../../src/origin/catalog.js';
import {
  ReferenceAbr,
  bestFit,
  conservative,
  createReferenceAbr,
  parseReferenceAbrParams,
  selectTarget,
  shouldSwitch,
} from '../../src/abr/reference.js';
import { createBuiltinPolicy } from '../../src/abr/registry.js';
import type { AbrContext } from '../../src/abr/types.js';

// The reference ladder (reference §2.2 `profiles`), index: kbps
// 0: 300, 1: 600, 2: 1000, 3: 2000, 4: 3000, 5: 5000, 6: 8000, 7: 20000, 8: 25000.
const LADDER_KBPS = [300, 600, 1000, 2000, 3000, 5000, 8000, 20000, 25000];
const catalog: Catalog = parseCatalog({
  name: 'reference-ladder',
  segmentDurationMs: 4000,
  segmentCount: 20,
  representations: LADDER_KBPS.map((kbps, i) => ({ id: `r${i}`, bitrateKbps: kbps, width: 1280, height: 720 })),
});
const reps = catalog.representations;
const defaults = parseReferenceAbrParams();

/** An AbrContext with sensible defaults (plenty of buffer, no cap, no estimate); override what a test needs. */
function ctx(over: Partial<AbrContext> = {}): AbrContext {
  return {
    nowMs: 0,
    catalog,
    segmentIndex: 0,
    bufferMs: 20_000,
    maxBufferMs: 30_000,
    lastIndex: -1,
    lastSwitchMs: Number.NEGATIVE_INFINITY,
    throughputKbps: undefined,
    latencyMs: undefined,
    maxIndex: LADDER_KBPS.length - 1,
    history: [],
    phase: 'playing',
    playheadMs: 0,
    ...over,
  };
}

describe('reference ABR: pure rules', () => {
  it('the catalog helper sorts the reference ladder ascending', () => {
    expect(reps.map((r) => r.bitrateKbps)).toEqual(LADDER_KBPS);
  });

  it('bestFit: highest rung at or below the bandwidth, lowest if none', () => {
    expect(bestFit({ representations: reps, bandwidthKbps: 3400 })).toBe(4); // 3000 ≤ 3400 < 5000
    expect(bestFit({ representations: reps, bandwidthKbps: 3000 })).toBe(4); // equality fits
    expect(bestFit({ representations: reps, bandwidthKbps: 2999.99 })).toBe(3);
    expect(bestFit({ representations: reps, bandwidthKbps: 299 })).toBe(0); // fallback
    expect(bestFit({ representations: reps, bandwidthKbps: 1e9 })).toBe(8);
  });

  it('conservative: one rung below the best fit, never below the lowest', () => {
    expect(conservative({ representations: reps, bandwidthKbps: 3400, stepDown: 1 })).toBe(3);
    expect(conservative({ representations: reps, bandwidthKbps: 300, stepDown: 1 })).toBe(0); // best is 0 → stays 0
    expect(conservative({ representations: reps, bandwidthKbps: 8500, stepDown: 2 })).toBe(4); // best 6 − 2
  });

  it('shouldSwitch: 2+ levels down switches at once', () => {
    const v = shouldSwitch({ currentIndex: 4, targetIndex: 2, nowMs: 1000, lastSwitchMs: 0, bigStepLevels: 2, minSwitchIntervalMs: 10_000 });
    expect(v).toEqual({ allowed: true, rule: 'big-drop' });
  });

  it('shouldSwitch: 2+ levels up switches at once', () => {
    const v = shouldSwitch({ currentIndex: 4, targetIndex: 6, nowMs: 1000, lastSwitchMs: 0, bigStepLevels: 2, minSwitchIntervalMs: 10_000 });
    expect(v).toEqual({ allowed: true, rule: 'big-raise' });
  });

  it('shouldSwitch: a 1-level move is held within 10 s, held at exactly 10 s (reference: > 10), allowed after', () => {
    const base = { currentIndex: 4, lastSwitchMs: 10_000, bigStepLevels: 2, minSwitchIntervalMs: 10_000 };
    expect(shouldSwitch({ ...base, targetIndex: 5, nowMs: 15_000 })).toEqual({ allowed: false, rule: 'hold' });
    expect(shouldSwitch({ ...base, targetIndex: 3, nowMs: 15_000 })).toEqual({ allowed: false, rule: 'hold' });
    expect(shouldSwitch({ ...base, targetIndex: 5, nowMs: 20_000 })).toEqual({ allowed: false, rule: 'hold' });
    expect(shouldSwitch({ ...base, targetIndex: 5, nowMs: 20_001 })).toEqual({ allowed: true, rule: 'interval' });
    expect(shouldSwitch({ ...base, targetIndex: 3, nowMs: 20_001 })).toEqual({ allowed: true, rule: 'interval' });
  });

  it('shouldSwitch: with no switch yet the interval rule allows a 1-level move', () => {
    const v = shouldSwitch({
      currentIndex: 3,
      targetIndex: 4,
      nowMs: 0,
      lastSwitchMs: Number.NEGATIVE_INFINITY,
      bigStepLevels: 2,
      minSwitchIntervalMs: 10_000,
    });
    expect(v).toEqual({ allowed: true, rule: 'interval' });
  });

  it('selectTarget: safety margin boundary exactly at 0.85 of the estimate', () => {
    const base = { representations: reps, bufferMs: 20_000, maxIndex: 8, params: defaults };
    // 0.85 · (3000 / 0.85) = 3000 → the 3000 kbps rung (index 4) fits exactly.
    expect(selectTarget({ ...base, throughputKbps: 3000 / 0.85 })).toEqual({ index: 4, reason: 'best-fit' });
    // 0.85 · 3529 = 2999.65 < 3000 → index 3 (2000 kbps), although 3000 < 3529 would fit the raw estimate.
    expect(selectTarget({ ...base, throughputKbps: 3529 })).toEqual({ index: 3, reason: 'best-fit' });
    // 0.85 · 20000 = 17000 → 8000 kbps (index 6), not 20000.
    expect(selectTarget({ ...base, throughputKbps: 20_000 })).toEqual({ index: 6, reason: 'best-fit' });
  });

  it('selectTarget: buffer bands at their boundaries (< 5 s panic, < 10 s conservative, ≥ 10 s best)', () => {
    const base = { representations: reps, throughputKbps: 10_000, maxIndex: 8, params: defaults };
    // safe = 8500 → best fit 6 (8000), conservative 5 (5000).
    expect(selectTarget({ ...base, bufferMs: 4999 })).toEqual({ index: 0, reason: 'panic:buffer<5s' });
    expect(selectTarget({ ...base, bufferMs: 5000 })).toEqual({ index: 5, reason: 'conservative' });
    expect(selectTarget({ ...base, bufferMs: 9999 })).toEqual({ index: 5, reason: 'conservative' });
    expect(selectTarget({ ...base, bufferMs: 10_000 })).toEqual({ index: 6, reason: 'best-fit' });
  });

  it('selectTarget: device cap lowers the target and names itself', () => {
    const v = selectTarget({ representations: reps, throughputKbps: 100_000, bufferMs: 20_000, maxIndex: 5, params: defaults });
    expect(v).toEqual({ index: 5, reason: 'cap:device' });
  });
});

describe('reference ABR: stateful controller', () => {
  it('startup: keeps the initial quality (2000 kbps, index 3) before any throughput sample, even on an empty buffer', () => {
    const abr = new ReferenceAbr();
    expect(abr.chooseRepresentation(ctx({ bufferMs: 0 }))).toEqual({ index: 3, reason: 'startup:no-estimate' });
    expect(abr.chooseRepresentation(ctx({ bufferMs: 4000, nowMs: 4000 }))).toEqual({ index: 3, reason: 'startup:no-estimate' });
    expect(abr.lastSwitchAtMs).toBe(Number.NEGATIVE_INFINITY); // setting the initial quality is not a switch
  });

  it('startup: startupBitrateKbps picks the highest rung at or below it, the lowest if none', () => {
    expect(createReferenceAbr({ startupBitrateKbps: 2500 }).chooseRepresentation(ctx()).index).toBe(3); // 2000 ≤ 2500 < 3000
    expect(createReferenceAbr({ startupBitrateKbps: 5000 }).chooseRepresentation(ctx()).index).toBe(5);
    expect(createReferenceAbr({ startupBitrateKbps: 100 }).chooseRepresentation(ctx()).index).toBe(0);
  });

  it('panic: buffer < 5 s drops to the lowest (3 levels below the start → big drop)', () => {
    const abr = new ReferenceAbr();
    const d = abr.chooseRepresentation(ctx({ throughputKbps: 100_000, bufferMs: 4999 }));
    expect(d).toEqual({ index: 0, reason: 'panic:buffer<5s' });
  });

  it('conservative: 5–10 s buffer picks one level below the best fit', () => {
    const abr = new ReferenceAbr();
    // safe = 0.85 · 10000 = 8500 → best 6, conservative 5; current 3 → +2 levels → switches at once.
    expect(abr.chooseRepresentation(ctx({ throughputKbps: 10_000, bufferMs: 7000 }))).toEqual({ index: 5, reason: 'conservative' });
  });

  it('best-fit: ≥ 10 s buffer picks the best rung within 85 % of the estimate', () => {
    const abr = new ReferenceAbr();
    // safe = 8500 → 8000 kbps (index 6); current 3 → +3 levels.
    expect(abr.chooseRepresentation(ctx({ throughputKbps: 10_000, bufferMs: 10_000 }))).toEqual({ index: 6, reason: 'best-fit' });
  });

  it('hysteresis: 1-level moves are held within 10 s of a switch and allowed after; 2-level moves are not held', () => {
    const abr = new ReferenceAbr();
    // t=0: safe 0.85·4000 = 3400 → target 4, current 3: one level, no switch yet → allowed.
    expect(abr.chooseRepresentation(ctx({ nowMs: 0, throughputKbps: 4000 }))).toEqual({ index: 4, reason: 'best-fit' });
    expect(abr.lastSwitchAtMs).toBe(0);
    // t=5 s: safe 0.85·6000 = 5100 → target 5, one level up, 5 s since the switch → held.
    expect(abr.chooseRepresentation(ctx({ nowMs: 5000, throughputKbps: 6000 }))).toEqual({ index: 4, reason: 'hold:hysteresis' });
    // t=10 s exactly: not MORE than 10 s → still held.
    expect(abr.chooseRepresentation(ctx({ nowMs: 10_000, throughputKbps: 6000 }))).toEqual({ index: 4, reason: 'hold:hysteresis' });
    // t=10.001 s → allowed.
    expect(abr.chooseRepresentation(ctx({ nowMs: 10_001, throughputKbps: 6000 }))).toEqual({ index: 5, reason: 'best-fit' });
    // t=12 s: back to 3400 → target 4, one level DOWN, 1.999 s since the switch → held.
    expect(abr.chooseRepresentation(ctx({ nowMs: 12_000, throughputKbps: 4000 }))).toEqual({ index: 5, reason: 'hold:hysteresis' });
    // t=13 s: safe 0.85·2400 = 2040 → target 3, two levels down → switches at once.
    expect(abr.chooseRepresentation(ctx({ nowMs: 13_000, throughputKbps: 2400 }))).toEqual({ index: 3, reason: 'best-fit' });
    // t=14 s: safe 0.85·6000 = 5100 → target 5, two levels up, 1 s since the switch → switches at once.
    expect(abr.chooseRepresentation(ctx({ nowMs: 14_000, throughputKbps: 6000 }))).toEqual({ index: 5, reason: 'best-fit' });
    // t=20 s: target 4, one level down, 6 s since → held; t=24.001 s → allowed.
    expect(abr.chooseRepresentation(ctx({ nowMs: 20_000, throughputKbps: 4000 }))).toEqual({ index: 5, reason: 'hold:hysteresis' });
    expect(abr.chooseRepresentation(ctx({ nowMs: 24_001, throughputKbps: 4000 }))).toEqual({ index: 4, reason: 'best-fit' });
  });

  it('hysteresis applies to the panic band too, as in the reference (one level above the lowest is held)', () => {
    const abr = new ReferenceAbr({ startupBitrateKbps: 600 }); // starts at index 1
    // t=0: safe 0.85·1000 = 850 → 600 (index 1) = current → no switch.
    expect(abr.chooseRepresentation(ctx({ nowMs: 0, throughputKbps: 1000 }))).toEqual({ index: 1, reason: 'best-fit' });
    // t=1 s: safe 0.85·2000 = 1700 → target 2, one level, no switch yet → allowed.
    expect(abr.chooseRepresentation(ctx({ nowMs: 1000, throughputKbps: 2000 }))).toEqual({ index: 2, reason: 'best-fit' });
    // t=2 s: buffer 1 s → panic target 0, two levels down → switches.
    expect(abr.chooseRepresentation(ctx({ nowMs: 2000, throughputKbps: 2000, bufferMs: 1000 }))).toEqual({
      index: 0,
      reason: 'panic:buffer<5s',
    });
    // Another controller at index 1 with a switch 1 s ago: panic (target 0, one level) is held.
    const b = new ReferenceAbr({ startupBitrateKbps: 300 });
    expect(b.chooseRepresentation(ctx({ nowMs: 0, throughputKbps: 1000 })).index).toBe(1); // 850 → index 1, allowed
    expect(b.chooseRepresentation(ctx({ nowMs: 1000, throughputKbps: 1000, bufferMs: 1000 }))).toEqual({
      index: 1,
      reason: 'hold:hysteresis',
    });
  });

  it('device cap: the target never exceeds ctx.maxIndex', () => {
    const abr = new ReferenceAbr();
    // safe 85 000 → best 8, capped at 5; current 3 → +2 → switches.
    expect(abr.chooseRepresentation(ctx({ throughputKbps: 100_000, maxIndex: 5 }))).toEqual({ index: 5, reason: 'cap:device' });
  });

  it('device cap: a cap below the start-up quality applies before any estimate', () => {
    const abr = new ReferenceAbr();
    expect(abr.chooseRepresentation(ctx({ maxIndex: 2 }))).toEqual({ index: 2, reason: 'cap:device' });
  });

  it('device cap: a cap that drops under the current quality forces the move despite hysteresis', () => {
    const abr = new ReferenceAbr();
    expect(abr.chooseRepresentation(ctx({ nowMs: 0, throughputKbps: 10_000 })).index).toBe(6); // 8500 → 6
    // 1 s later the device is limited to index 5 (§5.3 "limit to 1080p"): one level, within 10 s, still moves.
    expect(abr.chooseRepresentation(ctx({ nowMs: 1000, throughputKbps: 10_000, maxIndex: 5 }))).toEqual({ index: 5, reason: 'cap:device' });
    expect(abr.lastSwitchAtMs).toBe(1000);
  });

  it('uses its own state, not ctx.lastIndex / ctx.lastSwitchMs', () => {
    const abr = new ReferenceAbr();
    expect(abr.chooseRepresentation(ctx({ nowMs: 0, throughputKbps: 4000 })).index).toBe(4);
    // The player claims no switch ever happened and a different last index; the controller still holds.
    const d = abr.chooseRepresentation(ctx({ nowMs: 5000, throughputKbps: 6000, lastIndex: 0, lastSwitchMs: Number.NEGATIVE_INFINITY }));
    expect(d).toEqual({ index: 4, reason: 'hold:hysteresis' });
  });

  it('a NaN estimate counts as no estimate, and after an estimator reset the current quality is held', () => {
    const abr = new ReferenceAbr();
    expect(abr.chooseRepresentation(ctx({ throughputKbps: Number.NaN }))).toEqual({ index: 3, reason: 'startup:no-estimate' });
    expect(abr.chooseRepresentation(ctx({ throughputKbps: 10_000 })).index).toBe(6);
    expect(abr.chooseRepresentation(ctx({ throughputKbps: undefined, bufferMs: 0 }))).toEqual({ index: 6, reason: 'hold:no-estimate' });
  });

  it('is registered as `reference` and validates its params', () => {
    const p = createBuiltinPolicy('reference');
    expect(p.name).toBe('reference');
    expect(p.chooseRepresentation(ctx()).index).toBe(3);
    expect(() => createBuiltinPolicy('reference', { safetyFactor: 1.5 })).toThrow(InputError);
    expect(() => createBuiltinPolicy('reference', { safetyfactor: 0.5 })).toThrow(InputError);
    expect(() => createReferenceAbr({ panicBufferMs: 12_000 })).toThrow(/conservativeBufferMs/);
  });

  it('defaults are the reference constants', () => {
    expect(defaults).toEqual({
      safetyFactor: 0.85,
      panicBufferMs: 5000,
      conservativeBufferMs: 10_000,
      conservativeStepDown: 1,
      bigStepLevels: 2,
      minSwitchIntervalMs: 10_000,
      startupBitrateKbps: 2000,
    });
  });

  it('property: decisions stay in [0, maxIndex]; without cap changes, no 1-level switch within 10 s of the last', () => {
    const step = fc.record({
      dtMs: fc.integer({ min: 0, max: 8000 }),
      throughputKbps: fc.option(fc.double({ min: 0, max: 60_000, noNaN: true }), { nil: undefined }),
      bufferMs: fc.integer({ min: 0, max: 40_000 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.array(step, { minLength: 1, maxLength: 60 }), (maxIndex, steps) => {
        const abr = new ReferenceAbr();
        let nowMs = 0;
        let prev = Math.min(3, maxIndex); // the start-up quality (2000 kbps, capped); setting it is no switch
        let lastSwitchMs = Number.NEGATIVE_INFINITY;
        for (const s of steps) {
          nowMs += s.dtMs;
          const d = abr.chooseRepresentation(ctx({ nowMs, throughputKbps: s.throughputKbps, bufferMs: s.bufferMs, maxIndex }));
          expect(d.index).toBeGreaterThanOrEqual(0);
          expect(d.index).toBeLessThanOrEqual(maxIndex);
          if (d.index !== prev) {
            if (Math.abs(d.index - prev) < 2) expect(nowMs - lastSwitchMs).toBeGreaterThan(10_000);
            lastSwitchMs = nowMs;
          }
          prev = d.index;
        }
      }),
    );
  });
});
