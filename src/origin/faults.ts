/**
 * Fault injection for the simulated CDNs (issue 7): a scenario's `faults:` section, or the `--faults` flag, as a
 * list of rules. Every draw comes from a stream derived from the session seed, one draw per request in request
 * order, so a session's faults repeat exactly, whatever the worker or shard that runs it.
 *
 * Kinds use the player's `TransportErrorKind` names so a fault and what the player records match:
 * - `outage`: every request to `cdn` between `fromMs` and `toMs` fails (`as`: timeout — no first byte, the
 *   player's 10 s timer decides —, connection-refused or http-503).
 * - `http-503`, `http-404`, `http-416`: that answer, with probability `rate` per request.
 * - `timeout`: no first byte ever (the request times out).
 * - `connection-reset`: the connection drops `afterMs` after the first byte (bytes so far are wasted).
 * - `stall`: delivery stops `afterMs` after the first byte for `durationMs`, then resumes.
 * - `licence-error`: the DRM licence request fails with `error` (reference §5.2 codes), probability `rate`
 *   per licence request; the player's startup flow (src/player/startup) handles each code as the reference says.
 * Rules with a `cdn` apply to that CDN only. The first rule that fires wins.
 */
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { TransportErrorKind } from '../player/transport.js';

/** DRM licence errors of the reference (§5.2 "License Server Failure"). */
export const LICENCE_ERRORS = ['LICENSE_EXPIRED', 'DEVICE_LIMIT_EXCEEDED', 'HDCP_ERROR', 'LICENSE_SERVER_UNAVAILABLE'] as const;
export type LicenceError = (typeof LICENCE_ERRORS)[number];

const cdn = z.string().min(1).optional().describe('CDN name the rule applies to (default: every CDN)');
const rate = z.number().min(0).max(1).describe('Probability per request');

export const faultRuleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('outage'),
      cdn,
      fromMs: z.number().nonnegative().describe('Outage start, session time, ms'),
      toMs: z.number().positive().describe('Outage end, session time, ms'),
      as: z.enum(['timeout', 'connection-refused', 'http-503']).default('timeout').describe('How the outage shows'),
    })
    .strict()
    .refine((o) => o.toMs > o.fromMs, { message: 'toMs must be after fromMs', path: ['toMs'] }),
  z.object({ kind: z.literal('http-503'), cdn, rate }).strict(),
  z.object({ kind: z.literal('http-404'), cdn, rate }).strict(),
  z.object({ kind: z.literal('http-416'), cdn, rate }).strict(),
  z.object({ kind: z.literal('timeout'), cdn, rate }).strict(),
  z
    .object({
      kind: z.literal('connection-reset'),
      cdn,
      rate,
      afterMs: z.number().nonnegative().default(200).describe('Time after the first byte when the connection drops, ms'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('stall'),
      cdn,
      rate,
      afterMs: z.number().nonnegative().default(200).describe('Time after the first byte when delivery stops, ms'),
      durationMs: z.number().positive().default(3000).describe('How long delivery stops, ms'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('licence-error'),
      error: z.enum(LICENCE_ERRORS).describe('Licence server error code (reference §5.2)'),
      rate,
    })
    .strict(),
]);

export const faultsSchema = z.array(faultRuleSchema).default([]);

export type FaultRule = z.output<typeof faultRuleSchema>;

/** What happens to one request. */
export type FaultDecision =
  | { kind: 'none' }
  /** Fail with `error` after the usual first-byte delay (or never answer, for `timeout`). */
  | { kind: 'error'; error: TransportErrorKind }
  /** Deliver normally until `afterMs` past the first byte, then drop with connection-reset. */
  | { kind: 'reset'; afterMs: number }
  /** Deliver normally until `afterMs` past the first byte, pause `durationMs`, then finish. */
  | { kind: 'stall'; afterMs: number; durationMs: number };

const NONE: FaultDecision = { kind: 'none' };

export class FaultInjector {
  private readonly rules: readonly FaultRule[];

