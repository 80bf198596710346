import type { Clock } from '../../src/core/clock.js';
import type { AbrPolicy } from '../../src/abr/types.js';
import type { ThroughputEstimator } from '../../src/abr/types.js';
import { parseCatalog, type Catalog } from '../../src/origin/catalog.js';
import { parseSimSegmentUrl } from '../../src/origin/urls.js';
import type { TransferHandle, TransferListener, Transport, TransportRequest } from '../../src/player/transport.js';

/**
 * A transport where every request is independent: first byte after `latencyMs`, then `kbps` for that request
 * alone (no sharing), so tests can compute completion times by hand. Records requests and aborts.
 */
export class FakeTransport implements Transport {
  readonly requests: { url: string; atMs: number }[] = [];
  readonly aborted: string[] = [];
  /** Per-request rate override, by call order. */
  kbpsOf: (n: number) => number;

  constructor(
    private readonly clock: Clock,
    private readonly catalog: Catalog,
    private readonly opts: { latencyMs: number; kbps: number },
  ) {
    this.kbpsOf = () => opts.kbps;
  }

  request(req: TransportRequest, listener: TransferListener): TransferHandle {
    const n = this.requests.length;
    const now = this.clock.nowMs();
    this.requests.push({ url: req.url, atMs: now });
    const seg = parseSimSegmentUrl(req.url);
    if (seg === undefined) throw new Error(`fake transport: bad url ${req.url}`);
    const bytes = this.catalog.sizesBytes[seg.repIndex]?.[seg.segmentIndex] ?? 0;
    const firstByteMs = now + this.opts.latencyMs;
    const kbps = this.kbpsOf(n);
    const doneMs = firstByteMs + (bytes * 8) / kbps;
    let live = true;
    const timer = this.clock.setTimer(doneMs, () => {
      if (!live) return;
      live = false;
      listener.onDone({ requestMs: now, firstByteMs, doneMs, bytes });
    });
    const clock = this.clock;
    const aborted = this.aborted;
    return {
      loadedBytes: () => Math.max(0, Math.min(bytes, ((clock.nowMs() - firstByteMs) * kbps) / 8)),
      totalBytes: () => bytes,
      firstByteMs: () => (clock.nowMs() >= firstByteMs ? firstByteMs : undefined),
      abort: () => {
        if (!live) return;
        live = false;
        clock.cancel(timer);
        aborted.push(req.url);
      },
    };
  }
}

/** A policy that always answers `index` (and records the contexts' buffer levels). */
export function fixedPolicy(index: number): AbrPolicy & { buffersMs: number[] } {
  const buffersMs: number[] = [];
  return {
    name: `fixed-${index}`,
    buffersMs,
    chooseRepresentation(ctx) {
      buffersMs.push(ctx.bufferMs);
      return { index, reason: 'fixed' };
    },
  };
}

/** An estimator that never has an estimate (policies under test do not need one). */
export function nullEstimator(): ThroughputEstimator {
  return { addSample() {}, estimateKbps: () => undefined, reset() {} };
}

/** A CBR catalog: one or more rungs, `segments` segments of `segmentMs`, sizes exactly nominal. */
export function cbrCatalog(p: { ratesKbps: number[]; segments: number; segmentMs?: number; heights?: number[] }): Catalog {
  const segmentMs = p.segmentMs ?? 4000;
  return parseCatalog({
    name: 'test',
    segmentDurationMs: segmentMs,
    segmentCount: p.segments,
    representations: p.ratesKbps.map((kbps, i) => ({
      id: `r${i}`,
      bitrateKbps: kbps,
      width: Math.round((16 * (p.heights?.[i] ?? 360)) / 9),
      height: p.heights?.[i] ?? 360,
      segmentSizesBytes: Array.from({ length: p.segments }, () => (kbps * segmentMs) / 8),
    })),
  });
}
