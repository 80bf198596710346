import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../../core/errors.js';
import type { Trace } from '../trace.js';
import { CsvTraceBuilder, resolveCsvLayout } from './csv.js';
import { MahimahiAccumulator } from './mahimahi.js';
import { clip } from './text.js';
import type { CsvOptions, MahimahiOptions } from './types.js';

/**
 * Streaming readers for large line-oriented trace files: the file is read in 1 MiB chunks and never held
 * whole, so memory is bounded by the trace being built. Mahimahi is parsed byte by byte straight from the
 * chunks (no string per line); CSV makes one string per line and splits it.
 */
const CHUNK_BYTES = 1 << 20;

async function* readChunks(path: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read trace file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path });
  } finally {
    stream.destroy();
  }
}

/**
 * Calls `onLine(buf, start, end, lineNo)` for every line of the file, `end` excluding the newline and a
 * trailing CR. The buffer is only valid during the call. Lines that straddle two chunks are joined (the one
 * copy per chunk boundary).
 */
export async function forEachLineInFile(
  path: string,
  onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void,
): Promise<void> {
  let carry: Buffer | undefined;
  let lineNo = 0;
  const emit = (buf: Buffer, start: number, end: number): void => {
    lineNo++;
    onLine(buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end, lineNo);
  };
  for await (const chunk of readChunks(path)) {
    let pos = 0;
    if (carry !== undefined) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const joined = Buffer.concat([carry, chunk.subarray(0, nl)]);
      carry = undefined;
      emit(joined, 0, joined.length);
      pos = nl + 1;
    }
    for (let nl = chunk.indexOf(10, pos); nl !== -1; nl = chunk.indexOf(10, pos)) {
      emit(chunk, pos, nl);
      pos = nl + 1;
    }
    if (pos < chunk.length) carry = Buffer.from(chunk.subarray(pos));
  }
  if (carry !== undefined && carry.length > 0) emit(carry, 0, carry.length);
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;

/**
 * Streams a Mahimahi file. A small state machine parses each timestamp's digits as they arrive, so no line
 * is ever turned into a string (only an error message builds one).
 */
export async function streamMahimahiFile(path: string, opts: { name: string; mahimahi?: MahimahiOptions }): Promise<Trace> {
  const acc = new MahimahiAccumulator(path, opts.mahimahi);
  let value = 0;
  let digits = 0;
  let trailing = false; // whitespace seen after the digits
  let comment = false;
  let lineNo = 1;
  const bad = (chunk: Buffer, i: number): InputError => {
    let end = chunk.indexOf(NL, i);
    if (end === -1) end = chunk.length;
    const token = chunk.toString('latin1', Math.max(0, i - digits), end).trim();
    return new InputError(
      `"${clip(token)}" is not a millisecond timestamp (Mahimahi lines hold one non-negative integer each)`,
      { file: path, line: lineNo },
    );
  };
  for await (const chunk of readChunks(path)) {
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i] as number;
      if (b === NL) {
        if (digits > 0) acc.push(value, lineNo);
        value = 0;
        digits = 0;
        trailing = false;
        comment = false;
        lineNo++;
      } else if (comment) {
        continue;
      } else if (b >= DIGIT_0 && b <= DIGIT_9) {
        if (trailing) throw bad(chunk, i);
        value = value * 10 + (b - DIGIT_0);
        digits++;
      } else if (b === SPACE || b === TAB || b === CR) {
        if (digits > 0) trailing = true;
      } else if (b === HASH && digits === 0) {
        comment = true;
      } else {
        throw bad(chunk, i);
      }
    }
  }
  if (digits > 0) acc.push(value, lineNo);
  return acc.finish(opts.name);
}

/** Exact powers of ten up to 1e22 (all representable in a double), for the fast decimal path. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_EXACT = 2 ** 53;

/**
 * Parses a plain decimal (`-12.345`, surrounding blanks allowed) straight from bytes; NaN for anything else
 * (exponents, signs in odd places, too many digits), in which case the caller falls back to Number().
 * Exact: the digits form an integer m < 2^53 and the result is m / 10^k with 10^k exact, one correctly
 * rounded division, the same double Number() gives (Clinger's fast path, PLDI'90).
 */
export function parsePlainDecimal(buf: Buffer, start: number, end: number): number {
  while (start < end && (buf[start] === SPACE || buf[start] === TAB)) start++;
  while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
  if (start === end) return NaN;
  let negative = false;
  if (buf[start] === 45 /* - */) {
    negative = true;
    start++;
  } else if (buf[start] === 43 /* + */) start++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b >= DIGIT_0 && b <= DIGIT_9) {
      mantissa = mantissa * 10 + (b - DIGIT_0);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (b === 46 /* . */ && fraction < 0) {
      fraction = 0;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || mantissa >= MAX_EXACT || fraction > 22) return NaN;
  const v = fraction > 0 ? mantissa / (POW10[fraction] as number) : mantissa;
  return negative ? -v : v;
}

