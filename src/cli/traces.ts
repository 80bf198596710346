import { Command, Option } from 'commander';
import { InputError } from '../core/errors.js';
import type { Trace } from '../net/trace.js';
import type { TraceLoadOptions } from '../net/formats/index.js';
import type { CsvRateUnit, CsvTimeUnit, TraceOutputFormat } from '../net/formats/types.js';
import { collectKeyValue } from './options.js';

/**
 * `abrlab traces import|convert|gen|stats|plot`. Heavy modules (parsers, generators, Vega) are imported
 * inside the actions so `abrlab --help` stays fast. Bad flags and files throw InputError; the top-level catch
 * in main.ts prints it on one line and exits 2.
 */
export interface TracesIo {
  /** Where results go when no --out is given (default: process.stdout). */
  stdout: (text: string) => void;
}

const defaultIo: TracesIo = { stdout: (text) => void process.stdout.write(text) };

const INPUT_FORMATS = ['abrlab', 'mahimahi', 'cooked', 'pensieve', 'lumos5g', 'puffer', 'fcc', 'sabre', 'oboe', 'csv', 'norway-raw', 'norway', 'json'];
const OUTPUT_FORMATS: readonly TraceOutputFormat[] = ['abrlab', 'mahimahi', 'csv', 'cooked', 'sabre'];
const RATE_UNITS: readonly CsvRateUnit[] = ['bps', 'kbps', 'mbps', 'Bps', 'kBps', 'MBps'];
const TIME_UNITS: readonly CsvTimeUnit[] = ['s', 'ms'];
/** `traces stats` summarises Mahimahi files per second unless --window-ms says otherwise. */
const MAHIMAHI_STATS_WINDOW_MS = 1000;

interface InputFlags {
  from?: string;
  name?: string;
  timeColumn?: string;
  rateColumn?: string;
  timeUnit?: string;
  rateUnit?: string;
  delimiter?: string;
  binMs?: string;
  packetBytes?: string;
  oboeGaps?: string;
}

function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--from <format>', `input format, instead of detecting it (${INPUT_FORMATS.join(', ')})`)
    .option('--name <name>', 'trace name (default: the file name without extension)')
    .option('--time-column <name>', 'CSV: header of the time column')
    .option('--rate-column <name>', 'CSV: header of the rate column')
    .option('--time-unit <unit>', `CSV: unit of the time column (${TIME_UNITS.join(', ')})`)
    .option('--rate-unit <unit>', `CSV: unit of the rate column (${RATE_UNITS.join(', ')})`)
    .option('--delimiter <char>', 'CSV: field delimiter (default ",")')
    .option('--bin-ms <ms>', 'Mahimahi: bin width in ms (default 1 = exact; 10 for files >= 8 MiB, to bound memory)')
    .option('--packet-bytes <bytes>', 'Mahimahi: bytes per delivery opportunity (default 1504, mm-link)')
    .option('--oboe-gaps <mode>', 'Oboe: OFF periods between chunks: interpolate (default) or zero');
}

function positiveNumber(value: string | undefined, flag: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new InputError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  }
  return n;
}

function nonNegativeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InputError(`${flag} must be a number >= 0, got "${value}"`);
  return n;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${flag} must be one of ${allowed.join(', ')}; got "${value}"`);
  }
  return value as T;
}

/** Turns the input flags into loader options, validating each. */
export async function loadOptionsFromFlags(f: InputFlags): Promise<TraceLoadOptions> {
  const { isTraceFormatName } = await import('../net/formats/types.js');
  const opts: TraceLoadOptions = {};
  if (f.from !== undefined) {
    if (!isTraceFormatName(f.from)) throw new InputError(`--from must be one of ${INPUT_FORMATS.join(', ')}; got "${f.from}"`);
    opts.format = f.from;
  }
  if (f.name !== undefined) opts.name = f.name;
  const timeUnit = oneOf(f.timeUnit, TIME_UNITS, '--time-unit');
  const rateUnit = oneOf(f.rateUnit, RATE_UNITS, '--rate-unit');
  opts.csv = {
    ...(f.timeColumn !== undefined ? { timeColumn: f.timeColumn } : {}),
    ...(f.rateColumn !== undefined ? { rateColumn: f.rateColumn } : {}),
    ...(timeUnit !== undefined ? { timeUnit } : {}),
    ...(rateUnit !== undefined ? { rateUnit } : {}),
    ...(f.delimiter !== undefined ? { delimiter: f.delimiter } : {}),
  };
  const binMs = positiveNumber(f.binMs, '--bin-ms', true);
  const packetBytes = positiveNumber(f.packetBytes, '--packet-bytes', true);
  opts.mahimahi = { ...(binMs !== undefined ? { binMs } : {}), ...(packetBytes !== undefined ? { packetBytes } : {}) };
  const gaps = oneOf(f.oboeGaps, ['interpolate', 'zero'] as const, '--oboe-gaps');
  if (gaps !== undefined) opts.oboe = { gaps };
  return opts;
}

async function writeOutput(text: string | Buffer, out: string | undefined, io: TracesIo): Promise<void> {
  if (out === undefined || out === '-') {
    io.stdout(typeof text === 'string' ? text : text.toString('latin1'));
    return;
  }
  const { writeFile } = await import('node:fs/promises');
  try {
    await writeFile(out, text);
  } catch (err) {
    throw new InputError(`cannot write output: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: out });
  }
}

async function serialise(trace: Trace, to: string | undefined, packetBytes: string | undefined): Promise<string> {
  const fmt = oneOf(to ?? 'abrlab', OUTPUT_FORMATS, '--to') as TraceOutputFormat;
  const { formatTrace } = await import('../net/formats/index.js');
  const pb = positiveNumber(packetBytes, '--packet-bytes', true);
  return formatTrace(trace, fmt, pb !== undefined ? { packetBytes: pb } : {});
}

interface ConvertFlags extends InputFlags {
  to?: string;
  out?: string;
}

/** `traces convert IN [--to FMT] [--out F]`: any supported format in, one of the output formats out. */
export async function convertAction(input: string, flags: ConvertFlags, io: TracesIo = defaultIo): Promise<void> {
  const { loadTraceFile } = await import('../net/formats/index.js');
  const trace = await loadTraceFile(input, await loadOptionsFromFlags(flags));
  await writeOutput(await serialise(trace, flags.to, flags.packetBytes), flags.out, io);
}

interface GenFlags {
  spec?: string;
  set?: Record<string, unknown>;
  seed?: string;
  durationS?: string;
  name?: string;
  to?: string;
  out?: string;
  packetBytes?: string;
}

/** `traces gen [KIND] [--spec F] [--set k=v]... [--seed N] [--duration-s S]`: a generated trace. */
export async function genAction(kind: string | undefined, flags: GenFlags, io: TracesIo = defaultIo): Promise<void> {
  const { generateTrace, GENERATOR_NAMES, PRESET_NAMES } = await import('../net/generators/index.js');
  let spec: Record<string, unknown> = {};
  if (flags.spec !== undefined) spec = await readSpecFile(flags.spec);
  if (kind !== undefined) {
    if ((PRESET_NAMES as readonly string[]).includes(kind)) spec = { ...spec, generator: 'preset', preset: kind };
    else if ((GENERATOR_NAMES as readonly string[]).includes(kind)) spec = { ...spec, generator: kind };
    else {
      throw new InputError(
        `unknown generator "${kind}"; use one of ${GENERATOR_NAMES.join(', ')} or a preset (${PRESET_NAMES.join(', ')})`,
      );
    }
  }
  if (spec['generator'] === undefined) throw new InputError('name a generator or preset, or pass --spec FILE');
  spec = { ...spec, ...(flags.set ?? {}) };
  if (flags.seed !== undefined) {
    const seed = Number(flags.seed);
    spec['seed'] = Number.isInteger(seed) ? seed : flags.seed;
  }
  const durationS = positiveNumber(flags.durationS, '--duration-s');
  if (durationS !== undefined) spec['durationMs'] = durationS * 1000;
  if (flags.name !== undefined) spec['name'] = flags.name;
  const trace = generateTrace(spec, flags.spec ?? 'traces gen');
  await writeOutput(await serialise(trace, flags.to, flags.packetBytes), flags.out, io);
}

