import { InputError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

/**
 * Faults the origin injects into media requests, with the names of the player's `TransportErrorKind`s so a
 * fault and what the player records match: `http-503` (answer 503 after the latency), `http-404`, `http-500`,
 * `http-416`, `timeout` (never answer: the client's timer decides), `connection-reset` (reset the TCP connection
 * instead of answering) and `stall` (send the headers and half the body, then nothing: the client's idle timer
 * decides).
 */
export type FaultKind = 'http-503' | 'http-404' | 'http-500' | 'http-416' | 'timeout' | 'connection-reset' | 'stall';

const KINDS: readonly FaultKind[] = ['http-503', 'http-404', 'http-500', 'http-416', 'timeout', 'connection-reset', 'stall'];
const ALIASES: Record<string, FaultKind> = {
  '503': 'http-503',
  '404': 'http-404',
  '500': 'http-500',
  '416': 'http-416',
  reset: 'connection-reset',
  hang: 'timeout',
};

/** Probability of each fault per media request; their sum is at most 1. */
export type FaultSpec = Partial<Record<FaultKind, number>>;

/**
 * Parses `kind=probability,...`, e.g. `503=0.2,reset=0.05` or `timeout=1` (every request hangs). Kinds may be
 * written as the player's error kinds (`http-503`, `connection-reset`) or short (`503`, `reset`, `hang`).
 */
export function parseFaultSpec(text: string, field = '--faults'): FaultSpec {
  const spec: FaultSpec = {};
  let total = 0;
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const rawKind = eq < 0 ? part : part.slice(0, eq);
    const kind = (ALIASES[rawKind] ?? rawKind) as FaultKind;
    if (!KINDS.includes(kind)) {
      throw new InputError(`unknown fault "${rawKind}"; known: ${KINDS.join(', ')} (or 503, 404, 500, 416, reset, hang)`, { field });
    }
    const p = eq < 0 ? 1 : Number(part.slice(eq + 1));
    if (!(p >= 0 && p <= 1)) throw new InputError(`fault "${rawKind}" has probability ${part.slice(eq + 1)}; use a number in [0, 1]`, { field });
    spec[kind] = p;
    total += p;
  }
  if (total > 1 + 1e-9) throw new InputError(`fault probabilities add up to ${total}, more than 1`, { field });
  return spec;
}

/** Draws the fault (or none) for one request: one uniform draw against the cumulative probabilities. */
export function drawFault(spec: FaultSpec, rng: Rng): FaultKind | undefined {
  const u = rng.next();
  let acc = 0;
  for (const kind of KINDS) {
    acc += spec[kind] ?? 0;
    if (u < acc) return kind;
  }
  return undefined;
}