  constructor(
    rules: readonly FaultRule[],
    private readonly rng: Rng,
  ) {
    this.rules = rules;
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  /**
   * The fault for a request to CDN `cdnName` at `nowMs`: rules in order, one uniform draw per probabilistic rule
   * that applies until one fires. The draws depend on the request sequence, so two arms of an A/B that request
   * differently see different fault draws (as two real users would); the rates are what they share.
   */
  decide(cdnName: string, nowMs: number): FaultDecision {
    for (const r of this.rules) {
      if (r.kind === 'licence-error' || (r.cdn !== undefined && r.cdn !== cdnName)) continue;
      if (r.kind === 'outage') {
        if (nowMs >= r.fromMs && nowMs < r.toMs) return { kind: 'error', error: r.as };
        continue;
      }
      if (!(this.rng.next() < r.rate)) continue;
      switch (r.kind) {
        case 'connection-reset':
          return { kind: 'reset', afterMs: r.afterMs };
        case 'stall':
          return { kind: 'stall', afterMs: r.afterMs, durationMs: r.durationMs };
        default:
          return { kind: 'error', error: r.kind };
      }
    }
    return NONE;
  }

  /** The outcome of one licence request: an error code, or undefined for a granted licence. */
  decideLicence(): LicenceError | undefined {
    for (const r of this.rules) {
      if (r.kind === 'licence-error' && this.rng.next() < r.rate) return r.error;
    }
    return undefined;
  }
}

const SHORT_KINDS: Record<string, FaultRule['kind']> = {
  '503': 'http-503',
  '404': 'http-404',
  '416': 'http-416',
  reset: 'connection-reset',
  hang: 'timeout',
};

/** Licence errors in the `--faults` flag (reference §5.2 codes). */
const LICENCE_SHORT: Record<string, LicenceError> = {
  'licence-expired': 'LICENSE_EXPIRED',
  'device-limit': 'DEVICE_LIMIT_EXCEEDED',
  hdcp: 'HDCP_ERROR',
  'licence-unavailable': 'LICENSE_SERVER_UNAVAILABLE',
};

/**
 * Parses the `--faults` flag: comma-separated rules, `kind=rate` with an optional `@cdn`
 * (`503=0.02@oca,timeout=0.01,reset=0.005`), and outages as `outage@cdn=FROM-TO` in seconds
 * (`outage@oca=60-180`). Kinds may be short: 503, 404, 416, reset, hang. Licence errors (with the startup flow):
 * `licence-expired`, `device-limit`, `hdcp`, `licence-unavailable`, each `=rate`.
 */
export function parseFaultsFlag(text: string, field = '--faults'): FaultRule[] {
  const rules: unknown[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    // The CDN may follow the kind or the value: 503@oca=0.02 and 503=0.02@oca mean the same.
    const m = /^([\w-]+)(?:@([\w.-]+))?=([^@]+)(?:@([\w.-]+))?$/.exec(part);
    if (m === null) throw new InputError(`cannot read fault "${part}": write kind=rate[@cdn] or outage@cdn=FROM-TO (seconds)`, { field });
    const [, rawKind = '', before, value = '', after] = m;
    const cdnName = before ?? after;
    const kind = SHORT_KINDS[rawKind] ?? rawKind;
    const where = cdnName === undefined ? {} : { cdn: cdnName };
    const licence = LICENCE_SHORT[rawKind];
    if (licence !== undefined) {
      rules.push({ kind: 'licence-error', error: licence, rate: Number(value) });
    } else if (kind === 'outage') {
      const span = /^([\d.]+)-([\d.]+)$/.exec(value);
      if (span === null) throw new InputError(`outage "${part}" needs FROM-TO in seconds, e.g. outage@oca=60-180`, { field });
      rules.push({ kind, ...where, fromMs: Number(span[1]) * 1000, toMs: Number(span[2]) * 1000 });
    } else {
      rules.push({ kind, ...where, rate: Number(value) });
    }
  }
  const parsed = faultsSchema.safeParse(rules);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${issue?.message ?? 'invalid fault'} (in "${text}")`, { field });
  }
  return parsed.data;
}
