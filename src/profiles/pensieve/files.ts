/**
 * Readers for Pensieve's own inputs: "cooked" traces (`time_s  throughput_Mbps` per line, whitespace separated,
 * `sim/load_trace.py`) and `video_size_<q>` files (one integer byte count per line, first field,
 * `fixed_env.py`). Values are kept exactly as parsed (seconds, Mbit/s, bytes): the simulator's arithmetic runs on
 * them, so converting to ms/kbps here would change the last bits of every result.
 *
 * Where Python would crash or loop forever (blank or non-numeric line, one sample, no capacity) or silently
 * produce nonsense (time going backwards, negative throughput), these throw an InputError naming the file and line.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../../core/errors.js';

/** A cooked trace: sample times, s, and the throughput, Mbit/s, of the interval that ENDS at each time. */
export interface CookedTrace {
  readonly name: string;
  readonly timeS: Float64Array;
  readonly bwMbps: Float64Array;
}

/** Per-quality chunk sizes, bytes (`sizesBytes[q][chunk]`), every line of each file. */
export interface PensieveVideo {
  readonly name: string;
  readonly sizesBytes: readonly Float64Array[];
}

/** Python's `float()` on a plain decimal token (no hex, no `inf`/`nan`). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^\+?\d+$/;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} (${code ?? String(err)})`, { file });
  }
}

/** Lines of `text` with their 1-based numbers; trailing blank lines are dropped (a final newline is normal). */
function numberedLines(text: string): { text: string; line: number }[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  return lines.map((t, i) => ({ text: t, line: i + 1 }));
}

/** Parses cooked-trace text; `source` names the file in errors. */
export function parseCookedTrace(text: string, source: string, name = basename(source)): CookedTrace {
  const lines = numberedLines(text);
  const timeS = new Float64Array(lines.length);
  const bwMbps = new Float64Array(lines.length);
  lines.forEach(({ text: t, line }, i) => {
    const fields = t.trim().split(/\s+/);
    const [ts, bw] = fields;
    if (ts === undefined || bw === undefined || ts === '') {
      throw new InputError(`expected "time_s throughput_Mbps", got "${t}"`, { file: source, line });
    }
    if (!DECIMAL.test(ts)) throw new InputError(`time "${ts}" is not a number`, { file: source, line });
    if (!DECIMAL.test(bw)) throw new InputError(`throughput "${bw}" is not a number (Mbit/s)`, { file: source, line });
    const time = Number(ts);
    const rate = Number(bw);
    if (!(rate >= 0) || !Number.isFinite(rate)) throw new InputError(`throughput ${bw} Mbit/s must be finite and >= 0`, { file: source, line });
    if (!Number.isFinite(time) || time < 0) throw new InputError(`time ${ts} s must be finite and >= 0`, { file: source, line });
    if (i > 0 && time < (timeS[i - 1] as number)) {
      throw new InputError(`time ${ts} s goes back from ${timeS[i - 1]} s; times must not decrease`, { file: source, line });
    }
    timeS[i] = time;
    bwMbps[i] = rate;
  });
  if (lines.length < 2) {
    throw new InputError(`has ${lines.length} sample(s); the simulator needs at least 2 (interval i ends at sample i, sample 0 only starts the clock)`, {
      file: source,
    });
  }
  // bw[0] is never used; without capacity in some later interval no chunk would ever finish.
  let capacity = false;
  for (let i = 1; i < lines.length; i++) {
    if ((bwMbps[i] as number) > 0 && (timeS[i] as number) > (timeS[i - 1] as number)) capacity = true;
  }
  if (!capacity) throw new InputError('no interval after the first sample has capacity: no chunk could ever finish', { file: source });
  return { name, timeS, bwMbps };
}

export function readCookedTrace(file: string): CookedTrace {
  return parseCookedTrace(readText(file, 'trace'), file);
}

/** Parses one `video_size_<q>` file: the first field of each line, a non-negative integer byte count. */
export function parseVideoSizes(text: string, source: string): Float64Array {
  const lines = numberedLines(text);
  const out = new Float64Array(lines.length);
  lines.forEach(({ text: t, line }, i) => {
    const first = t.trim().split(/\s+/)[0] ?? '';
    if (!INTEGER.test(first)) throw new InputError(`chunk size "${first}" is not a whole number of bytes`, { file: source, line });
    out[i] = Number(first);
  });
  if (lines.length === 0) throw new InputError('has no chunk sizes', { file: source });
  return out;
}

/** Reads `dir/video_size_0 .. video_size_<levels−1>`. */
export function readPensieveVideo(dir: string, levels: number): PensieveVideo {
  const sizesBytes: Float64Array[] = [];
  for (let q = 0; q < levels; q++) {
    const file = join(dir, `video_size_${q}`);
    sizesBytes.push(parseVideoSizes(readText(file, `chunk sizes of quality ${q}`), file));
  }
  return { name: basename(dir), sizesBytes };
}

/**
 * Trace files of a directory, sorted by name. (load_trace.py uses `os.listdir`, whose order depends on the file
 * system; sorting makes runs repeatable. Only robust MPC without the per-trace reset depends on the order.)
 * Hidden files and sub-directories are skipped.
 */
export function listTraceFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new InputError(`cannot list trace directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file: dir });
  }
  const files = names
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n))
    .filter((f) => statSync(f).isFile());
  if (files.length === 0) throw new InputError('holds no trace files', { file: dir });
  return files;
}
