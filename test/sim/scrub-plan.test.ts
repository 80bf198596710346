import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/experiment/context.js';
import { scenarioFromText } from '../../src/experiment/scenario.js';
import { runPlannedSession, simulateOptionsFor } from '../../src/experiment/session-run.js';
import { SWEEP_YAML, tempDir, writeScenario } from '../experiment/fixtures.js';

const SCRUB = `  scrubbing:
    probability: 1
    meanEpisodes: 2
    earliestMs: 5000
    minDragMs: 400
    maxDragMs: 900
    seekProbability: 0.5
    variants:
      small-buffer: { enabled: false }
`;

async function context(yaml: string) {
  const file = writeScenario(tempDir(), yaml);
  return prepareRun(scenarioFromText(yaml, file));
}

const withScrubbing = (extra: string) => SWEEP_YAML.replace('  randomTraceOffset: true\n', `  randomTraceOffset: true\n${extra}`);

describe('behaviour.scrubbing: scrub episodes drawn per user', () => {
  it('every arm of a user gets the same drags, within the configured bounds; the variant only switches the loader', async () => {
    const ctx = await context(withScrubbing(SCRUB));
    const { plan } = ctx;
    for (let user = 0; user < 8; user++) {
      const arms = Array.from({ length: plan.armsPerUser }, (_, k) => plan.spec(user * plan.armsPerUser + k));
      const first = arms[0]?.scrubs ?? [];
      expect(first.length).toBeGreaterThanOrEqual(1);
      for (const a of arms) expect(a.scrubs).toEqual(first);
      for (const e of first) {
        expect(e.atMs).toBeGreaterThanOrEqual(5000);
        expect(e.dragMs).toBeGreaterThanOrEqual(400);
        expect(e.dragMs).toBeLessThanOrEqual(900);
        expect(e.fromMs).toBeGreaterThanOrEqual(0);
        expect(e.toMs).toBeLessThan(ctx.videos[0]?.durationMs ?? 0);
      }
      for (let k = 1; k < first.length; k++) expect((first[k]?.atMs ?? 0) >= (first[k - 1]?.atMs ?? 0)).toBe(true);
    }
    // Variant "base" fetches thumbnails, "small-buffer" does not (behaviour.scrubbing.variants).
    const base = simulateOptionsFor(ctx, plan.spec(0), false);
    const off = simulateOptionsFor(ctx, plan.spec(2), false);
    expect(base.trickplay?.enabled).toBeUndefined();
    expect(off.trickplay?.enabled).toBe(false);
    expect(base.scrubs).toEqual(off.scrubs);
    const row = runPlannedSession(ctx, 0);
    expect(row.trickplay?.episodes).toBe(plan.spec(0).scrubs?.length);
  });

  it('adding scrubbing leaves the other draws (seed, seeks, exits, offsets) unchanged; probability 0 draws none', async () => {
    const plain = await context(SWEEP_YAML);
    const scrub = await context(withScrubbing(SCRUB));
    const none = await context(withScrubbing('  scrubbing: { probability: 0 }\n'));
    for (let i = 0; i < plain.plan.sessions; i += 3) {
      const { scrubs: _s, ...a } = scrub.plan.spec(i);
      expect(a).toEqual(plain.plan.spec(i));
      expect(none.plan.spec(i).scrubs).toBeUndefined();
    }
  });

  it('a loader override for an unknown variant is an error naming the field', async () => {
    const yaml = withScrubbing('  scrubbing:\n    probability: 1\n    variants:\n      nope: { enabled: false }\n');
    await expect(context(yaml)).rejects.toThrow(/behaviour\.scrubbing\.variants\.nope.*unknown variant|unknown variant.*nope/s);
  });
});
