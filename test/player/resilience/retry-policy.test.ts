import { describe, expect, it } from 'vitest';
import { decideRetry, retryPolicy, type FailedAttempt } from '../../../src/player/resilience/retry-policy.js';

const policy = retryPolicy();
const base: FailedAttempt = { error: 'timeout', retries: 0, cdnFailures: 1, cdnCount: 3, cdnsTried: 1, budgetLeft: 20 };

describe('the reference retry policy (streaming-architecture.md §5.1)', () => {
  it('has the reference constants', () => {
    expect(policy).toMatchObject({ timeoutMs: 10_000, backoffMs: [1000, 2000, 4000], connectionErrorWaitMs: 5000, maxRetriesPerRequest: 3 });
  });

  it('timeouts back off 2^k seconds on the same CDN, then move on after repeated failures', () => {
    expect(decideRetry({ ...base, retries: 0 }, policy)).toMatchObject({ kind: 'retry', delayMs: 1000, cdn: 'same' });
    expect(decideRetry({ ...base, retries: 1 }, policy)).toMatchObject({ delayMs: 2000 });
    expect(decideRetry({ ...base, retries: 2, cdnFailures: 2 }, policy)).toMatchObject({ delayMs: 4000, cdn: 'next' });
    expect(decideRetry({ ...base, retries: 3 }, policy)).toMatchObject({ kind: 'give-up' });
  });

  it('416 retries at once without the range', () => {
    expect(decideRetry({ ...base, error: 'http-416' }, policy)).toEqual({ kind: 'retry', delayMs: 0, cdn: 'same', dropRange: true, reason: '416: retry without the byte range' });
  });

  it('503 goes to the alternate CDN at once; with one CDN it backs off instead', () => {
    expect(decideRetry({ ...base, error: 'http-503' }, policy)).toMatchObject({ kind: 'retry', delayMs: 0, cdn: 'next' });
    expect(decideRetry({ ...base, error: 'http-503', cdnCount: 1 }, policy)).toMatchObject({ kind: 'retry', delayMs: 1000, cdn: 'same' });
  });

  it('connection errors wait 5 s', () => {
    expect(decideRetry({ ...base, error: 'connection-reset' }, policy)).toMatchObject({ kind: 'retry', delayMs: 5000, cdn: 'same' });
    expect(decideRetry({ ...base, error: 'connection-refused', cdnFailures: 2 }, policy)).toMatchObject({ delayMs: 5000, cdn: 'next' });
  });

  it('404 is tried once on every CDN, then final', () => {
    expect(decideRetry({ ...base, error: 'http-404', cdnsTried: 2 }, policy)).toMatchObject({ kind: 'retry', cdn: 'next' });
    expect(decideRetry({ ...base, error: 'http-404', cdnsTried: 3 }, policy)).toMatchObject({ kind: 'give-up', reason: '404 on every CDN (3)' });
  });

  it('a spent budget or an abort gives up', () => {
    expect(decideRetry({ ...base, budgetLeft: 0 }, policy).kind).toBe('give-up');
    expect(decideRetry({ ...base, error: 'aborted' }, policy).kind).toBe('give-up');
  });
});
