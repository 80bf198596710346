/**
 * Simulator (fluid model) vs live mode over `abrlab serve` on loopback, on the same 5 traces, title and policy
 * (issue 8, item 5): per trace, the difference in average bitrate, rebuffer count and startup, against the
 * issue's tolerances (5 %, ±1, ±300 ms). Live sessions run in real time, so this takes about
 * 5 × the title's duration (default 24 s → about 2 minutes).
 *
 *   npx tsx bench/live-agreement.bench.ts [--duration-s 24] [--policy reference] [--latency-ms 40] [--hls]
 */
import { parseArgs } from 'node:util';
import { AGREEMENT_TOLERANCES, agreementCatalog, agreementFor, agreementTraces, warmUp, type AgreementRow } from '../src/live/agreement.js';
import { machineLine } from './machine.js';

const { values } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '24' },
    policy: { type: 'string', default: 'reference' },
    'latency-ms': { type: 'string', default: '40' },
    hls: { type: 'boolean', default: false },
  },
});
const durationS = Number(values['duration-s']);
const latencyMs = Number(values['latency-ms']);
const catalog = agreementCatalog(durationS);

console.log(machineLine(`npx tsx bench/live-agreement.bench.ts --duration-s ${durationS} --policy ${values.policy} --latency-ms ${latencyMs}${values.hls ? ' --hls' : ''}`));
console.log(`title: ${catalog.segmentCount} × 2 s, ladder ${catalog.representations.map((r) => r.bitrateKbps).join('/')} kbps; policy ${values.policy}; latency ${latencyMs} ms; ${values.hls ? 'HLS' : 'DASH'}`);
await warmUp();

const rows: AgreementRow[] = [];
for (const trace of agreementTraces()) {
  const row = await agreementFor({ trace, catalog, policy: values.policy, latencyMs, manifest: values.hls ? 'master.m3u8' : 'manifest.mpd' });
  rows.push(row);
  const f = (n: number, d = 0) => n.toFixed(d).padStart(7);
  console.log(
    `${row.trace.padEnd(13)} bitrate sim ${f(row.sim.avgBitrateKbps)} live ${f(row.live.avgBitrateKbps)} kbps (${(row.avgBitrateRel * 100).toFixed(2).padStart(6)} %)` +
      `  stalls sim ${row.sim.rebufferCount} live ${row.live.rebufferCount} (${row.sim.rebufferMs.toFixed(0)} / ${row.live.rebufferMs.toFixed(0)} ms)` +
      `  startup sim ${f(row.sim.startupMs)} live ${f(row.live.startupMs)} ms (${row.startupDiffMs >= 0 ? '+' : ''}${row.startupDiffMs.toFixed(0)})` +
      `  switches ${row.sim.switchCount}/${row.live.switchCount}  ${row.withinTolerance ? 'ok' : 'OUT OF TOLERANCE'}  (wall ${(row.liveWallMs / 1000).toFixed(1)} s)`,
  );
}
const ok = rows.filter((r) => r.withinTolerance).length;
const maxRel = Math.max(...rows.map((r) => Math.abs(r.avgBitrateRel)));
const maxStartup = Math.max(...rows.map((r) => Math.abs(r.startupDiffMs)));
const maxStalls = Math.max(...rows.map((r) => Math.abs(r.rebufferCountDiff)));
console.log(
  `${ok}/${rows.length} traces within tolerance (bitrate ${AGREEMENT_TOLERANCES.avgBitrateRel * 100} %, stalls ±${AGREEMENT_TOLERANCES.rebufferCount}, startup ±${AGREEMENT_TOLERANCES.startupMs} ms); ` +
    `worst: bitrate ${(maxRel * 100).toFixed(2)} %, stalls ${maxStalls}, startup ${maxStartup.toFixed(0)} ms`,
);
