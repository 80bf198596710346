import { InputError } from '../../core/errors.js';
import { traceFromPeriods, type Trace } from '../trace.js';
import type { ParseContext } from './types.js';
import { assertSomeCapacity, emptyError, forEachDataLine, parseNumber, parseRate, splitFields } from './text.js';

/**
 * Oboe session traces (Akhtar et al., SIGCOMM'18; USC-NSL/Oboe `traces/trace_*.txt`): pairs of lines
 * `t_start_ms kbps` / `t_end_ms kbps`, one pair per downloaded chunk, the same bandwidth on both lines (the
 * average over that download). Between pairs the player was idle (an OFF period), so the bandwidth there was
 * not measured.
 *
 * `gaps: 'interpolate'` (default) follows the Oboe README's suggestion of linear interpolation between the
 * neighbouring chunks; a piecewise-constant trace holds the gap at the mean of the two rates, which is exactly
 * the time-average of the linear ramp (so capacity is preserved). `gaps: 'zero'` makes OFF periods outages.
 */
export type OboeGapMode = 'interpolate' | 'zero';

export function parseOboe(text: string, ctx: ParseContext, opts: { gaps?: OboeGapMode } = {}): Trace {
  const gaps = opts.gaps ?? 'interpolate';
  const durationsMs: number[] = [];
  const ratesKbps: number[] = [];
  let pending: { tMs: number; kbps: number; line: number } | undefined;
  let lastEndMs: number | undefined;
  let lastKbps = 0;
  let lastLine = 0;
  forEachDataLine(text, (line, lineNo) => {
    lastLine = lineNo;
    const where = { file: ctx.source, line: lineNo };
    const fields = splitFields(line);
    if (fields.length !== 2) {
      throw new InputError(`expected 2 columns "time_ms kbps" (Oboe format), found ${fields.length}`, where);
    }
    const tMs = parseNumber(fields[0], where, 'time (ms)');
    const kbps = parseRate(fields[1], where, 'bandwidth (kbps)');
    if (pending === undefined) {
      if (lastEndMs !== undefined && tMs < lastEndMs) {
        throw new InputError(`chunk start ${tMs} ms is before the previous chunk's end ${lastEndMs} ms`, where);
      }
      pending = { tMs, kbps, line: lineNo };
      return;
    }
    if (kbps !== pending.kbps) {
      throw new InputError(
        `bandwidth ${kbps} kbps differs from line ${pending.line} (${pending.kbps} kbps): Oboe lines come in ` +
          'start/end pairs with the same bandwidth',
        where,
      );
    }
    if (!(tMs > pending.tMs)) {
      throw new InputError(`chunk end ${tMs} ms is not later than its start ${pending.tMs} ms (line ${pending.line})`, where);
    }
    if (lastEndMs !== undefined && pending.tMs > lastEndMs) {
      durationsMs.push(pending.tMs - lastEndMs);
      ratesKbps.push(gaps === 'zero' ? 0 : (lastKbps + kbps) / 2);
    }
    durationsMs.push(tMs - pending.tMs);
    ratesKbps.push(kbps);
    lastEndMs = tMs;
    lastKbps = kbps;
    pending = undefined;
  });
  if (pending !== undefined) {
    throw new InputError('odd number of lines: the last chunk has a start line but no end line', {
      file: ctx.source,
      line: lastLine,
    });
  }
  if (durationsMs.length === 0) throw emptyError(ctx.source);
  assertSomeCapacity(ratesKbps, ctx.source);
  // Durations are differences, so the trace starts at 0 whatever the first chunk's start time was.
  return traceFromPeriods({ name: ctx.name, durationsMs, ratesKbps, source: ctx.source });
}
