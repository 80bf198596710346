import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/escape.js';
import { formatFixed } from '../../src/report/format.js';

describe('formatFixed', () => {
  it('prints fixed digits without locale separators', () => {
    expect(formatFixed(1234567.891, 2)).toBe('1234567.89');
    expect(formatFixed(2 / 3, 2)).toBe('0.67');
    expect(formatFixed(1699.5, 0)).toBe('1700');
  });

  it('prints non-finite values as n/a and drops the sign of a rounded negative zero', () => {
    expect(formatFixed(Number.NaN, 2)).toBe('n/a');
    expect(formatFixed(Number.POSITIVE_INFINITY, 0)).toBe('n/a');
    expect(formatFixed(-0.001, 2)).toBe('0.00');
    expect(formatFixed(-0.5, 2)).toBe('-0.50');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters, & first', () => {
    expect(escapeHtml(`<b>&"x"'y'</b>`)).toBe('&lt;b&gt;&amp;&quot;x&quot;&#39;y&#39;&lt;/b&gt;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('plain — text')).toBe('plain — text');
  });
});
