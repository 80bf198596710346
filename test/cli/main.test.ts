import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'abrlab-cli-'));
// One 1000 kbps rung, three 4 s segments of exactly 500,000 B, on a constant 2000 kbps link with no latency.
const video = join(dir, 'video.json');
writeFileSync(
  video,
  JSON.stringify({
    name: 'tiny',
    segmentDurationMs: 4000,
    representations: [{ id: 'only', bitrateKbps: 1000, width: 640, height: 360, segmentSizesBytes: [500000, 500000, 500000] }],
  }),
);
const trace = join(dir, 'flat.json');
writeFileSync(trace, JSON.stringify({ format: 'abrlab-trace', name: 'flat', durationsMs: [10000], ratesKbps: [2000] }));
const simArgs = ['sim', '--trace', trace, '--video', video, '--latency-ms', '0', '--set', 'maxParallel=1', '--json'];

describe('abrlab sim (end to end)', () => {
  it('prints the --json contract with hand-computed timings', async () => {
    const { code, stdout } = await runCli(simArgs);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['profile', 'policy', 'trace', 'video', 'segments', 'summary']));
    // 500,000 B = 4,000,000 bits at 2000 kbps = 2000 ms each, one at a time: done at 2000, 4000, 6000 ms.
    expect(r.segments.map((s: { doneMs: number }) => s.doneMs)).toEqual([2000, 4000, 6000]);
    for (const key of ['index', 'repIndex', 'bitrateKbps', 'sizeBytes', 'requestMs', 'firstByteMs', 'doneMs', 'bufferMs', 'rebufferMs', 'abandoned']) {
      expect(r.segments[0]).toHaveProperty(key);
    }
    // Startup after the first 4 s segment (= the 4 s startup buffer) at 2000 ms; 12 s of media at 1000 kbps.
    expect(r.summary).toMatchObject({ startupMs: 2000, rebufferMs: 0, rebufferCount: 0, avgBitrateKbps: 1000, switchCount: 0, playMs: 12000, bytes: 1500000 });
    expect(Object.keys(r.summary.qoe).sort()).toEqual(['hd', 'lin', 'log', 'reference']);
  });

  it('gives byte-identical --json for the same inputs and seed', async () => {
    const args = ['sim', '--trace', 'traces/3g-like.json', '--video', 'traces/videos/reference-10min.json', '--seed', '7', '--json'];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(1000);
  });

  it('prints a readable table by default', async () => {
    const { code, stdout } = await runCli(simArgs.slice(0, -1));
    expect(code).toBe(0);
    expect(stdout).toMatch(/startup 2000 ms/);
    expect(stdout.split('\n').filter((l) => /^\s+\d+\s+0\s+1000/.test(l))).toHaveLength(3);
  });
});

describe('abrlab: user mistakes get one line and exit code 2', () => {
  it('missing trace file', async () => {
    const { code, stderr } = await runCli(['sim', '--trace', join(dir, 'nope.json'), '--video', video]);
    expect(code).toBe(2);
    expect(stderr).toContain('nope.json');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('invalid JSON in the video catalog names the file and line', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "segmentDurationMs": 4000,\n  oops\n}\n');
    const { code, stderr } = await runCli(['sim', '--trace', trace, '--video', bad]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.json:3/);
  });

  it('a catalog field error names the field path', async () => {
    const bad = join(dir, 'field.json');
    writeFileSync(bad, JSON.stringify({ segmentDurationMs: 4000, durationMs: 8000, representations: [{ id: 'a', bitrateKbps: -5, width: 1, height: 1 }] }));
    const { code, stderr } = await runCli(['sim', '--trace', trace, '--video', bad]);
    expect(code).toBe(2);
    expect(stderr).toContain('representations[0].bitrateKbps');
  });

  it('an unknown flag and an unknown policy', async () => {
    const flag = await runCli(['sim', '--trace', trace, '--video', video, '--frobnicate']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option/);
    const policy = await runCli(['sim', '--trace', trace, '--video', video, '--policy', 'no-such-policy']);
    expect(policy.code).toBe(2);
    expect(policy.stderr).toMatch(/unknown policy "no-such-policy"/);
  });

  it('a bad player setting names the field', async () => {
    const { code, stderr } = await runCli([...simArgs, '--set', 'maxParallel=0']);
    expect(code).toBe(2);
    expect(stderr).toContain('player.maxParallel');
  });
});

describe('abrlab run (end to end)', () => {
  it('writes results.jsonl, summary.json and index.html for traces × policies', async () => {
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      [`name: cli-e2e`, `video: video.json`, `traces:`, `  - flat.json`, `  - ${join(process.cwd(), 'traces/step-down.json')}`, `policies: [reference, bb]`, ''].join('\n'),
    );
    const out = join(dir, 'out');
    const { code, stdout } = await runCli(['run', scenario, '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toContain('4 sessions');
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.sessions).toBe(4);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('a scenario error names the file and the field', async () => {
    const scenario = join(dir, 'bad-scenario.yaml');
    writeFileSync(scenario, 'name: x\nvideo: video.json\ntraces: [flat.json]\npolicies: []\n');
    const { code, stderr } = await runCli(['run', scenario]);
    expect(code).toBe(2);
    expect(stderr).toContain('bad-scenario.yaml');
    expect(stderr).toContain('policies');
  });
});
