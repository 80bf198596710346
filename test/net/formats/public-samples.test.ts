import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { detectTraceFormat, formatTrace, loadTraceFile, parseTraceText } from '../../../src/net/formats/index.js';
import { meanRateKbps } from '../../../src/net/trace.js';
import { HAVE_PUBLIC_TRACES, PUBLIC_TRACES } from './helpers.js';

/**
 * Every file in ../shared/traces-public, detected by content, imported, re-based to 0 and in kbps. Expected
 * figures were computed with awk from the files themselves, not by abrlab:
 * - cooked (time_s Mbit/s): n lines, duration = (t_last - t_first) × n / (n - 1) (the last sample lasts the
 *   mean spacing), time-weighted mean = Σ r_i (t_{i+1} - t_i) + r_n × spacing, over the duration, × 1000 kbps;
 * - Mahimahi: duration = last timestamp, mean = lines × 1504 B × 8 / last timestamp;
 * - Oboe raw: duration = last end - first start; mean with each OFF gap at the mean of its neighbours;
 * - Sabre: Σ duration_ms and Σ duration_ms × bandwidth_kbps / Σ duration_ms.
 */
interface Expected {
  format: string;
  durationMs: number;
  meanKbps: number;
  firstKbps?: number;
}

const OPP_BITS = 1504 * 8;
const EXPECTED: Record<string, Expected> = {
  'fcc-cooked/trace_797466_http---www.amazon_part1.log': { format: 'cooked', durationMs: 180_000, meanKbps: 1157.406444, firstKbps: 462.624 },
  'fcc-cooked/trace_799448_http---www.facebook_part6.log': { format: 'cooked', durationMs: 175_000, meanKbps: 1201.474971, firstKbps: 1286.728 },
  'ghent-4g-sabre/report_bus_0001.json': { format: 'sabre', durationMs: 606_726, meanKbps: 27_596.944286, firstKbps: 36_014 },
  'lumos5g-cooked/4g_trace_driving_50015_dr': { format: 'cooked', durationMs: 250_000, meanKbps: 40_184, firstKbps: 45_000 },
  'lumos5g-cooked/5g_trace_100_walking': { format: 'cooked', durationMs: 800_000, meanKbps: 498_550, firstKbps: 91_000 },
  'lumos5g-cooked/5g_trace_103_driving': { format: 'cooked', durationMs: 236_000, meanKbps: 296_877.118644, firstKbps: 361_000 },
  'mahimahi-cellular/ATT-LTE-driving-2016.down': { format: 'mahimahi', durationMs: 120_002, meanKbps: (45_604 * OPP_BITS) / 120_002 },
  'mahimahi-cellular/Verizon-EVDO-driving.down': { format: 'mahimahi', durationMs: 1_062_016, meanKbps: (46_065 * OPP_BITS) / 1_062_016 },
  'mahimahi-cellular/Verizon-LTE-short.down': { format: 'mahimahi', durationMs: 140_000, meanKbps: (58_655 * OPP_BITS) / 140_000 },
  'norway-hsdpa-cooked/norway_bus_1': { format: 'cooked', durationMs: 155_343.99999, meanKbps: 2948.719217, firstKbps: 4037.68755221 },
  'norway-hsdpa-cooked/norway_train_1': { format: 'cooked', durationMs: 300_097.974081, meanKbps: 1233.306674, firstKbps: 299.654253502 },
  'norway-hsdpa-cooked/norway_tram_10': { format: 'cooked', durationMs: 317_114.611418, meanKbps: 938.462322, firstKbps: 1221.40813748 },
  'oboe/oboe_trace_0.cooked.txt': { format: 'cooked', durationMs: 179_266.5, meanKbps: 2982.41519, firstKbps: 3168.6448801742917 },
  'oboe/trace_0.txt': { format: 'oboe', durationMs: 176_067, meanKbps: 2633.711617, firstKbps: 3168.6448801742918 },
  'oboe/trace_1.txt': { format: 'oboe', durationMs: 176_466, meanKbps: 4117.146133, firstKbps: 4646.670926517572 },
  'puffer-cooked/puffer_2021-10-17_test_0.txt': { format: 'cooked', durationMs: 1_910_366.894982, meanKbps: 500.705962, firstKbps: 46.303 },
  'puffer-cooked/puffer_2022-02-18_test_0.txt': { format: 'cooked', durationMs: 259_224.79841, meanKbps: 2779.777315, firstKbps: 4508.855 },
};

function dataFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...dataFiles(p));
    else if (entry !== 'SOURCES.md') out.push(relative(PUBLIC_TRACES, p));
  }
  return out.sort();
}

const SKIP_REASON = `SKIPPED: ${PUBLIC_TRACES} is absent (shared public trace samples)`;

