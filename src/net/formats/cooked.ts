import { InputError } from '../../core/errors.js';
import { mbpsToKbps, sToMs, kbpsToMbps, msToS } from '../../core/units.js';
import { traceFromSamples, type Trace } from '../trace.js';
import type { ParseContext } from './types.js';
import { assertSomeCapacity, emptyError, forEachDataLine, parseNumber, parseRate, splitFields } from './text.js';

/**
 * Pensieve's "cooked" trace (hongzimao/pensieve `sim/load_trace.py`): one sample per line, `time_s  Mbit/s`,
 * whitespace separated. The public Norway HSDPA, FCC, Lumos5G, Puffer and Oboe sets are distributed in this
 * form. Each rate holds from its timestamp until the next one (as the sets' converters describe it); the last
 * sample lasts the mean spacing of the others. Time is re-based so the first sample is at 0 (FCC cuts start at
 * 180 s or later).
 *
 * Pensieve's own loop instead charges `bw[i]` over `(t[i-1], t[i]]` and resets time to 0 on wrap-around; the
 * `pensieve` compatibility profile reproduces that on the raw samples, this importer does not.
 */
export function parseCooked(text: string, ctx: ParseContext): Trace {
  const timesMs: number[] = [];
  const ratesKbps: number[] = [];
  const lineNos: number[] = [];
  forEachDataLine(text, (line, lineNo) => {
    const fields = splitFields(line);
    const where = { file: ctx.source, line: lineNo };
    if (fields.length !== 2) {
      throw new InputError(
        `expected 2 columns "time_s Mbit/s" (Pensieve cooked format), found ${fields.length}`,
        where,
      );
    }
    const tMs = sToMs(parseNumber(fields[0], where, 'time (s)'));
    const kbps = mbpsToKbps(parseRate(fields[1], where, 'throughput (Mbit/s)'));
    const prev = timesMs[timesMs.length - 1];
    if (prev !== undefined && !(tMs > prev)) {
      const prevLine = lineNos[lineNos.length - 1] as number;
      throw new InputError(
        `time ${msToS(tMs)} s is not later than line ${prevLine} (${msToS(prev)} s): times must strictly increase`,
        where,
      );
    }
    timesMs.push(tMs);
    ratesKbps.push(kbps);
    lineNos.push(lineNo);
  });
  if (timesMs.length === 0) throw emptyError(ctx.source);
  assertSomeCapacity(ratesKbps, ctx.source);
  return traceFromSamples({ name: ctx.name, timesMs, ratesKbps, source: ctx.source });
}

/**
 * Writes the cooked format: one line per period start. The last period's length is not representable in
 * this format (readers assume the mean spacing), so a round trip is exact only when it equals that mean.
 */
export function formatCooked(trace: Trace): string {
  const out: string[] = [];
  for (let i = 0; i < trace.startMs.length; i++) {
    out.push(`${msToS(trace.startMs[i] as number)}\t${kbpsToMbps(trace.rateKbps[i] as number)}`);
  }
  return `${out.join('\n')}\n`;
}

