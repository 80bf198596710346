import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/experiment/context.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { scenarioFromText, scenarioIssues } from '../../src/experiment/scenario.js';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { tempDir } from './fixtures.js';

// The hand-checked setup of test/sim/content/series-session.test.ts, as a scenario: three 40 s episodes of ten
// 4 s segments at one 1000 kbps rung (500,000 B a segment: 400 ms alone on 10 Mbps with no latency), credits at
// 35 s. Every viewer goes on (continueProbability 1, never cancelling autoplay). With the reference prefetch the
// next episode's first 5 segments are fetched from 80 % (the link is idle by then) and each transition has no gap;
// without prefetch the next episode waits for its first segment: a 400 ms gap at each of the 2 transitions.
const dir = tempDir('abrlab-content-');
const episode = (name: string, segmentMs: number, durationMs: number) => ({
  name,
  segmentDurationMs: segmentMs,
  durationMs,
  sizeVariation: 0,
  representations: [{ id: 'only', bitrateKbps: 1000, width: 640, height: 360 }],
});
writeFileSync(join(dir, 'ep.json'), JSON.stringify(episode('ep', 4000, 40_000)));
writeFileSync(join(dir, 'event.json'), JSON.stringify(episode('event', 2000, 200_000)));
writeFileSync(join(dir, 'ten-mbps.json'), JSON.stringify({ format: 'abrlab-trace', name: 'ten-mbps', durationsMs: [600_000], ratesKbps: [10_000] }));

const SERIES_YAML = `name: series-test
seed: 3
content:
  type: series
  name: test-series
  episodes:
    - { id: e1, video: ep.json, creditsStartMs: 35000 }
    - { id: e2, video: ep.json, creditsStartMs: 35000 }
    - { id: e3, video: ep.json, creditsStartMs: 35000 }
  continueProbability: 1
  cancelAutoplayProbability: 0
traces: [ten-mbps.json]
network: { latencyMs: 0 }
policies: [reference]
replicates: 3
variants:
  - { name: prefetch-on, content: { prefetch: reference } }
  - { name: prefetch-off, content: { prefetch: 'off' } }
  - { name: predictive-occasional, content: { prefetch: predictive, viewerBingeRate: 0.5 } }
  - { name: predictive-binger, content: { prefetch: predictive, viewerBingeRate: 0.8 } }
output: { segments: false }
report: { timelines: 2, html: false }
ab:
  arms:
    - { name: on, variant: prefetch-on }
    - { name: off, variant: prefetch-off }
  metrics: [transitionGapMeanMs, prefetchWastedBytes]
`;

const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
const rowsOf = (d: string) => read(d, 'results.jsonl').trim().split('\n').map((l) => JSON.parse(l));