/**
 * Streams a CSV trace with a header row. Data lines are split and their time, rate and latency fields parsed
 * from the bytes (nothing else is decoded); a line with quotes, or a field that is not a plain decimal, takes
 * the string path (csv-parse for the quoted line), which also produces the precise error message.
 */
export async function streamCsvFile(path: string, opts: { name: string; csv?: CsvOptions }): Promise<Trace> {
  const csvOpts = opts.csv ?? {};
  const delimiter = csvOpts.delimiter ?? ',';
  const delimByte = Buffer.byteLength(delimiter) === 1 ? delimiter.charCodeAt(0) : -1;
  let fileBytes = 0;
  try {
    fileBytes = statSync(path).size;
  } catch {
    // readChunks reports the missing file with its own InputError.
  }
  let builder: CsvTraceBuilder | undefined;
  let nHeader = 0;
  let hasLatency = false;
  let dataBytes = 0;
  let remainingBytes = 0;
  let wanted: Int32Array = new Int32Array(0); // column → slot (0 time, 1 rate, 2 latency) or -1
  const starts = new Int32Array(3);
  const ends = new Int32Array(3);
  let fields: string[] = [];
  const field = (i: number): string | undefined => fields[i];
  const slowRow = (line: string, lineNo: number): string[] | undefined => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return undefined;
    if (!trimmed.includes('"')) return trimmed.split(delimiter).map((f) => f.trim());
    try {
      return (parse(trimmed, { delimiter, trim: true }) as string[][])[0] ?? [];
    } catch (err) {
      throw new InputError(`invalid CSV: ${(err as Error).message}`, { file: path, line: lineNo });
    }
  };
  await forEachLineInFile(path, (buf, start, end, lineNo) => {
    if (builder === undefined) {
      let line = buf.toString('utf8', start, end);
      if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      const header = slowRow(line, lineNo);
      if (header === undefined) return;
      const layout = resolveCsvLayout(header, csvOpts, path);
      builder = new CsvTraceBuilder(layout, path);
      remainingBytes = fileBytes - (end - start);
      nHeader = header.length;
      wanted = new Int32Array(nHeader).fill(-1);
      wanted[builder.timeIndex] = 0;
      wanted[layout.rateIdx] = 1;
      hasLatency = layout.latencyIdx !== undefined;
      if (layout.latencyIdx !== undefined) wanted[layout.latencyIdx] = 2;
      return;
    }
    dataBytes += end - start + 1;
    if (builder.rows === builder.capacity) {
      // Pre-size from the file size and the mean length of the rows so far (+2 %), instead of paying the
      // growth slack on a large import; re-estimated whenever the estimate runs out.
      const estimate = Math.ceil(((builder.rows + 1) * remainingBytes * 1.02) / dataBytes);
      builder.reserve(Math.max(estimate, Math.ceil(builder.capacity * 1.05), 1024));
    }
    // Fast path: one pass over the bytes to find the wanted fields.
    let fast = delimByte >= 0;
    let col = 0;
    let fieldStart = start;
    let blank = true;
    for (let i = start; fast && i <= end; i++) {
      const b = i < end ? (buf[i] as number) : delimByte;
      if (b === 34 /* " */) fast = false;
      else if (b === delimByte) {
        if (col < nHeader) {
          const slot = wanted[col] as number;
          if (slot >= 0) {
            starts[slot] = fieldStart;
            ends[slot] = i;
          }
        }
        col++;
        fieldStart = i + 1;
      } else if (b === HASH && blank) {
        return; // comment line
      } else if (b !== SPACE && b !== TAB) blank = false;
    }
    if (fast && blank && col <= 1) return; // empty line
    if (fast && col === nHeader) {
      const b = builder;
      const time = parsePlainDecimal(buf, starts[0] as number, ends[0] as number);
      const rate = parsePlainDecimal(buf, starts[1] as number, ends[1] as number);
      const latency = hasLatency ? parsePlainDecimal(buf, starts[2] as number, ends[2] as number) : undefined;
      if (time === time && rate === rate && latency === latency) {
        b.addValues(time, rate, latency, lineNo);
        return;
      }
    }
    const row = slowRow(buf.toString('utf8', start, end), lineNo);
    if (row === undefined) return;
    fields = row;
    builder.addRow(field, fields.length, lineNo);
  });
  if (builder === undefined) throw new InputError('the trace file is empty (no data lines)', { file: path });
  return (builder as CsvTraceBuilder).finish(opts.name);
}
