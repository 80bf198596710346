import type { Trace } from '../trace.js';

/**
 * Trace file formats abrlab reads. `cooked` is Pensieve's `time_s Mbit/s` text; `lumos5g`, `puffer` and
 * `fcc` are aliases for it because those public sets are distributed in the cooked form.
 */
export const TRACE_FORMATS = ['abrlab', 'mahimahi', 'cooked', 'sabre', 'oboe', 'csv', 'norway-raw'] as const;
export type CanonicalTraceFormat = (typeof TRACE_FORMATS)[number];

export const TRACE_FORMAT_ALIASES = {
  pensieve: 'cooked',
  lumos5g: 'cooked',
  puffer: 'cooked',
  fcc: 'cooked',
  norway: 'norway-raw',
  json: 'abrlab',
} as const satisfies Record<string, CanonicalTraceFormat>;

export type TraceFormatName = CanonicalTraceFormat | keyof typeof TRACE_FORMAT_ALIASES;

/** Formats abrlab can write (`traces convert --to`). */
export const TRACE_OUTPUT_FORMATS = ['abrlab', 'mahimahi', 'csv', 'cooked', 'sabre'] as const;
export type TraceOutputFormat = (typeof TRACE_OUTPUT_FORMATS)[number];

/** Unit of the rate column of a CSV trace. */
export type CsvRateUnit = 'bps' | 'kbps' | 'mbps' | 'Bps' | 'kBps' | 'MBps';
/** Unit of the time column of a CSV trace. */
export type CsvTimeUnit = 's' | 'ms';

export interface CsvOptions {
  /** Header name of the time column (default: first column whose name starts with `time` or `t`). */
  timeColumn?: string;
  /** Header name of the rate column (default: first column after the time column). */
  rateColumn?: string;
  /** Unit of the time column; default guessed from the header (`…_ms` / `…ms` → ms), else seconds. */
  timeUnit?: CsvTimeUnit;
  /** Unit of the rate column; default guessed from the header suffix, else kbps. */
  rateUnit?: CsvRateUnit;
  /** Field delimiter (default `,`). */
  delimiter?: string;
}

export interface MahimahiOptions {
  /** Bytes one delivery opportunity carries: mm-link's PACKET_SIZE is 1504 (src/frontend/link_queue.hh). */
  packetBytes?: number;
  /**
   * Width of the bins opportunities are counted in, ms. 1 is exact (Mahimahi's clock ticks in ms); coarser
   * bins average the capacity over the bin (total capacity is kept) and bound the trace's size for long files.
   * Default 1, except for files large enough to be streamed (>= 8 MiB), where it is 10 (see
   * STREAMED_MAHIMAHI_BIN_MS in index.ts).
   */
  binMs?: number;
}

export interface ParseOptions {
  /** Trace name (default: the file's base name). */
  name: string;
  /** Where the text came from, for error messages (a path). */
  source: string;
  /** Skip content sniffing and use this format. */
  format?: TraceFormatName;
  csv?: CsvOptions;
  mahimahi?: MahimahiOptions;
}

/** What a format parser needs: where the text came from, for errors and the trace's name. */
export interface ParseContext {
  name: string;
  source: string;
}

export type TextParser = (text: string, ctx: ParseContext) => Trace;

export function canonicalFormat(name: TraceFormatName): CanonicalTraceFormat {
  return name in TRACE_FORMAT_ALIASES
    ? TRACE_FORMAT_ALIASES[name as keyof typeof TRACE_FORMAT_ALIASES]
    : (name as CanonicalTraceFormat);
}

export function isTraceFormatName(s: string): s is TraceFormatName {
  return (TRACE_FORMATS as readonly string[]).includes(s) || s in TRACE_FORMAT_ALIASES;
}
