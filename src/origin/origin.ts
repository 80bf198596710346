import { InputError } from '../core/errors.js';
import type { TransportErrorKind, TransportRequest } from '../player/transport.js';
import type { Catalog } from './catalog.js';
import { parseSimSegmentUrl } from './urls.js';

/**
 * What the server side answers to one request: the body size and the server's own delay before the first byte
 * (added to the link latency), or an error after that delay.
 */
export type OriginResponse =
  | { ok: true; sizeBytes: number; latencyMs: number }
  | { ok: false; kind: TransportErrorKind; latencyMs: number };

/**
 * The server side of the simulated transport, asked once per request. A single origin, a multi-CDN model and
 * fault injection all implement this.
 *
 * Hot path: `resolve` runs once per simulated request, so implementations may return the same object on every
 * call (SingleOrigin does). Callers read the answer before calling `resolve` again and never keep it.
 */
export interface Origin {
  resolve(req: TransportRequest, nowMs: number): Readonly<OriginResponse>;
}

export interface SingleOriginConfig {
  catalog: Catalog;
  /** Server delay before the first byte of every response, ms (on top of the link latency). Default 0. */
  latencyMs?: number;
}

/**
 * One origin serving a catalog's segments at `seg/<repIndex>/<segmentIndex>` (src/origin/urls.ts), with
 * `catalog.sizesBytes` as the object sizes. Unknown URLs get 404. Byte ranges follow HTTP (RFC 9110 §14.1.2): an
 * end past the object is clamped to its last byte, and a range that starts past the end (or is malformed:
 * negative, fractional, start > end) gets 416.
 */
export class SingleOrigin implements Origin {
  private readonly catalog: Catalog;
  /** Reused answers (see `Origin`): the per-request path allocates nothing here. */
  private readonly okAnswer: { ok: true; sizeBytes: number; latencyMs: number } = { ok: true, sizeBytes: 0, latencyMs: 0 };
  private readonly errorAnswer: { ok: false; kind: TransportErrorKind; latencyMs: number } = {
    ok: false,
    kind: 'http-404',
    latencyMs: 0,
  };

  constructor(config: SingleOriginConfig) {
    const latencyMs = config.latencyMs ?? 0;
    if (!(latencyMs >= 0) || !Number.isFinite(latencyMs)) {
      throw new InputError(`origin latency must be finite and >= 0, got ${latencyMs} ms`, { field: 'latencyMs' });
    }
    this.catalog = config.catalog;
    this.okAnswer.latencyMs = latencyMs;
    this.errorAnswer.latencyMs = latencyMs;
  }

  /** The answer does not depend on time: a single healthy origin. */
  resolve(req: TransportRequest, _nowMs: number): Readonly<OriginResponse> {
    const objectBytes = this.objectSize(req.url);
    if (objectBytes === undefined) return this.error('http-404');
    const range = req.rangeBytes;
    if (range === undefined) return this.ok(objectBytes);
    const { start, end } = range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || start >= objectBytes) {
      return this.error('http-416');
    }
    const last = end < objectBytes ? end : objectBytes - 1;
    return this.ok(last - start + 1);
  }

  private objectSize(url: string): number | undefined {
    const seg = parseSimSegmentUrl(url);
    if (seg === undefined) return undefined;
    return this.catalog.sizesBytes[seg.repIndex]?.[seg.segmentIndex];
  }

  private ok(sizeBytes: number): OriginResponse {
    this.okAnswer.sizeBytes = sizeBytes;
    return this.okAnswer;
  }

  private error(kind: TransportErrorKind): OriginResponse {
    this.errorAnswer.kind = kind;
    return this.errorAnswer;
  }
}
