/**
 * Whole-sweep throughput of the runner (issue 5, "Scale"): the reference player on the 10-minute reference title
 * over the shipped traces (random trace offsets, so every session differs), results streamed to results.jsonl
 * without segment rows, no report. Measures sessions/s with 1 and 2 workers, the time of N and 4N sessions, and
 * the process's peak RSS (workers are threads of this process, so maxRSS covers them).
 *
 * Issue targets: 100,000 sessions ≤ 30 s wall and ≤ 1 GB RSS on 2 cores; 2 workers ≥ 1.8× one; 4× the sessions
 * ≤ 4.2× the time. The default N (10,000) keeps the whole bench under a minute; the 100,000 figure is extrapolated.
 *
 *   npx tsx bench/sweep.bench.ts [N]          (or: npm run bench -- sweep)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runScenario } from '../src/experiment/run-scenario.js';
import { scenarioFromText } from '../src/experiment/scenario.js';
import { machineLine } from './machine.js';

const N = Number(process.argv[2] ?? 10_000);
const root = new URL('../traces/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'abrlab-sweep-bench-'));

/** A scenario of `sessions` sessions (a multiple of the 5 shipped traces). */
function scenario(sessions: number): ReturnType<typeof scenarioFromText> {
  const text = [
    `name: sweep-bench`,
    `seed: 1`,
    `video: ${join(root, 'videos/reference-10min.json')}`,
    `traces: ["${join(root, '*.json')}"]`,
    `policies: [reference]`,
    `replicates: ${Math.ceil(sessions / 5)}`,
    `behaviour: { randomTraceOffset: true }`,
    `output: { segments: false }`,
    `report: { timelines: 0, html: false }`,
    '',
  ].join('\n');
  const file = join(work, `bench-${sessions}.yaml`);
  writeFileSync(file, text);
  return scenarioFromText(text, file);
}

interface Timing {
  sessions: number;
  ms: number;
  rate: number;
  /** CPU time of the whole process (every thread), ms: on a shared machine wall time alone says little. */
  cpuMs: number;
  /** Sessions/s from the first batch written to the last: the rate without starting the workers. */
  steadyRate: number;
}

async function timed(sessions: number, workers: number): Promise<Timing> {
  const loaded = scenario(sessions);
  const out = join(work, `out-${sessions}-${workers}`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let first: { atMs: number; done: number } | undefined;
  let lastMs = 0;
  const onProgress = (done: number): void => {
    lastMs = performance.now();
    first ??= { atMs: lastMs, done };
  };
  const outcome = await runScenario(loaded, { outDir: out, command: 'bench', workers, quiet: true, onProgress });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  rmSync(out, { recursive: true, force: true });
  const steadyRate = first === undefined ? NaN : ((outcome.sessions - first.done) / (lastMs - first.atMs)) * 1000;
  return { sessions: outcome.sessions, ms, rate: (outcome.sessions / ms) * 1000, cpuMs: (cpu.user + cpu.system) / 1000, steadyRate };
}

/** Cores kept busy on average, and CPU time per session. */
const cpuLine = (t: Timing): string => `[${fmt(t.cpuMs / t.ms, 2)} cores busy, ${fmt((t.cpuMs / t.sessions) * 1000)} µs CPU a session]`;

/**
 * How many cores this process can get right now: spin counts of two threads at once against one alone. On a
 * shared machine this bounds the 2-worker speed-up, whatever the runner does.
 */
async function availableCores(): Promise<number> {
  const spin = (): Promise<number> =>
    new Promise((res, rej) => {
      const w = new Worker('const t = performance.now(); let n = 0; while (performance.now() - t < 1000) n++; require("node:worker_threads").parentPort.postMessage(n);', { eval: true });
      w.once('message', (n: number) => void w.terminate().then(() => res(n)));
      w.once('error', rej);
    });
  const alone = await spin();
  const both = await Promise.all([spin(), spin()]);
  return (both[0] + both[1]) / alone;
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

console.log(machineLine(`npx tsx bench/sweep.bench.ts ${N}`));
const loadBefore = loadavg();
const cores = await availableCores();
// Warm-up: JIT and the file cache, so the first measured run is not the slowest for reasons of its own.
await timed(Math.max(5, Math.round(N / 10)), 2);
const one = await timed(N, 1);
const two = await timed(N, 2);
const four = await timed(4 * N, 2);
const maxRssMb = process.resourceUsage().maxRSS / 1024;

console.log(`load average before: ${loadBefore.map((l) => l.toFixed(1)).join(' ')}; two spinning threads get ${fmt(cores, 2)}× the work of one (the ceiling of any 2-worker speed-up right now)`);
console.log(`1 worker : ${fmt(one.sessions)} sessions in ${fmt(one.ms / 1000, 2)} s = ${fmt(one.rate)} sessions/s ${cpuLine(one)}`);
console.log(`2 workers: ${fmt(two.sessions)} sessions in ${fmt(two.ms / 1000, 2)} s = ${fmt(two.rate)} sessions/s (×${fmt(two.rate / one.rate, 2)} of 1 worker; target ≥ 1.8) ${cpuLine(two)}`);
console.log(`2 workers: ${fmt(four.sessions)} sessions in ${fmt(four.ms / 1000, 2)} s (×${fmt(four.ms / two.ms, 2)} the time of ${fmt(two.sessions)}; target ≤ 4.2) ${cpuLine(four)}`);
console.log(`steady state (worker start-up excluded): 1 worker ${fmt(one.steadyRate)}/s, 2 workers ${fmt(two.steadyRate)}/s (×${fmt(two.steadyRate / one.steadyRate, 2)}), ${fmt(four.steadyRate)}/s over ${fmt(four.sessions)}`);
const fourRate = (four.sessions / four.ms) * 1000;
console.log(`extrapolated: 100,000 sessions ≈ ${fmt(100_000 / fourRate, 1)} s on 2 workers at the ${fmt(four.sessions)}-session rate (target ≤ 30 s)`);
console.log(`  from CPU time: ${fmt((four.cpuMs / four.sessions) * 100, 1)} s of CPU for 100,000 sessions → ≈ ${fmt((four.cpuMs / four.sessions) * 50, 1)} s on 2 free cores`);
console.log(`peak RSS: ${fmt(maxRssMb)} MB (target ≤ 1024 MB)`);
rmSync(work, { recursive: true, force: true });
