import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

// `abrlab sim-content`: files in, the drivers' results out. One rung of 1000 kbps without size variation, a
// constant 10 Mbps trace and no latency: the live figures are those of live-event.test.ts.
const dir = mkdtempSync(join(tmpdir(), 'abrlab-sim-content-'));
const trace = join(dir, 'trace.json');
writeFileSync(trace, JSON.stringify({ format: 'abrlab-trace', name: 'flat', durationsMs: [1000], ratesKbps: [10_000] }));
const ladder = { segmentDurationMs: 4000, sizeVariation: 0, representations: [{ id: 'r0', bitrateKbps: 1000, width: 640, height: 360 }] };
const video = join(dir, 'video.json');
writeFileSync(video, JSON.stringify({ ...ladder, name: 'v', durationMs: 200_000 }));
writeFileSync(join(dir, 'e1.json'), JSON.stringify({ ...ladder, name: 'e1', durationMs: 40_000 }));
const series = join(dir, 'series.json');
writeFileSync(series, JSON.stringify({ series: 's', episodes: [{ id: 'e1', video: 'e1.json', creditsStartMs: 35_000 }, { id: 'e2', video: { ...ladder, name: 'e2', durationMs: 40_000 } }] }));
const graph = join(dir, 'graph.json');
writeFileSync(graph, JSON.stringify({ content_id: 'g', initial_scene: 'a', scenes: [{ scene_id: 'a', duration: 20, next: 'b' }, { scene_id: 'b', duration: 20 }] }));
const net = ['--trace', trace, '--latency-ms', '0'];

describe('abrlab sim-content', () => {
  it('live: re-cuts the ladder into 2 s segments and joins 8 s behind the edge', async () => {
    const r = await runCli(['sim-content', 'live', ...net, '--video', video, '--join-s', '60', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.joinSegment).toBe(26);
    expect(out.ttffMs).toBeCloseTo(600, 6);
    expect(out.latency.meanMs).toBeCloseTo(8600, 6);
  });

  it('series: the episodes from paths and inline, the viewer from --ends; the summary names the gap', async () => {
    const r = await runCli(['sim-content', 'series', ...net, '--series', series, '--ends', 'autoplay', '--prefetch', 'off']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('episode 1 → episode 2 (autoplay): gap 400 ms');
  });

  it('interactive: a linear graph with the ladder of a catalog', async () => {
    const r = await runCli(['sim-content', 'interactive', ...net, '--graph', graph, '--video', video, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.path).toEqual([{ sceneId: 'a' }, { sceneId: 'b' }]);
    expect(out.joins[0].stallMs).toBeCloseTo(0, 6);
  });

  it('a bad --ends value or a join after the event exits 2 naming the field', async () => {
    const ends = await runCli(['sim-content', 'series', ...net, '--series', series, '--ends', 'later']);
    expect(ends.code).toBe(2);
    expect(ends.stderr).toMatch(/--ends\[0\]/);
    const late = await runCli(['sim-content', 'live', ...net, '--video', video, '--join-s', '500']);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/joinAtMs/);
  });
});
