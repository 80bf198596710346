import { open, type FileHandle } from 'node:fs/promises';

/**
 * Where the bytes of a response body come from, handed out in pieces of any size as the shaper allows. Both
 * kinds keep memory bounded: synthetic bodies are slices of one shared buffer, file bodies read ahead at most
 * `READ_AHEAD_BYTES`.
 */
export interface BodySource {
  /** Bytes that can be taken right now without waiting. */
  available(): number;
  /** Takes `n` bytes (at most `available()`), as one or more buffers. */
  take(n: number): Buffer[];
  /** Releases files; called once when the response ends or is abandoned. */
  close(): void;
}

/** 64 KiB of deterministic filler shared by every synthetic body (never mutated). */
const FILLER: Buffer = (() => {
  const b = Buffer.alloc(64 * 1024);
  // A byte pattern rather than zeros so that nothing on the path (compression, sparse files) shortcuts it.
  for (let i = 0; i < b.length; i++) b[i] = (i * 131 + 7) & 0xff;
  return b;
})();

/**
 * Bytes `[start, end]` of a generated object: byte p of every object is `FILLER[p mod 64 Ki]`, so a range is the
 * same bytes as that part of the whole body. Every byte is available at once, none is stored.
 */
export class SyntheticBody implements BodySource {
  private pos: number;
  private left: number;

  constructor(range: { start: number; end: number }) {
    this.pos = range.start;
    this.left = range.end - range.start + 1;
  }

  available(): number {
    return this.left;
  }

  take(n: number): Buffer[] {
    const out: Buffer[] = [];
    let want = Math.min(n, this.left);
    this.left -= want;
    while (want > 0) {
      const at = this.pos % FILLER.length;
      const k = Math.min(want, FILLER.length - at);
      out.push(FILLER.subarray(at, at + k));
      this.pos += k;
      want -= k;
    }
    return out;
  }

  close(): void {
    this.left = 0;
  }
}

/** Read-ahead of a file body: enough for ~50 ms at 40 Mbit/s without holding whole segments in memory. */
export const READ_AHEAD_BYTES = 256 * 1024;
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * A byte range of a file, read ahead in 64 KiB chunks into a small queue; `onReadable` is called when bytes
 * arrive after the queue ran dry (the shaper wakes the flow), `onError` when the file cannot be read.
 */
export class FileBody implements BodySource {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private nextOffset: number;
  private readonly endExclusive: number;
  private reading = false;
  private closed = false;
  private handle: FileHandle | undefined;

  constructor(
    private readonly path: string,
    range: { start: number; end: number },
    private readonly onReadable: () => void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.nextOffset = range.start;
    this.endExclusive = range.end + 1;
    this.fill();
  }

  available(): number {
    return this.queued;
  }

  take(n: number): Buffer[] {
    const out: Buffer[] = [];
    let want = Math.min(n, this.queued);
    while (want > 0) {
      const head = this.queue[0] as Buffer;
      if (head.length <= want) {
        out.push(head);
        this.queue.shift();
        want -= head.length;
        this.queued -= head.length;
      } else {
        out.push(head.subarray(0, want));
        this.queue[0] = head.subarray(want);
        this.queued -= want;
        want = 0;
      }
    }
    this.fill();
    return out;
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queued = 0;
    const h = this.handle;
    this.handle = undefined;
    if (h !== undefined && !this.reading) void h.close().catch(() => undefined);
  }

  private fill(): void {
    if (this.reading || this.closed || this.queued >= READ_AHEAD_BYTES || this.nextOffset >= this.endExclusive) return;
    this.reading = true;
    void this.readChunk().then(
      () => {
        this.reading = false;
        if (this.closed) return void this.handle?.close().catch(() => undefined);
        this.onReadable();
        this.fill();
      },
      (err: unknown) => {
        this.reading = false;
        if (!this.closed) this.onError(err);
      },
    );
  }

  private async readChunk(): Promise<void> {
    this.handle ??= await open(this.path, 'r');
    const len = Math.min(READ_CHUNK_BYTES, this.endExclusive - this.nextOffset);
    const buf = Buffer.allocUnsafe(len);
    const { bytesRead } = await this.handle.read(buf, 0, len, this.nextOffset);
    if (bytesRead === 0) throw new Error(`${this.path}: file shorter than expected`);
    this.nextOffset += bytesRead;
    if (this.closed) return;
    this.queue.push(buf.subarray(0, bytesRead));
    this.queued += bytesRead;
  }
}

/** A parsed `Range` header against an object of `sizeBytes`. */
export type RangeAnswer = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Interprets a `Range` header (RFC 9110 §14.1.2, single byte range; `a-b`, `a-`, `-suffix`). A header that is
 * not a single byte range is ignored (the full object is sent, which the RFC allows); a range starting past the
 * end is unsatisfiable (416); an end past the object is clamped.
 */
export function parseRange(header: string | undefined, sizeBytes: number): RangeAnswer {
  if (header === undefined) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || sizeBytes === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, sizeBytes - suffix), end: sizeBytes - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? sizeBytes - 1 : Number(m[2]);
  if (m[2] !== '' && end < start) return { kind: 'full' };
  if (start >= sizeBytes) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, sizeBytes - 1) };
}
