import { describe, expect, it } from 'vitest';
import { groupTitle } from '../../src/report/chart-theme.js';
import { qoeCdfSpec } from '../../src/report/charts/qoe-cdf.js';

describe('legend titles', () => {
  it('say "policy", or "policy · variant" when the groups are variants', () => {
    expect(groupTitle([{ label: 'bola' }, { label: 'reference' }])).toBe('policy');
    expect(groupTitle([{ label: 'reference · buffer-20s' }, { label: 'reference · base' }])).toBe('policy · variant');
    const spec = qoeCdfSpec([{ label: 'reference · av1', color: '#000000', cdf: [{ value: 50, fraction: 1 }] }]) as { encoding?: { color?: { legend?: { title?: string } } } };
    expect(JSON.stringify(spec)).toContain('"title":"policy · variant"');
  });
});
