import { InputError } from '../../core/errors.js';

/** One subsegment referenced by a `sidx` box. */
export interface SidxReference {
  /** Absolute byte offset in the file. */
  offset: number;
  sizeBytes: number;
  durationMs: number;
  /** reference_type 1: the entry points to another sidx (hierarchical index), not to media. */
  isIndex: boolean;
}

/**
 * Parses the Segment Index box (`sidx`, ISO/IEC 14496-12 §8.16.3) that DASH SegmentBase@indexRange points at,
 * turning it into absolute byte ranges. `boxFileOffset` is where `bytes` starts in the file; the references
 * start `first_offset` bytes after the end of the sidx box (the standard's anchor point).
 */
export function parseSidx(bytes: Uint8Array, boxFileOffset: number, source = 'sidx'): SidxReference[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  // Skip any boxes before the sidx (styp, free) within the fetched range.
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4] ?? 0, bytes[at + 5] ?? 0, bytes[at + 6] ?? 0, bytes[at + 7] ?? 0);
    if (type === 'sidx') return parseSidxBox(view, at, size, boxFileOffset, source);
    if (size < 8) break;
    at += size;
  }
  throw new InputError('no sidx box in the index range', { file: source });
}

function parseSidxBox(view: DataView, at: number, size: number, fileOffset: number, source: string): SidxReference[] {
  const fail = (what: string): never => {
    throw new InputError(`sidx box is truncated or invalid (${what})`, { file: source });
  };
  if (at + size > view.byteLength) fail(`box of ${size} bytes but only ${view.byteLength - at} fetched`);
  const version = view.getUint8(at + 8);
  let p = at + 12 + 4; // header, version+flags, reference_ID
  const timescale = view.getUint32(p);
  p += 4;
  if (!(timescale > 0)) fail('timescale 0');
  let firstOffset: number;
  if (version === 0) {
    p += 4; // earliest_presentation_time
    firstOffset = view.getUint32(p);
    p += 4;
  } else {
    p += 8;
    firstOffset = Number(view.getBigUint64(p));
    p += 8;
  }
  p += 2; // reserved
  const count = view.getUint16(p);
  p += 2;
  if (p + count * 12 > at + size) fail(`${count} references do not fit`);
  const refs: SidxReference[] = [];
  let offset = fileOffset + at + size + firstOffset;
  for (let i = 0; i < count; i++, p += 12) {
    const word = view.getUint32(p);
    const sizeBytes = word & 0x7fffffff;
    const duration = view.getUint32(p + 4);
    refs.push({ offset, sizeBytes, durationMs: (duration * 1000) / timescale, isIndex: word >>> 31 === 1 });
    offset += sizeBytes;
  }
  return refs;
}
