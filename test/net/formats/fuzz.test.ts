import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors.js';
import { parseTraceText, TRACE_FORMATS, type TraceFormatName } from '../../../src/net/formats/index.js';

/** Parsing must either give a trace or throw InputError: never a TypeError, RangeError or a raw zod error. */
function parsesOrInputError(text: string, format?: TraceFormatName): boolean {
  try {
    const t = parseTraceText(text, { name: 'f', source: 'fuzz', ...(format !== undefined ? { format } : {}) });
    // Whatever parsed must be a valid trace.
    return t.durationMs > 0 && (t.cumBits[t.cumBits.length - 1] as number) > 0;
  } catch (err) {
    if (err instanceof InputError) return true;
    throw err;
  }
}

const formats: (TraceFormatName | undefined)[] = [undefined, ...TRACE_FORMATS];
const tokens = fc.constantFrom('0', '1', '-1', '1.5', '1e309', 'NaN', ' ', '\t', ',', ';', '\n', '\r\n', '#', '"', '{', '}', '[', ']', ':', 'abrlab-trace', '"format"', 'time_s', 'rate_kbps', 'duration_ms', '1000', '99999999999999999999');

describe('parser fuzzing (fast-check)', () => {
  it('arbitrary text only ever throws InputError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(...formats), (text, format) => parsesOrInputError(text, format)),
      { numRuns: 400 },
    );
  });

  it('token soup near the real grammars only ever throws InputError', () => {
    fc.assert(
      fc.property(fc.array(tokens, { maxLength: 60 }), fc.constantFrom(...formats), (parts, format) =>
        parsesOrInputError(parts.join(''), format),
      ),
      { numRuns: 600 },
    );
  });

  it('JSON-shaped values only ever throw InputError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom<TraceFormatName | undefined>(undefined, 'abrlab', 'sabre'), (v, format) =>
        parsesOrInputError(JSON.stringify(v) ?? 'null', format),
      ),
      { numRuns: 300 },
    );
  });

  it('valid cooked lines always parse and keep the capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 100_000 })), { minLength: 2, maxLength: 50 }),
        (rows) => {
          // Times are cumulative sums of positive ms gaps; rates are integer kbps written as Mbit/s.
          let t = 0;
          const text = rows.map(([gap, kbps]) => `${(t += gap) / 1000} ${kbps / 1000}`).join('\n');
          const trace = parseTraceText(text, { name: 'c', source: 'c', format: 'cooked' });
          return trace.rateKbps.length === rows.length && Math.abs((trace.rateKbps[0] as number) - rows[0]![1]) < 1e-6;
        },
      ),
      { numRuns: 200 },
    );
  });
});
