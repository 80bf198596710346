import { describe, expect, it } from 'vitest';
import { abSettingsOf, resolveArms } from '../../src/experiment/ab.js';
import { scenarioFromText } from '../../src/experiment/scenario.js';
import { row } from './ab-rows.js';

const BASE = 'name: s\nvideo: v.json\ntraces: [t.json]\npolicies: [reference, bba]\n';
const load = (extra: string) => scenarioFromText(BASE + extra, 'ab.yaml');

describe('A/B arms', () => {
  const policyRows = [row({ policy: 'reference', trace: 't' }), row({ policy: 'bba', trace: 't' })];

  it('default to one arm per policy, the first the control', () => {
    const loaded = load('');
    expect(resolveArms(abSettingsOf(loaded), policyRows, loaded)).toEqual([
      { name: 'reference', policy: 'reference' },
      { name: 'bba', policy: 'bba' },
    ]);
  });

  it('default to one arm per variant (first policy) when there are variants', () => {
    const loaded = load('variants:\n  - { name: short, buffer: { targetMs: 20000 } }\n  - { name: long, buffer: { targetMs: 40000 } }\n');
    const rows = ['short', 'long'].flatMap((variant) => policyRows.map((r) => ({ ...r, variant })));
    expect(resolveArms(abSettingsOf(loaded), rows, loaded)).toEqual([
      { name: 'short', policy: 'reference', variant: 'short' },
      { name: 'long', policy: 'reference', variant: 'long' },
    ]);
  });

  it('population split: the control gets 1 − treatmentShare, treatments share the rest', () => {
    const loaded = load('ab: { design: population-split }\n');
    const rows = [...policyRows, row({ policy: 'throughput', trace: 't' })];
    const arms = resolveArms(abSettingsOf(loaded), rows, loaded);
    expect(arms.map((a) => a.share)).toEqual([0.9, 0.05, 0.05]);
  });

  it('name the field of a mistake', () => {
    const unknown = load('ab:\n  arms: [{ name: a, policy: reference }, { name: b, policy: mpc }]\n');
    expect(() => resolveArms(abSettingsOf(unknown), policyRows, unknown)).toThrow(/ab\.yaml, field "ab\.arms\[1\]\.policy": unknown policy "mpc"/);
    const partial = load('ab:\n  design: population-split\n  arms: [{ name: a, policy: reference, share: 0.8 }, { name: b, policy: bba }]\n');
    expect(() => resolveArms(abSettingsOf(partial), policyRows, partial)).toThrow(/share on every arm or on none/);
    const sum = load('ab:\n  design: population-split\n  arms: [{ name: a, policy: reference, share: 0.8 }, { name: b, policy: bba, share: 0.3 }]\n');
    expect(() => resolveArms(abSettingsOf(sum), policyRows, sum)).toThrow(/sum to 1\.1/);
    const dup = load('ab:\n  arms: [{ name: a, policy: reference }, { name: a, policy: bba }]\n');
    expect(() => resolveArms(abSettingsOf(dup), policyRows, dup)).toThrow(/duplicate arm name "a"/);
  });
});
