import { InputError } from '../../core/errors.js';
import { rateKbps } from '../../core/units.js';
import { traceFromPeriods, type Trace } from '../trace.js';
import type { ParseContext } from './types.js';
import { assertSomeCapacity, emptyError, forEachDataLine, parseNumber, splitFields } from './text.js';

/**
 * Raw HSDPA commute logs (Riiser et al., "Commute path bandwidth traces from 3G networks", MMSys'13;
 * home.ifi.uio.no/paalh/dataset/hsdpa-tcp-logs): six whitespace-separated columns per line, a timestamp, a
 * second time column, GPS latitude and longitude, bytes received since the previous line and milliseconds
 * since the previous line. The Ghent 4G logs (van der Hooft et al., 2016) use the same six columns
 * (`epoch_ms ms_since_start lat lon bytes ms`). Only the last two define capacity: each line is one period of
 * `ms` milliseconds at `bytes × 8 / ms` kbps. A line with 0 ms (the logs' first line) carries no period.
 */
export function parseNorwayRaw(text: string, ctx: ParseContext): Trace {
  const durationsMs: number[] = [];
  const ratesKbps: number[] = [];
  let prevStamp: number | undefined;
  let prevLine = 0;
  let sawLine = false;
  forEachDataLine(text, (line, lineNo) => {
    sawLine = true;
    const where = { file: ctx.source, line: lineNo };
    const fields = splitFields(line);
    if (fields.length !== 6) {
      throw new InputError(
        `expected 6 columns "timestamp time lat lon bytes ms" (HSDPA raw log), found ${fields.length}`,
        where,
      );
    }
    const stamp = parseNumber(fields[0], where, 'timestamp');
    const bytes = parseNumber(fields[4], where, 'bytes since last');
    const ms = parseNumber(fields[5], where, 'ms since last');
    if (prevStamp !== undefined && stamp < prevStamp) {
      throw new InputError(`timestamp ${stamp} is earlier than line ${prevLine} (${prevStamp}): lines must be in time order`, where);
    }
    if (bytes < 0) throw new InputError(`bytes since last ${bytes} is negative`, where);
    if (ms < 0) throw new InputError(`ms since last ${ms} is negative`, where);
    prevStamp = stamp;
    prevLine = lineNo;
    if (ms === 0) {
      if (bytes > 0) throw new InputError(`${bytes} bytes received in 0 ms: the elapsed time must be > 0`, where);
      return;
    }
    durationsMs.push(ms);
    ratesKbps.push(rateKbps(bytes, ms));
  });
  if (!sawLine) throw emptyError(ctx.source);
  if (durationsMs.length === 0) {
    throw new InputError('no line has a positive elapsed time, so the log defines no period', { file: ctx.source });
  }
  assertSomeCapacity(ratesKbps, ctx.source);
  return traceFromPeriods({ name: ctx.name, durationsMs, ratesKbps, source: ctx.source });
}
