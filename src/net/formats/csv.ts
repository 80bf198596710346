import { parse } from 'csv-parse/sync';
import { InputError } from '../../core/errors.js';
import type { Trace } from '../trace.js';
import { adoptTrace } from './adopt.js';
import type { CsvOptions, CsvRateUnit, CsvTimeUnit, ParseContext } from './types.js';
import { GrowableFloat64 } from './growable.js';
import { assertSomeCapacity, emptyError, parseNumber, parseRate } from './text.js';
import { periodDurationsMs } from './abrlab-json.js';

/**
 * CSV traces with a header row. Two layouts:
 * - samples: a time column and a rate column; each rate holds from its time until the next row (as cooked);
 * - periods: a `duration…` column and a rate column (what `traces convert --to csv` writes), exact.
 * An optional `latency…` column (ms) becomes `trace.latencyMs`. Units come from options or from header
 * suffixes (`time_s`, `time_ms`, `bandwidth_kbps`, `rate_Mbps`, `tput_MBps`); a rate column whose unit cannot
 * be told is refused rather than guessed.
 */
const RATE_TO_KBPS: Record<CsvRateUnit, number> = { bps: 1e-3, kbps: 1, mbps: 1e3, Bps: 8e-3, kBps: 8, MBps: 8e3 };
const TIME_TO_MS: Record<CsvTimeUnit, number> = { s: 1000, ms: 1 };

export interface CsvLayout {
  delimiter: string;
  timeIdx: number | undefined;
  durationIdx: number | undefined;
  rateIdx: number;
  latencyIdx: number | undefined;
  timeToMs: number;
  rateToKbps: number;
  header: string[];
}

export function guessRateUnit(column: string): CsvRateUnit | undefined {
  if (/MBps$|MB\/s$/.test(column)) return 'MBps';
  if (/[kK]Bps$|[kK]B\/s$/.test(column)) return 'kBps';
  if (/(^|[^a-zA-Z])Bps$|B\/s$/.test(column)) return 'Bps';
  const c = column.toLowerCase().replace(/[()[\]\s]/g, '');
  if (/(mbps|mbit\/s|mbits|mbit)$/.test(c)) return 'mbps';
  if (/(kbps|kbit\/s|kbits|kbit)$/.test(c)) return 'kbps';
  if (/(bps|bit\/s|bits)$/.test(c)) return 'bps';
  return undefined;
}

export function guessTimeUnit(column: string): CsvTimeUnit | undefined {
  const c = column.toLowerCase().replace(/[()[\]\s]/g, '');
  if (/(^|_|-)ms$|millis(econds?)?$|ms$/.test(c)) return 'ms';
  if (/(^|_|-)s$|secs?$|seconds?$/.test(c)) return 's';
  return undefined;
}

/** Works out which columns hold what, and their units, from the header row. */
export function resolveCsvLayout(header: string[], opts: CsvOptions, file: string): CsvLayout {
  const where = { file, line: 1 };
  const find = (explicit: string | undefined, re: RegExp, what: string): number | undefined => {
    if (explicit !== undefined) {
      const i = header.indexOf(explicit);
      if (i < 0) throw new InputError(`no column named "${explicit}" for the ${what}; header is ${header.join(', ')}`, where);
      return i;
    }
    const i = header.findIndex((h) => re.test(h));
    return i < 0 ? undefined : i;
  };
  const durationIdx = find(undefined, /^duration/i, 'duration');
  const timeIdx = find(opts.timeColumn, /^(time|timestamp|t|start)([^a-z]|$)/i, 'time');
  const rateIdx = find(opts.rateColumn, /rate|bandwidth|throughput|tput|bw|capacity|bps|bit/i, 'rate');
  const latencyIdx = find(undefined, /^latency/i, 'latency');
  if (rateIdx === undefined) {
    throw new InputError(`no rate column (named like rate/bandwidth/throughput…); pass --rate-column. Header: ${header.join(', ')}`, where);
  }
  if (timeIdx === undefined && durationIdx === undefined) {
    throw new InputError(`no time or duration column; pass --time-column. Header: ${header.join(', ')}`, where);
  }
  const rateName = header[rateIdx] as string;
  const rateUnit = opts.rateUnit ?? guessRateUnit(rateName);
  if (rateUnit === undefined) {
    throw new InputError(`cannot tell the unit of rate column "${rateName}"; pass --rate-unit (bps, kbps, mbps, Bps, kBps, MBps)`, where);
  }
  const timeName = header[(durationIdx ?? timeIdx) as number] as string;
  const timeUnit = opts.timeUnit ?? guessTimeUnit(timeName);
  if (timeUnit === undefined) {
    throw new InputError(`cannot tell the unit of time column "${timeName}"; pass --time-unit (s or ms)`, where);
  }
  return {
    delimiter: opts.delimiter ?? ',',
    timeIdx: durationIdx === undefined ? timeIdx : undefined,
    durationIdx,
    rateIdx,
    latencyIdx,
    timeToMs: TIME_TO_MS[timeUnit],
    rateToKbps: RATE_TO_KBPS[rateUnit],
    header,
  };
}

/**
 * Accumulates CSV rows into a trace; shared by the in-memory and streaming readers. Rows arrive either as
 * strings (`addRow`) or already as numbers (`addValues`, the streaming fast path). `reserve(rows)` pre-sizes
 * the arrays so a large file does not pay the growth slack in memory.
 */
