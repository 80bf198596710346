/**
 * The reference retry policy (shared/reference/streaming-architecture.md §5.1 "Retry Strategy", §5.3 "Graceful
 * Degradation") as a pure decision: given what went wrong with a request, what the player does next. The
 * transport decorator (resilient-transport.ts) carries the decisions out with the session `Clock`, the same in the
 * simulator and in live mode.
 *
 * Reference rules, and what we had to decide where it is silent:
 * - 10 s timeout without a first byte (`requests.get(..., timeout=10)`).
 * - Timeout → exponential back-off 1, 2, 4 s (`2 ** attempt`), then retry.
 * - 416 → retry at once without the Range header.
 * - 503 → the alternate CDN at once (§5.3: OCA → CloudFront → S3).
 * - Connection error → wait 5 s, retry.
 * - `max_retries=3`: here 3 retries after the first attempt (so the 1, 2, 4 s back-offs can all happen), per
 *   request; then the error reaches the player.
 * - Silent in the reference: a CDN that keeps timing out or resetting would be retried forever on the same
 *   edge. §5.3 says "CDN failure → switch to alternate CDN", so after `failoverAfterFailures` consecutive failures
 *   on one CDN the retry goes to the next one. 404 is an answer about the object, but an edge can miss an object
 *   its origin has, so it is tried once on each other CDN before it is final. Other 5xx answers count as 503.
 */
import { z } from 'zod';
import type { TransportErrorKind } from '../transport.js';

export const retryPolicySchema = z
  .object({
    timeoutMs: z.number().positive().default(10_000).describe('No first byte within this → timeout, ms (reference 10 s)'),
    backoffMs: z
      .array(z.number().nonnegative())
      .default([1000, 2000, 4000])
      .describe('Wait before retry k after a timeout, ms (reference 2^k s: 1, 2, 4); the last entry repeats'),
    connectionErrorWaitMs: z.number().nonnegative().default(5000).describe('Wait before retrying after a connection error, ms (reference 5 s)'),
    maxRetriesPerRequest: z.number().int().nonnegative().default(3).describe('Retries of one request before its error reaches the player (reference max_retries=3)'),
    failoverAfterFailures: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe('Consecutive timeouts / connection errors on one CDN before retries move to the next CDN'),
    failBackAfterMs: z
      .number()
      .nonnegative()
      .default(60_000)
      .describe('After a failover, new requests go back to the preferred CDN once this long has passed, ms'),
    retryBudget: z
      .number()
      .int()
      .nonnegative()
      .default(20)
      .describe('Retries in a whole session; once spent, the next failure ends the session with a fatal error'),
  })
  .strict();

export type RetryPolicy = z.output<typeof retryPolicySchema>;
export type RetryPolicyInput = z.input<typeof retryPolicySchema>;

export function retryPolicy(input: RetryPolicyInput = {}): RetryPolicy {
  return retryPolicySchema.parse(input);
}

/** What to do after a failed attempt. */
export type RetryAction =
  | {
      kind: 'retry';
      /** Wait before the next attempt, ms. */
      delayMs: number;
      /** Where the next attempt goes: the same CDN or the next one in the failover order. */
      cdn: 'same' | 'next';
      /** Send the next attempt without its byte range (after a 416). */
      dropRange: boolean;
      reason: string;
    }
  | { kind: 'give-up'; reason: string };

export interface FailedAttempt {
  error: TransportErrorKind;
  /** Retries of this request so far (0 after the first attempt failed). */
  retries: number;
  /** Consecutive failures on the CDN that just failed, this one included. */
  cdnFailures: number;
  /** CDNs in the failover order. */
  cdnCount: number;
  /** Distinct CDNs this request has tried, the failed one included. */
  cdnsTried: number;
  /** Retries left in the session budget. */
  budgetLeft: number;
}

/** The decision for one failed attempt (pure). */
export function decideRetry(f: FailedAttempt, policy: RetryPolicy): RetryAction {
  if (f.error === 'aborted') return { kind: 'give-up', reason: 'aborted by the player' };
  if (f.budgetLeft <= 0) return { kind: 'give-up', reason: `session retry budget (${policy.retryBudget}) spent` };
  if (f.retries >= policy.maxRetriesPerRequest) {
    return { kind: 'give-up', reason: `${f.error} after ${f.retries} retries (max ${policy.maxRetriesPerRequest})` };
  }
  const hasOtherCdn = f.cdnCount > 1;
  switch (f.error) {
    case 'http-416':
      return { kind: 'retry', delayMs: 0, cdn: 'same', dropRange: true, reason: '416: retry without the byte range' };
    case 'http-503':
    case 'http-other':
      if (hasOtherCdn) return { kind: 'retry', delayMs: 0, cdn: 'next', dropRange: false, reason: `${f.error}: alternate CDN` };
      return backoff(f, policy, `${f.error} and no alternate CDN: back off`);
    case 'http-404':
      if (f.cdnsTried < f.cdnCount) return { kind: 'retry', delayMs: 0, cdn: 'next', dropRange: false, reason: '404: try the object on the next CDN' };
      return { kind: 'give-up', reason: `404 on every CDN (${f.cdnCount})` };
    case 'timeout':
      return backoff(f, policy, 'timeout: exponential back-off');
    case 'connection-reset':
    case 'connection-refused':
      return {
        kind: 'retry',
        delayMs: policy.connectionErrorWaitMs,
        cdn: hasOtherCdn && f.cdnFailures >= policy.failoverAfterFailures ? 'next' : 'same',
        dropRange: false,
        reason: `${f.error}: wait ${policy.connectionErrorWaitMs} ms`,
      };
  }
}

function backoff(f: FailedAttempt, policy: RetryPolicy, reason: string): RetryAction {
  const table = policy.backoffMs;
  const delayMs = table.length === 0 ? 0 : (table[Math.min(f.retries, table.length - 1)] as number);
  const cdn = f.cdnCount > 1 && f.cdnFailures >= policy.failoverAfterFailures ? 'next' : 'same';
  return { kind: 'retry', delayMs, cdn, dropRange: false, reason: `${reason} ${delayMs} ms${cdn === 'next' ? ', next CDN' : ''}` };
}
