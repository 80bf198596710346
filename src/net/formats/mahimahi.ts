import { InputError } from '../../core/errors.js';
import { BITS_PER_BYTE } from '../../core/units.js';
import { cumulativeBits, type Trace } from '../trace.js';
import { adoptTrace } from './adopt.js';
import type { MahimahiOptions, ParseContext } from './types.js';
import { GrowableFloat64 } from './growable.js';
import { clip, emptyError, forEachDataLine } from './text.js';

/**
 * Mahimahi link traces (Netravali et al., USENIX ATC'15; ravinet/mahimahi `traces/`): one integer per line, a
 * millisecond timestamp at which one delivery opportunity of up to PACKET_SIZE = 1504 bytes occurs
 * (`src/frontend/link_queue.hh`; the README rounds it to 1500). Repeated timestamps are several opportunities
 * in the same millisecond; timestamps never decrease; the schedule repeats with period = the last timestamp
 * (`link_queue.cc` adds `schedule_.back()` to its base on wrap), so an opportunity at exactly the last
 * timestamp coincides with time 0 of the next loop and is counted there.
 */
export const MAHIMAHI_PACKET_BYTES = 1504;

/**
 * Turns a non-decreasing stream of opportunity timestamps into run-length periods of equal capacity. Used by
 * the in-memory parser and the streaming file reader alike; allocates only when its arrays double.
 */
export class MahimahiAccumulator {
  private readonly binMs: number;
  private readonly packetBits: number;
  private readonly durations = new GrowableFloat64();
  private readonly counts = new GrowableFloat64();
  private curBin = 0;
  private curCount = 0;
  private lastTs = -1;
  private countAtLast = 0;
  private total = 0;

  constructor(
    private readonly source: string,
    opts: MahimahiOptions = {},
  ) {
    this.binMs = opts.binMs ?? 1;
    if (!(this.binMs > 0) || !Number.isInteger(this.binMs)) {
      throw new InputError(`Mahimahi bin width ${this.binMs} ms must be a positive integer`, { file: source });
    }
    const packetBytes = opts.packetBytes ?? MAHIMAHI_PACKET_BYTES;
    if (!(packetBytes > 0)) throw new InputError(`packet size ${packetBytes} bytes must be > 0`, { file: source });
    this.packetBits = packetBytes * BITS_PER_BYTE;
  }

  /** Adds one opportunity at `ts` ms; `lineNo` is for the error if it goes backwards. */
  push(ts: number, lineNo: number): void {
    if (ts < this.lastTs) {
      throw new InputError(
        `timestamp ${ts} ms is earlier than the previous one (${this.lastTs} ms): Mahimahi timestamps must not decrease`,
        { file: this.source, line: lineNo },
      );
    }
    if (ts === this.lastTs) this.countAtLast++;
    else {
      this.countAtLast = 1;
      this.lastTs = ts;
    }
    this.total++;
    const bin = Math.floor(ts / this.binMs);
    if (bin === this.curBin) {
      this.curCount++;
      return;
    }
    this.emit(this.binMs, this.curCount, this.curBin === 0);
    if (bin > this.curBin + 1) this.emit((bin - this.curBin - 1) * this.binMs, 0, false);
    this.curBin = bin;
    this.curCount = 1;
  }

  /** The trace: period = last timestamp, opportunities at that timestamp folded into time 0. */
  finish(name: string): Trace {
    if (this.total === 0) throw emptyError(this.source);
    const periodMs = this.lastTs;
    if (!(periodMs > 0)) {
      throw new InputError(
        'the last timestamp is 0 ms: a Mahimahi trace repeats with period = its last timestamp, which must be > 0',
        { file: this.source },
      );
    }
    const binStart = this.curBin * this.binMs;
    const openCount = this.curCount - this.countAtLast;
    if (this.curBin === 0) {
      // Whole trace within one bin: [0, period) holds every opportunity (those at `period` wrap to 0).
      this.emit(periodMs, this.curCount, true);
    } else {
      if (periodMs > binStart) this.emit(periodMs - binStart, openCount, false);
      this.counts.set(0, this.counts.get(0) + this.countAtLast);
    }
    let rates = this.counts.view();
    let durs = this.durations.view();
    // Rates in place: count opportunities × bits each ÷ ms = kbps.
    for (let i = 0; i < rates.length; i++) rates[i] = ((rates[i] as number) * this.packetBits) / (durs[i] as number);
    // Bin 0 was kept apart for the wrapped opportunities; merge it now if it matches its neighbour.
    if (rates.length > 1 && rates[0] === rates[1]) {
      durs[1] = (durs[1] as number) + (durs[0] as number);
      rates = rates.subarray(1);
      durs = durs.subarray(1);
    }
    // Handed over, not copied (adopt.ts): a streamed 100 MB file's periods are held once.
    return adoptTrace({ name, times: durs, kind: 'durations', ratesKbps: rates, source: this.source });
  }

  /** Appends a period, merging it into the previous one when their counts per ms match (run-length). */
  private emit(durationMs: number, count: number, isFirstBin: boolean): void {
    const n = this.durations.length;
    // Bin 0 stays its own period so the wrapped opportunities can be added to it at the end.
    if (!isFirstBin && n > 1) {
      const prevDur = this.durations.get(n - 1);
      const prevCount = this.counts.get(n - 1);
      if (prevCount * durationMs === count * prevDur) {
        this.durations.set(n - 1, prevDur + durationMs);
        this.counts.set(n - 1, prevCount + count);
        return;
      }
    }
    this.durations.push(durationMs);
    this.counts.push(count);
  }
}

/** Parses one timestamp token: a non-negative integer. */
export function parseMahimahiTimestamp(token: string, where: { file: string; line: number }): number {
  if (!/^\d+$/.test(token)) {
    throw new InputError(
      `"${clip(token)}" is not a millisecond timestamp (Mahimahi lines hold one non-negative integer each)`,
      where,
    );
  }
  return Number(token);
}

export function parseMahimahi(text: string, ctx: ParseContext, opts: MahimahiOptions = {}): Trace {
  const acc = new MahimahiAccumulator(ctx.source, opts);
  forEachDataLine(text, (line, lineNo) => {
    acc.push(parseMahimahiTimestamp(line, { file: ctx.source, line: lineNo }), lineNo);
  });
  return acc.finish(ctx.name);
}

/**
 * Writes a Mahimahi schedule for `trace` so abrlab traces can drive `mm-link`. At each millisecond t = 1..D
 * (D = the loop length rounded to whole ms) it emits as many opportunities as bring the cumulative count to
 * floor(capacity(0, t) / packet bits). Mahimahi's period is the last timestamp, so if no opportunity falls at
 * D one is added there: the capacity per loop is then off by less than one packet.
 */
export function formatMahimahi(trace: Trace, opts: { packetBytes?: number } = {}): string {
  const packetBits = (opts.packetBytes ?? MAHIMAHI_PACKET_BYTES) * BITS_PER_BYTE;
  const endMs = Math.max(1, Math.round(trace.durationMs));
  const scale = trace.durationMs / endMs;
  const parts: string[] = [];
  let emitted = 0;
  let lastTs = 0;
  for (let t = 1; t <= endMs; t++) {
    const due = Math.floor(cumulativeBits(trace, t * scale) / packetBits + 1e-9);
    if (due > emitted) {
      const line = `${t}\n`;
      parts.push(line.repeat(due - emitted));
      emitted = due;
      lastTs = t;
    }
  }
  if (lastTs !== endMs) parts.push(`${endMs}\n`);
  return parts.join('');
}
