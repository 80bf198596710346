/**
 * Interactive titles (reference streaming-architecture.md §3.4): the reference's scene-graph manifest — scenes
 * with a duration and either a `next` scene, a `decision` (prompt, options each leading to a scene, a timestamp
 * inside the scene and a timeout, 10 s in the example), or neither (an ending). Field names are the reference's
 * (snake_case, seconds), so its example manifest validates as written.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

const optionSchema = z
  .object({
    id: z.string().min(1),
    label: z.string(),
    next_scene: z.string().min(1).describe('Scene this option leads to'),
    /** Choice model: relative weight of this option (default 1: all options equally likely). */
    weight: z.number().nonnegative().optional(),
  })
  .strict();

const decisionSchema = z
  .object({
    decision_id: z.string().min(1),
    timestamp: z.number().nonnegative().describe('When the choice appears, s from the scene start'),
    timeout: z.number().positive().default(10).describe('Seconds to choose (reference: 10)'),
    prompt: z.string(),
    options: z.array(optionSchema).min(2),
    /** Option taken when the timer runs out (default: the first). */
    default_option: z.string().optional(),
  })
  .strict();

const sceneSchema = z
  .object({
    scene_id: z.string().min(1),
    duration: z.number().positive().describe('Scene length, s'),
    video_url: z.string().optional(),
    next: z.string().min(1).optional(),
    decision: decisionSchema.optional(),
  })
  .strict()
  .refine((s) => !(s.next !== undefined && s.decision !== undefined), { message: 'a scene has next or decision, not both', path: ['next'] })
  .refine((s) => s.decision === undefined || s.decision.timestamp <= s.duration, { message: 'decision timestamp is after the scene ends', path: ['decision', 'timestamp'] });

export const sceneGraphSchema = z
  .object({
    content_id: z.string().min(1),
    title: z.string().optional(),
    initial_scene: z.string().min(1),
    scenes: z.array(sceneSchema).min(1),
  })
  .strict()
  .superRefine((g, ctx) => {
    const ids = new Set<string>();
    g.scenes.forEach((s, i) => {
      if (ids.has(s.scene_id)) ctx.addIssue({ code: 'custom', path: ['scenes', i, 'scene_id'], message: `duplicate scene "${s.scene_id}"` });
      ids.add(s.scene_id);
    });
    if (!ids.has(g.initial_scene)) ctx.addIssue({ code: 'custom', path: ['initial_scene'], message: `unknown scene "${g.initial_scene}"` });
    g.scenes.forEach((s, i) => {
      if (s.next !== undefined && !ids.has(s.next)) ctx.addIssue({ code: 'custom', path: ['scenes', i, 'next'], message: `unknown scene "${s.next}"` });
      s.decision?.options.forEach((o, k) => {
        if (!ids.has(o.next_scene)) ctx.addIssue({ code: 'custom', path: ['scenes', i, 'decision', 'options', k, 'next_scene'], message: `unknown scene "${o.next_scene}"` });
      });
      const def = s.decision?.default_option;
      if (def !== undefined && !s.decision?.options.some((o) => o.id === def)) {
        ctx.addIssue({ code: 'custom', path: ['scenes', i, 'decision', 'default_option'], message: `unknown option "${def}"` });
      }
    });
  });

export type SceneGraph = z.output<typeof sceneGraphSchema>;
export type Scene = SceneGraph['scenes'][number];

/** Validates a scene graph; errors name the file and the field path. */
export function parseSceneGraph(json: unknown, file = 'scene graph'): SceneGraph {
  const parsed = sceneGraphSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  throw new InputError(issue?.message ?? 'invalid scene graph', { file, ...(field ? { field } : {}) });
}

export interface ChoiceModel {
  /** Probability that the viewer lets the timer run out (the default option is then taken). */
  timeoutProbability: number;
  /** How long a viewer who chooses takes, s: uniform in [0, maxDecisionS]. */
  maxDecisionS: number;
}

/** One step of a viewer's path: the scene, and the choice made at its end (if it has a decision). */
export interface PathStep {
  scene: Scene;
  choice?: { optionId: string; nextScene: string; afterS: number; timedOut: boolean };
}

/**
 * A viewer's path through the graph, drawn from the seeded stream: at each decision the viewer picks an option by
 * weight after a uniform delay, or (with `timeoutProbability`) lets the timer expire and gets the default. Stops at
 * an ending, or after `maxScenes` (graphs may loop).
 */
export function drawPath(graph: SceneGraph, model: ChoiceModel, rng: Rng, maxScenes = 100): PathStep[] {
  const byId = new Map(graph.scenes.map((s) => [s.scene_id, s]));
  const path: PathStep[] = [];
  let scene = byId.get(graph.initial_scene);
  while (scene !== undefined && path.length < maxScenes) {
    const d = scene.decision;
    if (d === undefined) {
      path.push({ scene });
      scene = scene.next === undefined ? undefined : byId.get(scene.next);
      continue;
    }
    const timedOut = rng.next() < model.timeoutProbability;
    let option = d.options.find((o) => o.id === d.default_option) ?? d.options[0];
    let afterS = d.timeout;
    if (!timedOut) {
      afterS = Math.min(d.timeout, rng.uniform(0, model.maxDecisionS));
      const total = d.options.reduce((a, o) => a + (o.weight ?? 1), 0);
      let u = rng.next() * total;
      option = d.options.find((o) => (u -= o.weight ?? 1) < 0) ?? d.options[d.options.length - 1];
    }
    const chosen = option as (typeof d.options)[number];
    path.push({ scene, choice: { optionId: chosen.id, nextScene: chosen.next_scene, afterS, timedOut } });
    scene = byId.get(chosen.next_scene);
  }
  return path;
}
