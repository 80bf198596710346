/**
 * Simulated segment downloads per second on one core: the reference player over the shipped traces on the
 * 10-minute reference title (150 segments of 4 s, 9 rungs). Issue floor 200,000/s; project target 1,000,000/s.
 *
 *   npx tsx bench/simulator.bench.ts            (or: npm run bench -- simulator)
 */
import { readdirSync } from 'node:fs';
import { Bench } from 'tinybench';
import { loadTraceFile } from '../src/net/formats/index.js';
import { loadCatalogFile } from '../src/origin/load-catalog.js';
import { simulateSession } from '../src/sim/simulate.js';
import { machineLine, median } from './machine.js';

const root = new URL('../traces/', import.meta.url);
const catalog = await loadCatalogFile(new URL('videos/reference-10min.json', root).pathname);
const names = readdirSync(root).filter((f) => f.endsWith('.json')).sort();
const traces = await Promise.all(names.map((f) => loadTraceFile(new URL(f, root).pathname)));

console.log(machineLine('npx tsx bench/simulator.bench.ts'));
console.log(`traces: ${names.join(', ')}; video: ${catalog.name} (${catalog.segmentCount} segments × ${catalog.representations.length} rungs)`);

// Whole-run timer: sessions back to back, as a sweep runs them (timelines off, as the runner does for most).
const rounds: number[] = [];
for (let round = 0; round < 7; round++) {
  let segments = 0;
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) {
    for (const trace of traces) {
      segments += simulateSession({ trace, catalog, policy: 'reference', player: { recordTimeline: false } }).segments.length;
    }
  }
  const ms = performance.now() - t0;
  rounds.push((segments / ms) * 1000);
}
// The first rounds include JIT warm-up; report the median of all and of the warm rounds.
console.log(`whole run: median ${Math.round(median(rounds)).toLocaleString('en-US')} segment downloads/s over ${rounds.length} rounds of ${100 * traces.length} sessions (warm median ${Math.round(median(rounds.slice(2))).toLocaleString('en-US')}/s)`);

const bench = new Bench({ time: 1000, warmupTime: 200 });
for (const trace of traces) {
  bench.add(`session ${trace.name}`, () => {
    simulateSession({ trace, catalog, policy: 'reference', player: { recordTimeline: false } });
  });
}
await bench.run();
console.table(bench.table());