describe('series scenarios run through the series driver', () => {
  const file = join(dir, 'series.yaml');
  writeFileSync(file, SERIES_YAML);
  const out = join(dir, 'series-run');
  const run = runScenario(scenarioFromText(SERIES_YAML, file), { outDir: out, command: 'abrlab run series.yaml', workers: 0, quiet: true });

  it('gives the hand-computed transition gaps: 0 ms with prefetch, 400 ms without', async () => {
    await run;
    const rows = rowsOf(out);
    expect(rows).toHaveLength(12);
    const byVariant = (v: string) => rows.filter((r) => r.variant === v);
    for (const r of byVariant('prefetch-on')) {
      expect(r.video).toBe('test-series');
      expect(r.series.transitionGapsMs).toEqual([expect.closeTo(0, 6), expect.closeTo(0, 6)]);
      expect(r.series.episodes).toBe(3);
      // 2 transitions × 5 segments, all used.
      expect(r.series.prefetchedBytes).toBe(10 * 500_000);
      expect(r.series.wastedBytes).toBe(0);
      // One summary over the binge: 3 × 40 s played, all of it.
      expect(r.summary.playMs).toBeCloseTo(120_000, 6);
      expect(r.summary.completion).toBeCloseTo(1, 9);
      expect(r.summary.avgBitrateKbps).toBeCloseTo(1000, 9);
    }
    for (const r of byVariant('prefetch-off')) {
      expect(r.series.transitionGapsMs).toEqual([expect.closeTo(400, 6), expect.closeTo(400, 6)]);
      expect(r.series.prefetchedBytes).toBe(0);
    }
    // The §4.1 prefetcher: next episode 0.5 ≤ 0.6 for the occasional viewer (no prefetch), 0.75 > 0.6 for the binger.
    for (const r of byVariant('predictive-occasional')) expect(r.series.transitionGapMeanMs).toBeCloseTo(400, 6);
    for (const r of byVariant('predictive-binger')) expect(r.series.transitionGapMeanMs).toBeCloseTo(0, 6);
    const summary = JSON.parse(read(out, 'summary.json'));
    const gap = (g: string) => summary.policies.find((p: { policy: string }) => p.policy === g).metrics.transitionGapMeanMs.mean;
    expect(gap('reference · prefetch-on')).toBeCloseTo(0, 6);
    expect(gap('reference · prefetch-off')).toBeCloseTo(400, 6);
    // Metrics of other content types are absent (null in JSON), not zero.
    expect(summary.policies[0].metrics.liveLatencyMeanMs.mean).toBeNull();
  });

  it('draws each timeline over all episodes on one clock', async () => {
    await run;
    const timelines = read(out, 'timelines.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    expect(timelines.length).toBeGreaterThan(0);
    // Three episodes of 40 s at 1000 kbps: the played steps span the whole binge (past 80 s of clock time).
    const played = timelines[0].timeline.played.tMs as number[];
    expect(played[played.length - 1]).toBeGreaterThan(80_000);
  });

  it('the A/B of prefetch on/off shows the 400 ms gap difference for every user', async () => {
    const res = await runCli(['ab', file, '--out', join(dir, 'series-ab')]);
    expect(res.code).toBe(0);
    const ab = JSON.parse(read(join(dir, 'series-ab'), 'ab.json'));
    const gap = ab.comparisons[0].metrics.find((m: { metric: string }) => m.metric === 'transitionGapMeanMs');
    expect(gap).toMatchObject({ higherIsBetter: false, n: 3 });
    expect(gap.controlMean).toBeCloseTo(0, 6);
    expect(gap.treatmentMean).toBeCloseTo(400, 6);
    expect(gap.meanDiff).toBeCloseTo(400, 6);
  });
});

describe('content scenarios are byte-identical for any worker count', () => {
  it('series with per-user binge rates on generated traces: --workers 1 and 2 give the same bytes', async () => {
    const yaml = `name: series-workers
seed: 9
content:
  type: series
  episodes:
    - { id: e1, video: ep.json, creditsStartMs: 35000 }
    - { id: e2, video: ep.json }
    - { id: e3, video: ep.json }
  bingeRates: { min: 0.3, max: 1 }
traces:
  - generate: { generator: markov, seed: 5, durationMs: 60000 }
    count: 4
policies: [reference, bba]
variants:
  - { name: reference, content: { prefetch: reference } }
  - { name: predictive, content: { prefetch: predictive } }
report: { timelines: 3, html: false }
`;
    const file = join(dir, 'workers.yaml');
    writeFileSync(file, yaml);
    const loaded = scenarioFromText(yaml, file);
    const outs = [1, 2].map((w) => join(dir, `workers-${w}`));
    for (const [k, outDir] of outs.entries()) await runScenario(loaded, { outDir, command: 'abrlab run workers.yaml', workers: k + 1, quiet: true });
    for (const f of ['results.jsonl', 'summary.json', 'timelines.jsonl']) expect(read(outs[1] as string, f)).toBe(read(outs[0] as string, f));
    // Pairing: a user's four arms share the seed and the binge (drawn from the seed).
    const rows = rowsOf(outs[0] as string);
    for (let u = 0; u < rows.length / 4; u++) {
      const arms = rows.slice(u * 4, u * 4 + 4);
      expect(new Set(arms.map((r) => `${r.seed}/${r.series.ends.join(',')}/${r.series.bingeRate}`)).size).toBe(1);
    }
  });
});

describe('live and interactive scenarios', () => {
  it('live: the hand-computed latency of test/sim/content/live-event.test.ts (8,600 ms behind the edge)', async () => {
    // One 1000 kbps rung in 2 s segments on 10 Mbps, joining at 60 s with the 8 s target: segment 26, first frame
    // at 60,600 with the playhead at 52 s, so 8,600 ms behind the edge for good (no stall).
    const yaml = `name: live-test
content: { type: live, joinMinMs: 60000 }
video: event.json
traces: [ten-mbps.json]
network: { latencyMs: 0 }
policies: [reference]
report: { timelines: 1, html: false }
`;
    const file = join(dir, 'live.yaml');
    writeFileSync(file, yaml);
    const out = join(dir, 'live-run');
    await runScenario(scenarioFromText(yaml, file), { outDir: out, command: 'abrlab run live.yaml', workers: 0, quiet: true });
    const [row] = rowsOf(out);
    expect(row.live).toMatchObject({ joinAtMs: 60_000, joinSegment: 26, targetLatencyMs: 8000, stalls: 0 });
    expect(row.live.ttffMs).toBeCloseTo(600, 6);
    expect(row.live.latencyMeanMs).toBeCloseTo(8600, 6);
    expect(row.live.latencyP95Ms).toBeCloseTo(8600, 6);
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.policies[0].metrics.liveLatencyMeanMs.mean).toBeCloseTo(8600, 6);
  });

  it('interactive: a two-way choice costs a stall without branch prefetch, none with it', async () => {
    // Scene a (20 s) asks at 10 s; both options lead to 20 s scenes. With prefetch the first segment of both
    // branches is in long before a ends: the chosen one starts at once. Without, the next scene waits for its
    // first segment after the choice: 400 ms alone on the link (4 s at 1000 kbps on 10 Mbps).
    const graph = {
      content_id: 'tiny',
      initial_scene: 'a',
      scenes: [
        { scene_id: 'a', duration: 20, decision: { decision_id: 'd', timestamp: 10, prompt: '?', options: [{ id: 'x', label: 'x', next_scene: 'b' }, { id: 'y', label: 'y', next_scene: 'c' }] } },
        { scene_id: 'b', duration: 20 },
        { scene_id: 'c', duration: 20 },
      ],
    };
    writeFileSync(join(dir, 'tiny-graph.json'), JSON.stringify(graph));
    const yaml = `name: interactive-test
content: { type: interactive, graph: tiny-graph.json, choice: { timeoutProbability: 0, maxDecisionS: 5 } }
video: ep.json
traces: [ten-mbps.json]
network: { latencyMs: 0 }
policies: [reference]
replicates: 2
variants:
  - { name: on, content: { prefetch: true } }
  - { name: off, content: { prefetch: false } }
report: { timelines: 0, html: false }
`;
    const file = join(dir, 'interactive.yaml');
    writeFileSync(file, yaml);
    const out = join(dir, 'interactive-run');
    await runScenario(scenarioFromText(yaml, file), { outDir: out, command: 'abrlab run interactive.yaml', workers: 0, quiet: true });
    const rows = rowsOf(out);
    for (const r of rows.filter((x) => x.variant === 'on')) {
      expect(r.interactive.branchStallMs).toBeCloseTo(0, 6);
      // The branch not taken: one 500,000 B segment wasted.
      expect(r.interactive.wastedBytes).toBe(500_000);
    }
    for (const r of rows.filter((x) => x.variant === 'off')) {
      expect(r.interactive.branchStallMs).toBeCloseTo(400, 6);
      expect(r.interactive.wastedBytes).toBe(0);
    }
    // Same user, same choice in both arms.
    expect(rows[0].interactive.path).toEqual(rows[1].interactive.path);
  });
});

