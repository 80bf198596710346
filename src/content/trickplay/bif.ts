/**
 * BIF ("Base Index Frames") files as the reference describes them (streaming-architecture.md §2.5.2, "Format 2"):
 * a 512-byte header — magic `BIF\0`, version, thumbnail count, interval in ms, all little-endian uint32 — then an
 * index of 8 bytes per thumbnail (timestamp ms, byte offset), then the JPEGs back to back. A thumbnail's size is
 * the distance to the next offset (the last one runs to the end of the file).
 *
 * This is the reference's layout, not Roku's published one (which has an 8-byte magic and frame numbers in its
 * index); we follow the design we model.
 */
import { InputError } from '../../core/errors.js';

export const BIF_MAGIC = Buffer.from('BIF\0', 'latin1');
export const BIF_HEADER_BYTES = 512;
export const BIF_INDEX_ENTRY_BYTES = 8;

export interface BifThumbnail {
  timestampMs: number;
  jpeg: Uint8Array;
}

export interface BifFile {
  version: number;
  intervalMs: number;
  thumbnails: BifThumbnail[];
}

export function writeBif(p: { thumbnails: readonly Uint8Array[]; intervalMs?: number; version?: number }): Buffer {
  const intervalMs = p.intervalMs ?? 10_000;
  const count = p.thumbnails.length;
  const header = Buffer.alloc(BIF_HEADER_BYTES);
  BIF_MAGIC.copy(header, 0);
  header.writeUInt32LE(p.version ?? 0, 4);
  header.writeUInt32LE(count, 8);
  header.writeUInt32LE(intervalMs, 12);
  const index = Buffer.alloc(count * BIF_INDEX_ENTRY_BYTES);
  let offset = BIF_HEADER_BYTES + index.length;
  p.thumbnails.forEach((jpeg, i) => {
    index.writeUInt32LE(i * intervalMs, i * BIF_INDEX_ENTRY_BYTES);
    index.writeUInt32LE(offset, i * BIF_INDEX_ENTRY_BYTES + 4);
    offset += jpeg.length;
  });
  return Buffer.concat([header, index, ...p.thumbnails.map((t) => Buffer.from(t.buffer, t.byteOffset, t.length))]);
}

/** Reads a BIF file; every inconsistency is an InputError naming the file and the byte position. */
export function readBif(data: Uint8Array, file = 'thumbnails.bif'): BifFile {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  const fail = (message: string): never => {
    throw new InputError(message, { file });
  };
  if (buf.length < BIF_HEADER_BYTES) fail(`too short for a BIF header: ${buf.length} bytes, need ${BIF_HEADER_BYTES}`);
  if (!buf.subarray(0, 4).equals(BIF_MAGIC)) fail('not a BIF file: bytes 0–3 are not "BIF\\0"');
  const version = buf.readUInt32LE(4);
  const count = buf.readUInt32LE(8);
  const intervalMs = buf.readUInt32LE(12);
  const dataStart = BIF_HEADER_BYTES + count * BIF_INDEX_ENTRY_BYTES;
  if (dataStart > buf.length) fail(`index of ${count} thumbnails runs past the end of the file (${buf.length} bytes)`);
  const entries: { timestampMs: number; offset: number }[] = [];
  for (let i = 0; i < count; i++) {
    const at = BIF_HEADER_BYTES + i * BIF_INDEX_ENTRY_BYTES;
    const entry = { timestampMs: buf.readUInt32LE(at), offset: buf.readUInt32LE(at + 4) };
    const prev = entries[i - 1];
    if (entry.offset < dataStart || entry.offset > buf.length) fail(`index entry ${i} (byte ${at}) points at ${entry.offset}, outside the data`);
    if (prev !== undefined && entry.offset < prev.offset) fail(`index entry ${i} (byte ${at}) goes backwards`);
    entries.push(entry);
  }
  const thumbnails = entries.map((e, i) => ({
    timestampMs: e.timestampMs,
    jpeg: new Uint8Array(buf.subarray(e.offset, entries[i + 1]?.offset ?? buf.length)),
  }));
  return { version, intervalMs, thumbnails };
}