async function readSpecFile(path: string): Promise<Record<string, unknown>> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read spec: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: path });
  }
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(text) as unknown; // YAML is a superset of JSON, so this reads both.
  } catch (err) {
    throw new InputError(`invalid YAML/JSON: ${(err as Error).message.split('\n')[0] ?? ''}`, { file: path });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InputError('a generator spec must be an object like {generator: markov, seed: 1}', { file: path });
  }
  return doc as Record<string, unknown>;
}

interface StatsFlags extends InputFlags {
  json?: boolean;
  belowKbps?: string;
  outageKbps?: string;
  windowMs?: string;
  out?: string;
}

/** `traces stats FILE... [--json]`: time-weighted summary per trace. */
export async function statsAction(inputs: string[], flags: StatsFlags, io: TracesIo = defaultIo): Promise<void> {
  const { loadTraceFile, detectTraceFileFormat } = await import('../net/formats/index.js');
  const { traceStats, formatStatsTable, averageOverWindows } = await import('../net/stats.js');
  const belowKbps = nonNegativeNumber(flags.belowKbps, '--below-kbps');
  const outageKbps = nonNegativeNumber(flags.outageKbps, '--outage-kbps');
  const windowMs = positiveNumber(flags.windowMs, '--window-ms');
  const loadOpts = await loadOptionsFromFlags(flags);
  if (inputs.length > 1 && loadOpts.name !== undefined) throw new InputError('--name applies to a single input file');
  const { canonicalFormat } = await import('../net/formats/types.js');
  const rows = [];
  for (const input of inputs) {
    let trace = await loadTraceFile(input, loadOpts);
    // A Mahimahi schedule at 1 ms is bursts of opportunities and empty milliseconds: per-ms statistics would
    // count every empty millisecond as an outage. Unless told otherwise, summarise it per second.
    const format = loadOpts.format !== undefined ? canonicalFormat(loadOpts.format) : await detectTraceFileFormat(input);
    const window = windowMs ?? (format === 'mahimahi' ? MAHIMAHI_STATS_WINDOW_MS : undefined);
    if (window !== undefined) trace = averageOverWindows(trace, window);
    const s = traceStats(trace, {
      ...(belowKbps !== undefined ? { belowKbps } : {}),
      ...(outageKbps !== undefined ? { outageKbps } : {}),
    });
    rows.push(window !== undefined ? { ...s, windowMs: window } : s);
  }
  const text = flags.json === true ? `${JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2)}\n` : formatStatsTable(rows);
  await writeOutput(text, flags.out, io);
}

interface PlotFlags extends InputFlags {
  out?: string;
  format?: string;
  title?: string;
  widthPx?: string;
  heightPx?: string;
  scale?: string;
}

/**
 * `traces plot FILE [--out F.svg|F.png] [--format svg|png]`: a step chart of capacity over time. The format
 * follows --format, else the --out extension, else SVG. PNG is rasterised by Chromium (src/net/plot-png.ts)
 * and, being binary, needs --out.
 */
export async function plotAction(input: string, flags: PlotFlags, io: TracesIo = defaultIo): Promise<void> {
  const format =
    oneOf(flags.format, ['svg', 'png'] as const, '--format') ?? (flags.out?.toLowerCase().endsWith('.png') === true ? 'png' : 'svg');
  if (format === 'png' && (flags.out === undefined || flags.out === '-')) {
    throw new InputError('PNG output is binary: pass --out FILE.png');
  }
  const { loadTraceFile } = await import('../net/formats/index.js');
  const trace = await loadTraceFile(input, await loadOptionsFromFlags(flags));
  const widthPx = positiveNumber(flags.widthPx, '--width-px', true);
  const heightPx = positiveNumber(flags.heightPx, '--height-px', true);
  const scale = positiveNumber(flags.scale, '--scale');
  const plotOpts = {
    ...(flags.title !== undefined ? { title: flags.title } : {}),
    ...(widthPx !== undefined ? { widthPx } : {}),
    ...(heightPx !== undefined ? { heightPx } : {}),
  };
  if (format === 'svg') {
    const { renderTracePlotSvg } = await import('../net/plot.js');
    await writeOutput(await renderTracePlotSvg(trace, plotOpts), flags.out, io);
    return;
  }
  const { renderTracePlotPng } = await import('../net/plot-png.js');
  const png = await renderTracePlotPng(trace, { ...plotOpts, ...(scale !== undefined ? { scale } : {}) });
  await writeOutput(png, flags.out, io);
}

