import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { drawPath, parseSceneGraph } from '../../src/content/interactive/scene-graph.js';

// The reference's example manifest (streaming-architecture.md §3.4), completed with the scenes it points at.
const example = {
  content_id: 'interactive_123',
  title: 'Black Mirror: Bandersnatch',
  initial_scene: 'scene_1',
  scenes: [
    { scene_id: 'scene_1', duration: 180, video_url: '/content/interactive_123/scene_1/', next: 'scene_2' },
    {
      scene_id: 'scene_2',
      duration: 240,
      video_url: '/content/interactive_123/scene_2/',
      decision: {
        decision_id: 'decision_1',
        timestamp: 220,
        timeout: 10,
        prompt: 'Which cereal?',
        options: [
          { id: 'option_a', label: 'Sugar Puffs', next_scene: 'scene_3' },
          { id: 'option_b', label: 'Frosties', next_scene: 'scene_4' },
        ],
      },
    },
    { scene_id: 'scene_3', duration: 60 },
    { scene_id: 'scene_4', duration: 90 },
  ],
};

describe('interactive scene graph (reference §3.4)', () => {
  it("validates the reference's example as written", () => {
    const g = parseSceneGraph(example);
    expect(g.scenes[1]?.decision?.timeout).toBe(10);
  });

  it('names the field of a dangling reference, a duplicate and a late decision', () => {
    const dangling = structuredClone(example);
    (dangling.scenes[1] as { decision: { options: { next_scene: string }[] } }).decision.options[1]!.next_scene = 'scene_9';
    expect(() => parseSceneGraph(dangling, 'g.json')).toThrow(/g\.json, field "scenes\[1\]\.decision\.options\[1\]\.next_scene": unknown scene "scene_9"/);
    const dup = structuredClone(example);
    dup.scenes[3]!.scene_id = 'scene_3';
    expect(() => parseSceneGraph(dup)).toThrow(/duplicate scene "scene_3"/);
    const late = structuredClone(example);
    (late.scenes[1] as { decision: { timestamp: number } }).decision.timestamp = 241;
    expect(() => parseSceneGraph(late)).toThrow(/after the scene ends/);
  });

  it('draws paths: a viewer who always times out takes the default (first) option after the full 10 s', () => {
    const g = parseSceneGraph(example);
    const path = drawPath(g, { timeoutProbability: 1, maxDecisionS: 5 }, createRng(1));
    expect(path.map((p) => p.scene.scene_id)).toEqual(['scene_1', 'scene_2', 'scene_3']);
    expect(path[1]?.choice).toEqual({ optionId: 'option_a', nextScene: 'scene_3', afterS: 10, timedOut: true });
  });

  it('choosing viewers split by weight and decide within the window', () => {
    const g = parseSceneGraph(example);
    let b = 0;
    for (let i = 0; i < 4000; i++) {
      const choice = drawPath(g, { timeoutProbability: 0, maxDecisionS: 5 }, createRng(i))[1]?.choice;
      expect(choice?.afterS).toBeLessThanOrEqual(5);
      if (choice?.optionId === 'option_b') b++;
    }
    // Two equal weights: Binomial(4000, 0.5), sd ≈ 0.008.
    expect(b / 4000).toBeGreaterThan(0.46);
    expect(b / 4000).toBeLessThan(0.54);
  });
});