export class CsvTraceBuilder {
  private readonly times: GrowableFloat64;
  private readonly rates: GrowableFloat64;
  private readonly latencies: GrowableFloat64 | undefined;
  private prevLine = 0;

  constructor(
    private readonly layout: CsvLayout,
    private readonly source: string,
  ) {
    this.times = new GrowableFloat64();
    this.rates = new GrowableFloat64();
    this.latencies = layout.latencyIdx === undefined ? undefined : new GrowableFloat64();
  }

  /** Rows added so far, and rows the arrays hold before they must grow. */
  get rows(): number {
    return this.rates.length;
  }

  get capacity(): number {
    return this.rates.capacity;
  }

  /** Pre-sizes the arrays for `rows` rows in total (a streaming reader's estimate from the file size). */
  reserve(rows: number): void {
    this.times.reserve(rows);
    this.rates.reserve(rows);
    this.latencies?.reserve(rows);
  }

  /** Column index holding time (samples layout) or duration (periods layout). */
  get timeIndex(): number {
    return (this.layout.durationIdx ?? this.layout.timeIdx) as number;
  }

  addRow(field: (i: number) => string | undefined, nFields: number, lineNo: number): void {
    const where = { file: this.source, line: lineNo };
    const L = this.layout;
    if (nFields !== L.header.length) {
      throw new InputError(`expected ${L.header.length} fields as in the header, found ${nFields}`, where);
    }
    const ti = this.timeIndex;
    const time = parseNumber(field(ti), where, `${L.durationIdx !== undefined ? 'duration' : 'time'} (${L.header[ti]})`);
    const rate = parseRate(field(L.rateIdx), where, `rate (${L.header[L.rateIdx]})`);
    let latency: number | undefined;
    if (L.latencyIdx !== undefined) latency = parseNumber(field(L.latencyIdx), where, `latency (${L.header[L.latencyIdx]})`);
    this.addValues(time, rate, latency, lineNo);
  }

  /** Adds one row of parsed numbers in the file's units (finite, checked here for sign and order). */
  addValues(time: number, rate: number, latency: number | undefined, lineNo: number): void {
    const L = this.layout;
    if (rate < 0) {
      throw new InputError(`rate (${L.header[L.rateIdx]}) ${rate} is negative; rates must be >= 0`, { file: this.source, line: lineNo });
    }
    const tMs = time * L.timeToMs;
    if (L.durationIdx !== undefined) {
      if (!(tMs > 0)) throw new InputError(`duration ${tMs} ms must be > 0`, { file: this.source, line: lineNo });
    } else {
      const prev = this.times.last();
      if (prev !== undefined && !(tMs > prev)) {
        throw new InputError(`time ${tMs} ms is not later than line ${this.prevLine} (${prev} ms): times must strictly increase`, {
          file: this.source,
          line: lineNo,
        });
      }
    }
    this.times.push(tMs);
    this.rates.push(rate * L.rateToKbps);
    if (this.latencies !== undefined) {
      if (latency === undefined || latency < 0) {
        throw new InputError(`latency ${latency} ms must be >= 0`, { file: this.source, line: lineNo });
      }
      this.latencies.push(latency);
    }
    this.prevLine = lineNo;
  }

  finish(name: string): Trace {
    const n = this.rates.length;
    if (n === 0) throw emptyError(this.source);
    const ratesKbps = this.rates.view();
    assertSomeCapacity(ratesKbps, this.source);
    const times = this.times.view();
    // The samples layout's last rate lasts the mean spacing of the others, as traceFromSamples does.
    const lastDurationMs = n > 1 ? ((times[n - 1] as number) - (times[0] as number)) / (n - 1) : 1000;
    // The arrays are handed over, not copied (adopt.ts): a large CSV is held once, not twice.
    return adoptTrace({
      name,
      times,
      kind: this.layout.durationIdx === undefined ? 'starts' : 'durations',
      lastDurationMs,
      ratesKbps,
      ...(this.latencies !== undefined ? { latenciesMs: this.latencies.view() } : {}),
      source: this.source,
    });
  }
}

export function parseCsvTrace(text: string, ctx: ParseContext, opts: CsvOptions = {}): Trace {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: opts.delimiter ?? ',',
      trim: true,
      skip_empty_lines: true,
      comment: '#',
      relax_column_count: true,
      info: true,
      bom: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new InputError(`invalid CSV: ${e.message ?? String(err)}`, e.lines !== undefined ? { file: ctx.source, line: e.lines } : { file: ctx.source });
  }
  const head = records[0];
  if (head === undefined) throw emptyError(ctx.source);
  const layout = resolveCsvLayout(head.record, opts, ctx.source);
  const builder = new CsvTraceBuilder(layout, ctx.source);
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r] as { record: string[]; info: { lines: number } };
    builder.addRow((i) => record[i], record.length, info.lines);
  }
  return builder.finish(ctx.name);
}

/** Writes the periods layout: `start_ms,duration_ms,rate_kbps[,latency_ms]` (exact for every trace). */
export function formatCsv(trace: Trace): string {
  const d = periodDurationsMs(trace);
  const lat = trace.latencyMs;
  const lines = [lat === undefined ? 'start_ms,duration_ms,rate_kbps' : 'start_ms,duration_ms,rate_kbps,latency_ms'];
  for (let i = 0; i < d.length; i++) {
    const base = `${trace.startMs[i]},${d[i]},${trace.rateKbps[i]}`;
    lines.push(lat === undefined ? base : `${base},${lat[i]}`);
  }
  return `${lines.join('\n')}\n`;
}