describe('content section errors name their fields', () => {
  const issuesOf = (yaml: string) => scenarioIssues(parseYaml(yaml)).map((i) => i.field);
  const head = 'name: x\ntraces: [t.json]\npolicies: [reference]\n';

  it('series: catalog or episodes, variants change settings only, prefetch modes', () => {
    expect(issuesOf(`${head}content: { type: series }`)).toContain('content.catalog');
    expect(issuesOf(`${head}content: { type: series, catalog: s.json }\nvideo: v.json`)).toContain('video');
    expect(issuesOf(`${head}content: { type: series, catalog: s.json, prefetch: sometimes }`)).toContain('content.prefetch');
    const variant = (c: string) => `${head}content: { type: series, catalog: s.json }\nvariants:\n  - { name: a, content: ${c} }`;
    expect(issuesOf(variant('{ prefetch: sometimes }'))).toContain('variants[0].content.prefetch');
    expect(issuesOf(variant('{ catalog: other.json }'))).toContain('variants[0].content.catalog');
    expect(issuesOf(variant('{ viewerBingeRate: 2 }'))).toContain('variants[0].content.viewerBingeRate');
    expect(issuesOf(`${head}content: { type: series, catalog: s.json, bingeRates: { min: 0.9, max: 0.5 } }`)).toContain('content.bingeRates.min');
  });

  it('live and interactive: their inputs, ranges and the features not offered yet', () => {
    expect(issuesOf(`${head}content: { type: live }`)).toContain('video');
    expect(issuesOf(`${head}video: v.json\ncontent: { type: live, targetLatencyMs: -1 }`)).toContain('content.targetLatencyMs');
    expect(issuesOf(`${head}video: v.json\ncontent: { type: live, joinMinMs: 9000, joinMaxMs: 1000 }`)).toContain('content.joinMaxMs');
    expect(issuesOf(`${head}video: v.json\ncontent: { type: live }\nbehaviour: { seeks: { meanCount: 1 } }`)).toContain('behaviour.seeks');
    expect(issuesOf(`${head}video: v.json\ncontent: { type: live }\ncdns: reference`)).toContain('cdns');
    expect(issuesOf(`${head}content: { type: interactive, graph: g.json }`)).toContain('video');
    expect(issuesOf(`${head}video: v.json\ncontent: { type: trailer }`)).toContain('content.type');
    expect(issuesOf(`${head}video: v.json\nvariants:\n  - { name: a, content: { prefetch: 'off' } }`)).toContain('variants[0].content');
  });

  it('loading: an unknown scene id names content.scenes.<id>', async () => {
    const yaml = `name: bad-scenes
content: { type: interactive, graph: tiny-graph.json, scenes: { nowhere: ep.json } }
video: ep.json
traces: [ten-mbps.json]
policies: [reference]
`;
    writeFileSync(join(dir, 'tiny-graph.json'), JSON.stringify({ content_id: 't', initial_scene: 'a', scenes: [{ scene_id: 'a', duration: 8 }] }));
    await expect(prepareRun(scenarioFromText(yaml, join(dir, 'bad.yaml')))).rejects.toThrow(/content\.scenes\.nowhere/);
  });
});
