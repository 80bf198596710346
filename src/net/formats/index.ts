import { open, readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Trace } from '../trace.js';
import { parseAbrlabJson, formatAbrlabJson } from './abrlab-json.js';
import { parseCooked, formatCooked } from './cooked.js';
import { parseCsvTrace, formatCsv } from './csv.js';
import { detectTraceFormat } from './detect.js';
import { parseMahimahi, formatMahimahi } from './mahimahi.js';
import { parseNorwayRaw } from './norway-raw.js';
import { parseOboe, type OboeGapMode } from './oboe.js';
import { parseSabreJson, formatSabreJson } from './sabre.js';
import { streamCsvFile, streamMahimahiFile } from './stream.js';
import {
  canonicalFormat,
  type CanonicalTraceFormat,
  type CsvOptions,
  type MahimahiOptions,
  type TraceFormatName,
  type TraceOutputFormat,
} from './types.js';

export * from './types.js';
export { detectTraceFormat } from './detect.js';
export { abrlabTraceSchema, toAbrlabJson, periodDurationsMs } from './abrlab-json.js';
export { MAHIMAHI_PACKET_BYTES } from './mahimahi.js';
export type { OboeGapMode } from './oboe.js';

export interface TraceParseOptions {
  /** Trace name; defaults to the file's base name without extension. */
  name: string;
  /** Where the text came from (a path), for error messages. */
  source: string;
  /** Skip content sniffing and parse as this format. */
  format?: TraceFormatName;
  csv?: CsvOptions;
  mahimahi?: MahimahiOptions;
  oboe?: { gaps?: OboeGapMode };
}

export type TraceLoadOptions = Partial<Omit<TraceParseOptions, 'source'>>;

/**
 * Files at least this large, in a line format that can stream (Mahimahi, CSV), are read in chunks instead
 * of as one string, so memory stays bounded by the trace's periods rather than the file's text.
 */
const STREAM_THRESHOLD_BYTES = 8 * 1024 * 1024;
/**
 * CSV streams from 1 MiB: the streamed reader's byte-level fast path runs at ~250 MB/s where csv-parse over
 * the whole text (with per-record line info) manages ~3 MB/s here, and both give the same trace (fuzzed in
 * test/net/formats/fuzz-streams.test.ts). csv-parse still reads every line with quotes.
 */
const CSV_STREAM_THRESHOLD_BYTES = 1024 * 1024;
/**
 * Default Mahimahi bin for streamed (>= 8 MiB) files, ms. At 1 ms a Mahimahi trace has about one period per
 * active millisecond (the 271 KB ATT sample gives 42,229), so a 100 MB file would need ~15 M periods and
 * ~400 MB; 10 ms bins bound that tenfold while changing a segment download's finish time by under 10 ms.
 * Pass `mahimahi.binMs: 1` (`--bin-ms 1`) for the exact schedule.
 */
export const STREAMED_MAHIMAHI_BIN_MS = 10;
/** Bytes read to sniff the format. */
const SNIFF_BYTES = 64 * 1024;

/** Parses trace text of any supported format (sniffed unless `format` is given) into a Trace. */
export function parseTraceText(text: string, opts: TraceParseOptions): Trace {
  const fmt = opts.format !== undefined ? canonicalFormat(opts.format) : detectTraceFormat(text.slice(0, SNIFF_BYTES), opts.source);
  const ctx = { name: opts.name, source: opts.source };
  switch (fmt) {
    case 'abrlab':
      return parseAbrlabJson(text, ctx);
    case 'sabre':
      return parseSabreJson(text, ctx);
    case 'cooked':
      return parseCooked(text, ctx);
    case 'mahimahi':
      return parseMahimahi(text, ctx, opts.mahimahi);
    case 'oboe':
      return parseOboe(text, ctx, opts.oboe);
    case 'csv':
      return parseCsvTrace(text, ctx, opts.csv);
    case 'norway-raw':
      return parseNorwayRaw(text, ctx);
  }
}

/** Default trace name for a file: its base name without the extension. */
export function traceNameFromPath(path: string): string {
  const base = basename(path);
  const ext = extname(base);
  return ext.length > 0 && ext.length < base.length ? base.slice(0, -ext.length) : base;
}

/**
 * Loads a trace file, detecting its format by content unless `opts.format` says. Large Mahimahi and CSV files
 * are streamed. Every failure (missing file, bad content) is an InputError naming the file.
 */
export async function loadTraceFile(path: string, opts: TraceLoadOptions = {}): Promise<Trace> {
  const name = opts.name ?? traceNameFromPath(path);
  let sizeBytes: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InputError('not a regular file', { file: path });
    sizeBytes = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read trace file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path });
  }
  if (sizeBytes === 0) throw new InputError('the trace file is empty', { file: path });
  const fmt: CanonicalTraceFormat =
    opts.format !== undefined ? canonicalFormat(opts.format) : detectTraceFormat(await readHead(path), path);
  if (sizeBytes >= STREAM_THRESHOLD_BYTES && fmt === 'mahimahi') {
    const mahimahi = { binMs: STREAMED_MAHIMAHI_BIN_MS, ...opts.mahimahi };
    return streamMahimahiFile(path, { name, mahimahi });
  }
  if (sizeBytes >= CSV_STREAM_THRESHOLD_BYTES && fmt === 'csv') {
    return streamCsvFile(path, { name, ...(opts.csv !== undefined ? { csv: opts.csv } : {}) });
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read trace file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path });
  }
  return parseTraceText(text, { ...opts, name, source: path, format: fmt });
}

/** The format of a trace file, detected from its first 64 KiB (InputError if unreadable or unrecognised). */
export async function detectTraceFileFormat(path: string): Promise<CanonicalTraceFormat> {
  let head: string;
  try {
    head = await readHead(path);
  } catch (err) {
    throw new InputError(`cannot read trace file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path });
  }
  return detectTraceFormat(head, path);
}

async function readHead(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** Serialises a trace in one of the output formats. */
export function formatTrace(trace: Trace, format: TraceOutputFormat, opts: { packetBytes?: number } = {}): string {
  switch (format) {
    case 'abrlab':
      return formatAbrlabJson(trace);
    case 'mahimahi':
      return formatMahimahi(trace, opts);
    case 'csv':
      return formatCsv(trace);
    case 'cooked':
      return formatCooked(trace);
    case 'sabre':
      return formatSabreJson(trace);
  }
}