describe.skipIf(!HAVE_PUBLIC_TRACES)(`every public sample trace (reads ../shared/traces-public)${HAVE_PUBLIC_TRACES ? '' : ` — ${SKIP_REASON}`}`, () => {
  it('the expectation table covers every data file in the folder', () => {
    expect(dataFiles(PUBLIC_TRACES)).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s: detected, imported, re-based to 0, in kbps', async (file, e) => {
    const path = join(PUBLIC_TRACES, file);
    expect(detectTraceFormat(readFileSync(path, 'utf8').slice(0, 65_536), file)).toBe(e.format);
    const t = await loadTraceFile(path);
    expect(t.startMs[0]).toBe(0);
    expect(t.durationMs).toBeCloseTo(e.durationMs, 3);
    // Relative tolerance 1e-8: the awk figures are printed to 9 decimals of Mbit/s.
    expect(Math.abs(meanRateKbps(t) - e.meanKbps) / e.meanKbps).toBeLessThan(1e-8);
    if (e.firstKbps !== undefined) expect(t.rateKbps[0]).toBeCloseTo(e.firstKbps, 6);
    let increasing = true;
    for (let i = 1; i < t.startMs.length; i++) if (!((t.startMs[i] as number) > (t.startMs[i - 1] as number))) increasing = false;
    expect(increasing).toBe(true);
  });

  it('an explicit format overrides detection', async () => {
    const raw = join(PUBLIC_TRACES, 'oboe/trace_0.txt');
    // Read as cooked, the Oboe ms times are taken for seconds and the kbps for Mbit/s: 98 lines from 15 to
    // 176082 "s" → (176082 - 15) × 98 / 97 s, first rate 3168.64… "Mbit/s" = 3,168,644.88… kbps.
    const asCooked = await loadTraceFile(raw, { format: 'cooked' });
    expect(asCooked.durationMs).toBeCloseTo(((176_082 - 15) * 98 * 1000) / 97, 3);
    expect(asCooked.rateKbps[0]).toBeCloseTo(3_168_644.8801742918, 3);
    // Mahimahi forced on a cooked file names line 1.
    const cooked = join(PUBLIC_TRACES, 'lumos5g-cooked/4g_trace_driving_50015_dr');
    await expect(loadTraceFile(cooked, { format: 'mahimahi' })).rejects.toThrow(/4g_trace_driving_50015_dr:1: "0 45\.0"/);
    // The aliases name the public sets: lumos5g and puffer read as cooked.
    const viaAlias = await loadTraceFile(cooked, { format: 'lumos5g' });
    expect(viaAlias.durationMs).toBe(250_000);
    // Oboe gaps as outages: awk gives 2561.235530 kbps with OFF periods at 0.
    const zeroGaps = await loadTraceFile(raw, { oboe: { gaps: 'zero' } });
    expect(meanRateKbps(zeroGaps)).toBeCloseTo(2561.23553, 5);
  });

  it('Oboe raw and its cooked conversion agree: one chunk per cooked line, rate kbps / 1000, time = end ms / 1000', async () => {
    const raw = await loadTraceFile(join(PUBLIC_TRACES, 'oboe/trace_0.txt'), { oboe: { gaps: 'zero' } });
    const cookedText = readFileSync(join(PUBLIC_TRACES, 'oboe/oboe_trace_0.cooked.txt'), 'utf8').trim().split('\n');
    const chunkRates = Array.from(raw.rateKbps).filter((r) => r > 0);
    expect(chunkRates.length).toBe(cookedText.length);
    cookedText.forEach((line, i) => {
      const [, mbps] = line.split('\t');
      expect(chunkRates[i]).toBeCloseTo(Number(mbps) * 1000, 6);
    });
  });

  it.each([
    'mahimahi-cellular/ATT-LTE-driving-2016.down',
    'mahimahi-cellular/Verizon-EVDO-driving.down',
  ])('Mahimahi export of %s imports back with the same period and capacity (to one packet)', async (file) => {
    const t = await loadTraceFile(join(PUBLIC_TRACES, file));
    const exported = formatTrace(t, 'mahimahi');
    const lines = exported.trimEnd().split('\n');
    // Non-decreasing integer timestamps, the last one being the period.
    for (let i = 1; i < lines.length; i++) expect(Number(lines[i])).toBeGreaterThanOrEqual(Number(lines[i - 1]));
    expect(Number(lines[lines.length - 1])).toBe(t.durationMs);
    const back = parseTraceText(exported, { name: 'b', source: 'b', format: 'mahimahi' });
    expect(back.durationMs).toBe(t.durationMs);
    const loopBits = t.cumBits[t.cumBits.length - 1] as number;
    expect(Math.abs((back.cumBits[back.cumBits.length - 1] as number) - loopBits)).toBeLessThanOrEqual(OPP_BITS);
    // The original had an opportunity at every ms it lists; the export delivers each one within the same ms
    // (cumulative capacity never lags by a whole packet at any whole ms).
    for (const tMs of [1000, 30_000, 60_001, t.durationMs - 1]) {
      const lag = cumAt(t, tMs) - cumAt(back, tMs);
      expect(Math.abs(lag)).toBeLessThanOrEqual(OPP_BITS);
    }
  });
});

function cumAt(t: { startMs: Float64Array; rateKbps: Float64Array; cumBits: Float64Array }, tMs: number): number {
  let i = 0;
  while (i + 1 < t.startMs.length && (t.startMs[i + 1] as number) <= tMs) i++;
  return (t.cumBits[i] as number) + (t.rateKbps[i] as number) * (tMs - (t.startMs[i] as number));
}

it('InputError is what a missing sample gives (the skip path is not silent)', async () => {
  await expect(loadTraceFile(join(PUBLIC_TRACES, 'no-such-file'))).rejects.toThrow(InputError);
});
