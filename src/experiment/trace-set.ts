import { InputError } from '../core/errors.js';
import { loadTraceFile, type TraceFormatName } from '../net/formats/index.js';
import { generateTrace } from '../net/generators/index.js';
import type { Trace } from '../net/trace.js';
import { expandTracePaths } from './expand.js';
import type { LoadedScenario, TraceEntry } from './scenario.js';

/**
 * Loads a scenario's trace set in a fixed order: each entry in turn — files (sorted, de-duplicated across
 * entries), or `count` generated traces whose k-th uses seed "<seed>/<k>" — so every machine sees the same list.
 */
export async function loadScenarioTraces(loaded: LoadedScenario): Promise<Trace[]> {
  const { scenario } = loaded;
  const seen = new Set<string>();
  const traces: Trace[] = [];
  for (const [i, entry] of scenario.traces.entries()) {
    const field = `traces[${i}]`;
    if (typeof entry !== 'string' && 'generate' in entry) {
      for (let k = 0; k < entry.count; k++) {
        const spec = { ...entry.generate, seed: `${entry.generate.seed}/${k}`, ...(entry.generate.name === undefined ? {} : { name: `${entry.generate.name}-${k}` }) };
        traces.push(generateTrace(spec, `${loaded.file}, field "${field}.generate"`));
      }
      continue;
    }
    const files = await filesOf(entry, loaded, field);
    const format = (typeof entry === 'string' ? undefined : entry.format) ?? scenario.traceFormat;
    for (const path of files) {
      if (seen.has(path)) continue;
      seen.add(path);
      traces.push(await loadTraceFile(path, format === undefined ? {} : { format: format as TraceFormatName }));
    }
  }
  if (traces.length === 0) throw new InputError('the trace set is empty', { file: loaded.file, field: 'traces' });
  return traces;
}

async function filesOf(entry: Exclude<TraceEntry, { generate: unknown }>, loaded: LoadedScenario, field: string): Promise<string[]> {
  const path = typeof entry === 'string' ? entry : entry.path;
  const files = await expandTracePaths([loaded.resolvePath(path)], loaded.file).catch((err: unknown) => {
    if (err instanceof InputError) throw new InputError(`"${path}" matches no trace file`, { file: loaded.file, field });
    throw err;
  });
  return typeof entry === 'string' || entry.limit === undefined ? files : files.slice(0, entry.limit);
}
