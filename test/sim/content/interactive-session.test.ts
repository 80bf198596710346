import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { parseSceneGraph, type PathStep } from '../../../src/content/interactive/scene-graph.js';
import { constantTrace } from '../../../src/net/trace.js';
import { simulateInteractive, type InteractiveOptions } from '../../../src/sim/content/interactive-session.js';
import { fixedPolicy } from '../../helpers/fakes.js';

// Scenes of 20 s in 4 s segments at 1000 kbps: 500,000 B = 4,000,000 bits a segment; alone on 10 Mbps with no
// latency one takes 400 ms, two together 800 ms. scene_1 asks at 12 s: scene_2 or scene_3.
const graph = {
  content_id: 'cyoa',
  initial_scene: 'scene_1',
  scenes: [
    { scene_id: 'scene_1', duration: 20, decision: { decision_id: 'd1', timestamp: 12, timeout: 10, prompt: 'Which?', options: [
      { id: 'a', label: 'A', next_scene: 'scene_2' },
      { id: 'b', label: 'B', next_scene: 'scene_3' },
    ] } },
    { scene_id: 'scene_2', duration: 20 },
    { scene_id: 'scene_3', duration: 20 },
  ],
};
const parsed = parseSceneGraph(graph);
const scene = (id: string) => parsed.scenes.find((s) => s.scene_id === id) as PathStep['scene'];
const pathA = (afterS: number, timedOut = false): PathStep[] => [
  { scene: scene('scene_1'), choice: { optionId: 'a', nextScene: 'scene_2', afterS, timedOut } },
  { scene: scene('scene_2') },
];
const SEG = 500_000;
const base: InteractiveOptions = {
  graph,
  ladder: { representations: [{ id: 'r0', bitrateKbps: 1000, width: 640, height: 360 }] },
  trace: constantTrace(10_000),
  latencyMs: 0,
  policy: () => fixedPolicy(0),
};

describe('interactive: branch prefetch, choice, discard (hand-computed)', () => {
  // scene_1: segment 0 in at 400 ms, first frame at 400; the whole 20 s is in long before the playhead reaches
  // 12 s at clock 12,400. Then the first segments of scene_2 and scene_3 download together: both in at 13,200.
  // Choice "a" 3 s later (15,400): scene_3's segment is discarded. scene_1 ends at 20,400; scene_2's first
  // segment is in the store: first frame at 20,400, no stall.
  const r = simulateInteractive({ ...base, path: pathA(3) });

  it('prefetches every branch at the decision and plays the chosen one with no stall', () => {
    expect(r.joins).toHaveLength(1);
    const j = r.joins[0];
    expect(j).toMatchObject({ kind: 'decision', fromScene: 'scene_1', toScene: 'scene_2', decisionId: 'd1', optionId: 'a', timedOut: false });
    expect(j?.prefetch.scenes).toEqual(['scene_2', 'scene_3']);
    expect(j?.shownAtMs).toBeCloseTo(12_400, 6);
    expect(j?.chosenAtMs).toBeCloseTo(15_400, 6);
    expect(j?.sceneEndMs).toBeCloseTo(20_400, 6);
    expect(j?.firstFrameMs).toBeCloseTo(20_400, 6);
    expect(j?.stallMs).toBeCloseTo(0, 6);
    expect(j?.decisionWaitMs).toBe(0);
    expect(r.branchStall).toMatchObject({ maxMs: 0, count: 0 });
  });

  it('the branch not taken is the waste; nothing is fetched twice', () => {
    expect(r.prefetchedBytes).toBe(2 * SEG);
    expect(r.wastedBytes).toBe(SEG);
    expect(r.joins[0]?.prefetch.wastedBytes).toBe(SEG);
    // 5 segments of scene_1, 2 prefetched, the other 4 of scene_2.
    expect(r.linkBytes).toBe(11 * SEG);
    expect(r.scenes.map((s) => s.video)).toEqual(['scene_1', 'scene_2']);
    expect(r.scenes[1]?.summary.playMs).toBeCloseTo(20_000, 6);
    expect(r.path).toEqual([{ sceneId: 'scene_1', optionId: 'a' }, { sceneId: 'scene_2' }]);
  });

  it('a viewer still choosing when the scene ends holds on its last frame: decision time, not a stall', () => {
    // Timer runs out 10 s after 12,400 = 22,400; the scene ended at 20,400.
    const slow = simulateInteractive({ ...base, path: pathA(10, true) });
    const j = slow.joins[0];
    expect(j?.decisionWaitMs).toBeCloseTo(2000, 6);
    expect(j?.firstFrameMs).toBeCloseTo(22_400, 6);
    expect(j?.stallMs).toBeCloseTo(0, 6);
    expect(j?.timedOut).toBe(true);
  });

  it('without prefetch the next scene waits for its first segment: a 400 ms stall at the branch', () => {
    const off = simulateInteractive({ ...base, path: pathA(3), prefetch: false });
    expect(off.joins[0]?.stallMs).toBeCloseTo(400, 6);
    expect(off.branchStall.count).toBe(1);
    expect(off.wastedBytes).toBe(0);
    expect(off.linkBytes).toBe(10 * SEG);
  });

  it('prefetches a linear next scene with idle bandwidth once 10 s remain', () => {
    const linear = { content_id: 'lin', initial_scene: 's1', scenes: [{ scene_id: 's1', duration: 20, next: 's2' }, { scene_id: 's2', duration: 20 }] };
    // s1's playhead reaches 10 s at 10,400 (link idle): s2's first segment 10,400 → 10,800; s2 starts at 20,400.
    const l = simulateInteractive({ ...base, graph: linear });
    expect(l.joins[0]).toMatchObject({ kind: 'linear', fromScene: 's1', toScene: 's2' });
    expect(l.joins[0]?.stallMs).toBeCloseTo(0, 6);
    expect(l.wastedBytes).toBe(0);
    expect(l.linkBytes).toBe(10 * SEG);
  });

  it('draws the path from the seed when none is given (same seed, same result)', () => {
    const a = simulateInteractive({ ...base, seed: 3 });
    const b = simulateInteractive({ ...base, seed: 3 });
    expect(a.path).toEqual(b.path);
    expect(a.joins).toEqual(b.joins);
    expect(a.path).toHaveLength(2);
  });

  it('rejects an invalid graph naming the field', () => {
    const bad = { ...graph, initial_scene: 'nope' };
    expect(() => simulateInteractive({ ...base, graph: bad })).toThrow(InputError);
    expect(() => simulateInteractive({ ...base, graph: bad })).toThrow(/initial_scene/);
  });
});
