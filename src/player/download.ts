import type { TransferHandle, TransferListener, TransferTiming, TransportErrorKind } from './transport.js';

/** What a download reports back to; implemented by the player session. */
export interface DownloadOwner {
  downloadDone(d: Download, timing: TransferTiming): void;
  downloadFailed(d: Download, kind: TransportErrorKind, atMs: number): void;
}

/**
 * One segment request in flight. It is its own transfer listener, so a request costs one object and no
 * closures (hot path).
 */
export class Download implements TransferListener {
  handle: TransferHandle | undefined;
  /** Bytes already counted in an aggregate throughput sample (throughput-sample.ts). */
  sampledBytes = 0;

  constructor(
    private readonly owner: DownloadOwner,
    readonly segmentIndex: number,
    readonly repIndex: number,
    readonly requestMs: number,
    /** Size from the catalog, used until the transport knows the real one. */
    readonly expectedBytes: number,
  ) {}

  onDone(timing: TransferTiming): void {
    this.owner.downloadDone(this, timing);
  }

  onError(kind: TransportErrorKind, atMs: number): void {
    this.owner.downloadFailed(this, kind, atMs);
  }
}
