import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/experiment/context.js';
import { edgeGroupOf, unitSessions } from '../../src/experiment/edge-groups.js';
import { mergeShards } from '../../src/experiment/merge.js';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { parseScenarioDocument, scenarioFromText, scenarioIssues } from '../../src/experiment/scenario.js';
import { runPlannedSession } from '../../src/experiment/session-run.js';
import { tempDir, writeScenario } from './fixtures.js';

// 3 traces × 2 replicates = 6 users, 2 policies each: 12 sessions. Groups of 4 users: users 0–3 and 4–5, each
// policy its own population. Every user watches the same 40 s title through one edge with room for all of it.
const YAML = `name: edge-sharing-test
seed: 9
video: video.json
traces:
  - generate: { generator: markov, seed: 3, durationMs: 60000 }
    count: 3
replicates: 2
policies: [reference, bba]
cdns:
  - { name: edge, latencyMs: 10, missPenaltyMs: 80, cacheBytes: 100000000 }
  - { name: origin, latencyMs: 90, missPenaltyMs: 0, hitRatio: 1 }
cdnSharing: { sessionsPerEdge: 4, arrivalGapMs: 2000 }
output: { segments: true }
report: { timelines: 2, html: false }
`;

const command = 'abrlab run scenario.yaml';
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
type Row = { policy: string; replicate: number; trace: string; delivery: { cdns: Record<string, { hits: number; misses: number }> } };

describe('cdnSharing: sessions sharing CDN edges in a sweep', () => {
  const dir = tempDir();
  const file = writeScenario(dir, YAML);
  const loaded = scenarioFromText(YAML, file);
  const reference = join(dir, 'w0');
  const referenceRun = runScenario(loaded, { outDir: reference, command, workers: 0, quiet: true });

  it('groups consecutive users, each arm apart, arriving arrivalGapMs apart', async () => {
    const ctx = await prepareRun(loaded);
    expect(unitSessions(ctx)).toBe(8);
    // Plan index = user × 2 + policy. Session 3 (user 1, bba) is in the bba group of users 0–3.
    expect(edgeGroupOf(ctx, 3)).toEqual({ indices: [1, 3, 5, 7], startAtMs: [0, 2000, 4000, 6000] });
    // The last group holds the 2 users left.
    expect(edgeGroupOf(ctx, 10)).toEqual({ indices: [8, 10], startAtMs: [0, 2000] });
  });

  it('the first user of each group and arm finds cold edges; later users hit what it fetched', async () => {
    await referenceRun;
    const rows = read(reference, 'results.jsonl').trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(rows).toHaveLength(12);
    rows.forEach((row, i) => {
      const user = Math.floor(i / 2);
      const edge = row.delivery.cdns['edge'];
      // Users 0 and 4 open their group: nothing cached yet for their arm (the other arm does not share).
      if (user % 4 === 0) expect(edge?.hits).toBe(0);
      else expect(edge?.hits).toBeGreaterThan(0);
    });
  });

  it('re-simulating a session (timelines, report) re-runs its group: the same row as in results.jsonl', async () => {
    await referenceRun;
    const ctx = await prepareRun(loaded);
    const lines = read(reference, 'results.jsonl').trim().split('\n');
    // Session 7: user 3, the last arrival of its group, with hits only its group explains.
    expect(JSON.stringify(runPlannedSession(ctx, 7))).toBe(lines[7]);
    expect(read(reference, 'timelines.jsonl').trim().split('\n').length).toBeGreaterThan(0);
  });

  it('gives the same bytes with 2 workers as in-process', async () => {
    await referenceRun;
    const out = join(dir, 'w2');
    await runScenario(loaded, { outDir: out, command, workers: 2, quiet: true });
    for (const f of ['results.jsonl', 'summary.json', 'timelines.jsonl']) expect(read(out, f)).toBe(read(reference, f));
  }, 30_000);

  it('shards never split a group: shards 0/2 and 1/2 merged equal the unsharded run', async () => {
    await referenceRun;
    const dirs = [0, 1].map((i) => join(dir, `shard-${i}`));
    const counts = [];
    for (const [i, out] of dirs.entries()) counts.push((await runScenario(loaded, { outDir: out, command, workers: 0, quiet: true, shard: { index: i, count: 2 } })).sessions);
    // Blocks of 4 users × 2 arms dealt round-robin: block 0 (8 sessions) to shard 0, block 1 (4) to shard 1.
    expect(counts).toEqual([8, 4]);
    const merged = join(dir, 'merged');
    await mergeShards({ dirs, outDir: merged, scenarioFile: file });
    for (const f of ['results.jsonl', 'summary.json']) expect(read(merged, f)).toBe(read(reference, f));
  });

  it('a resume that stops mid-group re-runs the group and gives the same bytes', async () => {
    await referenceRun;
    const out = join(dir, 'resume');
    await runScenario(loaded, { outDir: out, command, workers: 0, quiet: true });
    const text = read(out, 'results.jsonl');
    // Keep 3 sessions: the run goes on at session 3, in the middle of block 0.
    truncateSync(join(out, 'results.jsonl'), text.split('\n').slice(0, 3).join('\n').length + 1);
    const outcome = await runScenario(loaded, { outDir: out, command, workers: 0, quiet: true, resume: true });
    expect(outcome.resumed).toBe(3);
    expect(read(out, 'results.jsonl')).toBe(read(reference, 'results.jsonl'));
  });

  it('requires a CDN with cacheBytes, naming the field', () => {
    const reference = YAML.replace(/cdns:\n(  - .*\n)+/, 'cdns: reference\n');
    expect(scenarioIssues(parseScenarioDocument(reference, 'x.yaml'))).toEqual([
      { field: 'cdns', message: 'cdnSharing needs a CDN whose hit ratio emerges from an edge cache: give one of cdns a cacheBytes (and no hitRatio)' },
    ]);
    const zero = YAML.replace('sessionsPerEdge: 4', 'sessionsPerEdge: 0');
    expect(scenarioIssues(parseScenarioDocument(zero, 'x.yaml'))).toContainEqual(expect.objectContaining({ field: 'cdnSharing.sessionsPerEdge' }));
  });
});