export function tracesCommand(io: TracesIo = defaultIo): Command {
  const cmd = new Command('traces').description('import, convert, generate, summarise and plot network traces');
  const convertLike = (name: string, description: string): Command =>
    addInputOptions(
      new Command(name)
        .description(description)
        .argument('<input>', 'trace file (format detected by content unless --from)')
        .addOption(new Option('--to <format>', 'output format').choices(OUTPUT_FORMATS).default('abrlab'))
        .option('-o, --out <file>', 'output file (default: stdout)'),
    ).action((input: string, flags: ConvertFlags) => convertAction(input, flags, io));
  cmd.addCommand(convertLike('import', 'read a trace in any supported format and write it as abrlab JSON (or --to)'));
  cmd.addCommand(convertLike('convert', 'convert a trace between formats'));
  cmd.addCommand(
    new Command('gen')
      .description('generate a trace from a generator or preset (seeded, deterministic)')
      .argument('[kind]', 'generator (constant, steps, square, random-walk, markov, genet, gilbert-elliott) or preset (3g, 4g, 5g-mmwave, wifi, fluctuating, outage)')
      .option('--spec <file>', 'generator spec, YAML or JSON ({generator: markov, seed: 1, ...})')
      .option('--set <key=value>', 'set a spec field (repeatable; values parsed as JSON when possible)', collectKeyValue)
      .option('--seed <seed>', 'PRNG seed')
      .option('--duration-s <s>', 'trace length in seconds')
      .option('--name <name>', 'trace name')
      .addOption(new Option('--to <format>', 'output format').choices(OUTPUT_FORMATS).default('abrlab'))
      .option('--packet-bytes <bytes>', 'Mahimahi output: bytes per delivery opportunity (default 1504)')
      .option('-o, --out <file>', 'output file (default: stdout)')
      .action((kind: string | undefined, flags: GenFlags) => genAction(kind, flags, io)),
  );
  cmd.addCommand(
    addInputOptions(
      new Command('stats')
        .description('time-weighted statistics: mean, median, p5/p95, CV, share below a threshold, outages')
        .argument('<inputs...>', 'trace files')
        .option('--json', 'print JSON instead of a table')
        .option('--below-kbps <kbps>', 'threshold for the share of time below it (default 1000)')
        .option('--outage-kbps <kbps>', 'a rate at or under this is an outage (default 0)')
        .option('--window-ms <ms>', 'average capacity over windows of this many ms first (default: 1000 for Mahimahi files, whose 1 ms schedule is bursty; 1 for the raw schedule)')
        .option('-o, --out <file>', 'output file (default: stdout)'),
    ).action((inputs: string[], flags: StatsFlags) => statsAction(inputs, flags, io)),
  );
  cmd.addCommand(
    addInputOptions(
      new Command('plot')
        .description('plot capacity over time as SVG or PNG (Vega-Lite headless; PNG via Debian Chromium)')
        .argument('<input>', 'trace file')
        .option('-o, --out <file>', 'output file, .svg or .png (default: SVG on stdout)')
        .option('--format <svg|png>', 'image format (default: from the --out extension, else svg)')
        .option('--scale <n>', 'PNG: device pixels per CSS pixel (default 1)')
        .option('--title <title>', 'chart title (default: trace name)')
        .option('--width-px <px>', 'chart width')
        .option('--height-px <px>', 'chart height'),
    ).action((input: string, flags: PlotFlags) => plotAction(input, flags, io)),
  );
  return cmd;
}
