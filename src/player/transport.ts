/**
 * The player's only view of the network (DESIGN.md, "One player, two drivers"). The simulator implements it
 * with the fluid link and the origin/CDN model; live mode with HTTP.
 */

/** Why a request failed. */
export type TransportErrorKind =
  | 'http-404'
  | 'http-416'
  | 'http-503'
  | 'http-other'
  | 'timeout'
  | 'connection-reset'
  | 'connection-refused'
  | 'aborted';

export interface TransportRequest {
  url: string;
  /** Inclusive byte range, as in an HTTP Range header. */
  rangeBytes?: { start: number; end: number };
  /** Lower runs first when a transport queues requests; the simulator shares capacity equally regardless. */
  priority?: number;
  /** Give up with `timeout` if no first byte arrives within this many ms. */
  timeoutMs?: number;
}

/** What a finished transfer reports. Times are on the session `Clock`. */
export interface TransferTiming {
  requestMs: number;
  firstByteMs: number;
  doneMs: number;
  bytes: number;
}

/**
 * Callbacks of one request. A listener object rather than an emitter so that the hot path allocates no
 * closure per event.
 */
export interface TransferListener {
  onFirstByte?(atMs: number): void;
  /** Live transports report progress as it arrives; the simulator reports none (poll `loadedBytes`). */
  onProgress?(loadedBytes: number): void;
  onDone(timing: TransferTiming): void;
  onError(kind: TransportErrorKind, atMs: number): void;
}

export interface TransferHandle {
  /** Bytes received so far. */
  loadedBytes(): number;
  /** Total size if known (Content-Length), else undefined. */
  totalBytes(): number | undefined;
  /** Time of the first byte, or undefined before it. */
  firstByteMs(): number | undefined;
  /** Stops the transfer at once and frees its share of the link; no further callbacks. */
  abort(): void;
}

export interface Transport {
  request(req: TransportRequest, listener: TransferListener): TransferHandle;
}
