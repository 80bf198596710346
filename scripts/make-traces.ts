/**
 * Writes the small traces shipped in traces/ (run: `npx tsx scripts/make-traces.ts`). Deterministic: the seeded
 * RNG makes the same files every time, so the committed files can be checked against this script.
 */
import { writeFileSync } from 'node:fs';
import { createRng } from '../src/core/rng.js';

interface Out {
  name: string;
  durationsMs: number[];
  ratesKbps: number[];
}

const write = (t: Out): void =>
  writeFileSync(new URL(`../traces/${t.name}.json`, import.meta.url), JSON.stringify({ format: 'abrlab-trace', ...t }) + '\n');

/** Log-space random walk with mean reversion, one value per second: a cellular-like trace. */
function walk(name: string, seed: number, p: { meanKbps: number; minKbps: number; maxKbps: number; sigma: number; seconds: number }): Out {
  const rng = createRng(seed).derive(name);
  const ratesKbps: number[] = [];
  let x = Math.log(p.meanKbps);
  for (let i = 0; i < p.seconds; i++) {
    x += 0.15 * (Math.log(p.meanKbps) - x) + p.sigma * rng.normal();
    ratesKbps.push(Math.round(Math.min(p.maxKbps, Math.max(p.minKbps, Math.exp(x)))));
  }
  return { name, durationsMs: ratesKbps.map(() => 1000), ratesKbps };
}

write({ name: 'constant-5mbps', durationsMs: [600_000], ratesKbps: [5000] });
write({ name: 'step-down', durationsMs: [150_000, 150_000, 150_000, 150_000], ratesKbps: [10_000, 4000, 1500, 600] });
write(walk('3g-like', 3, { meanKbps: 1500, minKbps: 200, maxKbps: 4000, sigma: 0.25, seconds: 600 }));
write(walk('4g-like', 4, { meanKbps: 12_000, minKbps: 1500, maxKbps: 40_000, sigma: 0.3, seconds: 600 }));
write({
  name: 'outage',
  durationsMs: [120_000, 8000, 172_000, 20_000, 280_000],
  ratesKbps: [6000, 0, 6000, 0, 6000],
});
