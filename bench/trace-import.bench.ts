/**
 * Trace import throughput and memory: generates a ~100 MB Mahimahi file and a ~100 MB CSV file in
 * os.tmpdir() (never committed), imports each in a fresh child process (so peak RSS is the import's alone),
 * and prints MB/s, peak RSS, the machine and the command. Target (issue 4): >= 50 MB/s, < 200 MB RSS.
 * Under tsx the process holds ~90 MB before importing anything (esbuild and the loader; plain node ~40 MB),
 * so the RSS of the runtime before the import is printed too.
 *
 *   npx tsx bench/trace-import.bench.ts [--mb 100] [--keep]
 *
 * The Mahimahi file is a seeded random-walk link around 2 opportunities/ms (~24 Mbit/s at 1504 B), imported
 * with the streamed default of 10 ms bins. The CSV mimics a per-second drive-test log (Lumos5G-like:
 * time, position, signal, throughput; ~50 B per row), so the trace has one period per row.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/core/rng.js';

const MB = 1_000_000;

async function writeInChunks(path: string, targetBytes: number, nextChunk: () => string): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  while (written < targetBytes) {
    const chunk = nextChunk();
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function generateMahimahi(path: string, targetBytes: number): Promise<void> {
  const rng = createRng('bench-mahimahi');
  let tMs = 0;
  let perMs = 2;
  let carry = 0;
  await writeInChunks(path, targetBytes, () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      perMs = Math.min(6, Math.max(0.05, perMs * Math.exp(rng.normal(0, 0.02))));
      carry += perMs;
      const k = Math.floor(carry);
      carry -= k;
      for (let j = 0; j < k; j++) lines.push(String(tMs));
      tMs++;
    }
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  });
}

async function generateCsv(path: string, targetBytes: number): Promise<void> {
  const rng = createRng('bench-csv');
  let tS = 0;
  let mbps = 50;
  let first = true;
  await writeInChunks(path, targetBytes, () => {
    const rows: string[] = first ? ['time_s,latitude,longitude,rsrp_dbm,throughput_mbps'] : [];
    first = false;
    for (let i = 0; i < 20_000; i++) {
      mbps = Math.min(900, Math.max(0.5, mbps * Math.exp(rng.normal(0, 0.1))));
      const lat = 44.97 + rng.uniform(-0.01, 0.01);
      const lon = -93.26 + rng.uniform(-0.01, 0.01);
      rows.push(`${tS},${lat.toFixed(6)},${lon.toFixed(6)},${(-80 - rng.uniform(0, 40)).toFixed(1)},${mbps.toFixed(3)}`);
      tS++;
    }
    return `${rows.join('\n')}\n`;
  });
}

/** Child mode: import one file, print one JSON line with the timing and peak RSS. */
async function child(path: string): Promise<void> {
  const { loadTraceFile } = await import('../src/net/formats/index.js');
  const baselineRssMB = process.memoryUsage().rss / MB;
  const t0 = process.hrtime.bigint();
  const trace = await loadTraceFile(path);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / MB;
  process.stdout.write(
    `${JSON.stringify({ seconds, peakRssMB, baselineRssMB, periods: trace.rateKbps.length, durationMs: trace.durationMs })}\n`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child' && args[1] !== undefined) return child(args[1]);
  const mbIdx = args.indexOf('--mb');
  const targetMB = mbIdx >= 0 ? Number(args[mbIdx + 1]) : 100;
  const keep = args.includes('--keep');
  const dir = await mkdtemp(join(os.tmpdir(), 'abrlab-trace-bench-'));
  const cpu = os.cpus()[0];
  console.log(`command: npx tsx bench/trace-import.bench.ts ${args.join(' ')}`.trim());
  console.log(`machine: ${cpu?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  const cases: [string, string, (p: string, b: number) => Promise<void>][] = [
    ['mahimahi', join(dir, 'bench.down'), generateMahimahi],
    ['csv', join(dir, 'bench.csv'), generateCsv],
  ];
  try {
    for (const [label, path, generate] of cases) {
      await generate(path, targetMB * MB);
      const sizeMB = statSync(path).size / MB;
      const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', path], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`import child failed: ${r.stderr}`);
      const res = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
        seconds: number;
        peakRssMB: number;
        baselineRssMB: number;
        periods: number;
        durationMs: number;
      };
      const mbps = sizeMB / res.seconds;
      const verdict = mbps >= 50 && res.peakRssMB < 200 ? 'OK' : 'MISSES TARGET';
      console.log(
        `${label.padEnd(8)} ${sizeMB.toFixed(1)} MB in ${res.seconds.toFixed(2)} s = ${mbps.toFixed(1)} MB/s, ` +
          `peak RSS ${res.peakRssMB.toFixed(0)} MB (runtime before import ${res.baselineRssMB.toFixed(0)} MB), ${res.periods} periods over ${(res.durationMs / 1000).toFixed(0)} s ` +
          `[target >= 50 MB/s, < 200 MB: ${verdict}]`,
      );
      if (!keep) rmSync(path, { force: true });
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
