import { describe, it, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import {
  detectTraceFormat,
  loadTraceFile,
  parseTraceText,
  TRACE_FORMATS,
  type CsvOptions,
  type TraceFormatName,
} from '../../../src/net/formats/index.js';
import { streamCsvFile, streamMahimahiFile } from '../../../src/net/formats/stream.js';
import type { Trace } from '../../../src/net/trace.js';

/**
 * Issue 4: "malformed input never throws anything but the project's own input error", for every parser:
 * the in-memory ones with random options, the streaming readers (the path files >= 8 MiB take), the
 * detector and loadTraceFile on raw bytes (invalid UTF-8 included). Whatever parses must be a usable trace.
 */
const dir = mkdtempSync(join(tmpdir(), 'abrlab-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const tempFile = (content: string | Uint8Array): string => {
  const p = join(dir, `f${fileNo++}`);
  writeFileSync(p, content);
  return p;
};

function validTrace(t: Trace): boolean {
  const n = t.rateKbps.length;
  if (!(t.durationMs > 0) || t.startMs[0] !== 0 || t.cumBits.length !== n + 1) return false;
  for (let i = 1; i < n; i++) if (!((t.startMs[i] as number) > (t.startMs[i - 1] as number))) return false;
  for (const r of t.rateKbps) if (!(r >= 0) || !Number.isFinite(r)) return false;
  return (t.cumBits[n] as number) > 0;
}

async function okOrInputError(run: () => Trace | Promise<Trace>): Promise<boolean> {
  try {
    return validTrace(await run());
  } catch (err) {
    if (err instanceof InputError) return true;
    throw err;
  }
}

/** Lines that look like the real grammars, so the fuzzer gets past the first line often. */
const numberish = fc.oneof(
  fc.integer({ min: -5, max: 200_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('', ' ', 'NaN', '-0', '1e3', '0x10', '1,5', '"3"', '#', '١٢'),
);
const mahimahiText = fc.array(numberish, { maxLength: 40 }).map((l) => l.join('\n'));
const csvText = fc
  .tuple(
    fc.constantFrom('time_s,rate_kbps', 'duration_ms,rate_kbps,latency_ms', 'ts;tput', 'time_ms,bw_Mbps', 'a,b', ''),
    fc.array(fc.array(numberish, { maxLength: 4 }).map((f) => f.join(',')), { maxLength: 30 }),
  )
  .map(([h, rows]) => [h, ...rows].join('\n'));
const csvOptions: fc.Arbitrary<CsvOptions> = fc.record(
  {
    timeColumn: fc.constantFrom('time_s', 'ts', 'nope'),
    rateColumn: fc.constantFrom('rate_kbps', 'tput', 'bw_Mbps'),
    timeUnit: fc.constantFrom('s' as const, 'ms' as const),
    rateUnit: fc.constantFrom('bps' as const, 'kbps' as const, 'mbps' as const, 'Bps' as const, 'kBps' as const, 'MBps' as const),
    delimiter: fc.constantFrom(',', ';', '\t', '||'),
  },
  { requiredKeys: [] },
);

describe('parser fuzzing with options and on the streaming path (fast-check)', () => {
  it('in-memory parsers with random CSV, Mahimahi and Oboe options only ever throw InputError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(csvText, mahimahiText, fc.string({ maxLength: 120 })),
        fc.constantFrom<TraceFormatName | undefined>(undefined, ...TRACE_FORMATS),
        csvOptions,
        fc.record({ binMs: fc.integer({ min: -2, max: 50 }), packetBytes: fc.integer({ min: -1, max: 9000 }) }, { requiredKeys: [] }),
        fc.constantFrom('interpolate' as const, 'zero' as const),
        (text, format, csv, mahimahi, gaps) =>
          okOrInputError(() =>
            parseTraceText(text, { name: 'f', source: 'fuzz', csv, mahimahi, oboe: { gaps }, ...(format !== undefined ? { format } : {}) }),
          ),
      ),
      { numRuns: 500 },
    );
  });

  it('the streaming Mahimahi reader only ever throws InputError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mahimahiText, fc.string({ maxLength: 80 })), fc.integer({ min: 1, max: 20 }), (text, binMs) =>
        okOrInputError(() => streamMahimahiFile(tempFile(text), { name: 'f', mahimahi: { binMs } })),
      ),
      { numRuns: 150 },
    );
  });

  it('the streaming CSV reader only ever throws InputError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(csvText, fc.string({ maxLength: 80 })), csvOptions, (text, csv) =>
        okOrInputError(() => streamCsvFile(tempFile(text), { name: 'f', csv })),
      ),
      { numRuns: 150 },
    );
  });

  it('the streaming readers agree with the in-memory parsers on what they accept', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(csvText.map((t) => ['csv', t] as const), mahimahiText.map((t) => ['mahimahi', t] as const)), async ([format, text]) => {
        const path = tempFile(text);
        const outcome = async (run: () => Trace | Promise<Trace>): Promise<string> => {
          try {
            const t = await run();
            return `ok ${t.rateKbps.length} ${t.durationMs}`;
          } catch (err) {
            if (err instanceof InputError) return 'refused';
            throw err;
          }
        };
        const inMemory = await outcome(() => parseTraceText(text, { name: 'f', source: path, format }));
        const streamed = await outcome(() =>
          format === 'csv' ? streamCsvFile(path, { name: 'f' }) : streamMahimahiFile(path, { name: 'f' }),
        );
        return inMemory === streamed;
      }),
      { numRuns: 200 },
    );
  });

  it('detection and loadTraceFile on arbitrary bytes only ever throw InputError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        try {
          detectTraceFormat(Buffer.from(bytes).toString('utf8'), 'fuzz');
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
        return okOrInputError(() => loadTraceFile(tempFile(bytes)));
      }),
      { numRuns: 200 },
    );
  });
});
