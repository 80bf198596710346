import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { prepareRun } from '../../src/experiment/context.js';
import { createPlan } from '../../src/experiment/plan.js';
import { scenarioFromText } from '../../src/experiment/scenario.js';
import { runPlannedSession, simulateOptionsFor } from '../../src/experiment/session-run.js';
import { SWEEP_YAML, tempDir, writeScenario } from './fixtures.js';

async function context(yaml: string) {
  const dir = tempDir();
  const file = writeScenario(dir, yaml);
  return prepareRun(scenarioFromText(yaml, file));
}

describe('plan expansion', () => {
  it('counts videos × traces × replicates × variants × policies, policies innermost', async () => {
    const ctx = await context(SWEEP_YAML);
    const { plan } = ctx;
    // 1 video × 4 traces × 2 replicates × 2 variants × 2 policies.
    expect(plan.sessions).toBe(32);
    expect(plan.armsPerUser).toBe(4);
    const coords = (i: number) => {
      const s = plan.spec(i);
      return [s.traceIndex, s.replicate, s.variantIndex, s.policyIndex];
    };
    expect(coords(0)).toEqual([0, 0, 0, 0]);
    expect(coords(1)).toEqual([0, 0, 0, 1]);
    expect(coords(2)).toEqual([0, 0, 1, 0]);
    expect(coords(3)).toEqual([0, 0, 1, 1]);
    expect(coords(4)).toEqual([0, 1, 0, 0]);
    expect(coords(8)).toEqual([1, 0, 0, 0]);
    expect(coords(31)).toEqual([3, 1, 1, 1]);
    for (let i = 0; i < 32; i++) expect(plan.indexOf(plan.spec(i))).toBe(i);
    expect(() => plan.spec(32)).toThrow(RangeError);
  });

  it('draws the user per (video, trace, replicate): every arm of a user gets the same seed, device and behaviour', async () => {
    const ctx = await context(SWEEP_YAML);
    const { plan } = ctx;
    for (let user = 0; user < 8; user++) {
      const arms = [0, 1, 2, 3].map((a) => plan.spec(user * 4 + a));
      const { index: _i, variantIndex: _v, policyIndex: _p, ...first } = arms[0]!;
      for (const s of arms.slice(1)) {
        const { index: _j, variantIndex: _w, policyIndex: _q, ...rest } = s;
        expect(rest).toEqual(first);
      }
    }
    // The seed of user (trace k, replicate r) comes from the stream "user:<video>:<trace>:<r>" of the scenario
    // seed, whatever else is in the plan.
    const trace1 = ctx.traces[1]!.name;
    const expected = createRng(42).derive(`user:short:${trace1}:1`).derive('seed').int(2 ** 31);
    expect(plan.spec(plan.indexOf({ videoIndex: 0, traceIndex: 1, replicate: 1, variantIndex: 1, policyIndex: 0 })).seed).toBe(expected);
    // Different users are different people.
    const seeds = new Set(Array.from({ length: 8 }, (_, u) => plan.spec(u * 4).seed));
    expect(seeds.size).toBe(8);
  });

  it('behaviour draws stay in range: offsets within the trace, watch times within the title, seeks after earliestMs', async () => {
    const ctx = await context(SWEEP_YAML);
    let exits = 0;
    for (let u = 0; u < 8; u++) {
      const s = ctx.plan.spec(u * 4);
      expect(s.traceOffsetMs).toBeGreaterThanOrEqual(0);
      expect(s.traceOffsetMs).toBeLessThan(60_000);
      if (s.exitAtMs !== undefined) {
        exits++;
        expect(s.exitAtMs).toBeGreaterThanOrEqual(4000);
        expect(s.exitAtMs).toBeLessThan(40_000);
      }
      for (const k of s.seeks) expect(k.atMs).toBeGreaterThanOrEqual(5000);
      expect(['phone', 'tv']).toContain(s.device);
      expect(s.maxHeightPx).toBe(s.device === 'phone' ? 720 : undefined);
    }
    expect(exits).toBeGreaterThan(0);
  });

  it('is independent of the other arms: adding a policy does not change any user', () => {
    const base = { seed: 3, replicates: 2, behaviour: undefined, devices: undefined };
    const videos = [{ name: 'v', durationMs: 60_000 }];
    const traces = [{ name: 'a', durationMs: 1000 }, { name: 'b', durationMs: 1000 }];
    const one = createPlan({ scenario: base, videos, traces, policies: ['x'], variants: [undefined] });
    const two = createPlan({ scenario: base, videos, traces, policies: ['x', 'y'], variants: [undefined] });
    expect(two.sessions).toBe(2 * one.sessions);
    for (let u = 0; u < 4; u++) expect(two.spec(u * 2).seed).toBe(one.spec(u).seed);
  });
});

describe('variant, device and behaviour overrides reach the simulator', () => {
  it('merges buffer shorthand, ABR params, device cap and watch time', async () => {
    // Variant ABR params go to every policy, so both policies here are the reference one (bba has no safetyFactor).
    const yaml = SWEEP_YAML.replace('    buffer: { targetMs: 12000, lowWaterMs: 8000 }', '    buffer: { targetMs: 12000, lowWaterMs: 8000 }\n    abr: { params: { safetyFactor: 0.5 } }').replace(
      'policies: [reference, bba]',
      'policies: [reference, { name: reference, label: ref2 }]',
    );
    const ctx = await context(yaml);
    const phoneUser = [0, 1, 2, 3, 4, 5, 6, 7].find((u) => ctx.plan.spec(u * 4).device === 'phone');
    expect(phoneUser).toBeDefined();
    const spec = ctx.plan.spec(phoneUser! * 4 + 2); // variant small-buffer, policy reference
    const opts = simulateOptionsFor(ctx, spec, false);
    expect(opts.player).toMatchObject({ targetBufferMs: 12000, lowWaterMs: 8000, maxHeightPx: 720, recordTimeline: false });
    expect(opts.traceOffsetMs).toBe(spec.traceOffsetMs);
    expect(opts.exitAtMs).toBe(spec.exitAtMs);
    expect(opts.seeks ?? []).toEqual(spec.seeks);
    const base = simulateOptionsFor(ctx, ctx.plan.spec(phoneUser! * 4), false);
    expect(base.player?.targetBufferMs).toBeUndefined();
  });

  it('capped devices never play above 720p (1200 kbps), and early exits end the session', async () => {
    const ctx = await context(SWEEP_YAML);
    let exited = 0;
    for (let i = 0; i < ctx.plan.sessions; i++) {
      const spec = ctx.plan.spec(i);
      const row = runPlannedSession(ctx, i);
      expect(row.replicate).toBe(spec.replicate);
      expect(row.variant).toBe(spec.variantIndex === 0 ? 'base' : 'small-buffer');
      expect(row.device).toBe(spec.device);
      expect(row.segments).toEqual([]);
      if (spec.device === 'phone') expect(row.summary.avgBitrateKbps).toBeLessThanOrEqual(1200);
      // Media plays at 1× at most, so a user who leaves at session time T has played at most T ms.
      if (spec.exitAtMs !== undefined) expect(row.summary.playMs).toBeLessThanOrEqual(spec.exitAtMs + 1e-6);
      if (spec.exitAtMs !== undefined && row.summary.endReason !== 'finished') expect(row.summary.endReason).toBe('user-exit');
      if (row.summary.endReason === 'user-exit') exited++;
    }
    expect(exited).toBeGreaterThan(0);
  });

  it('re-segments a title for a variant with segmentDurationMs, and refuses a catalog with per-segment sizes', async () => {
    const yaml = `name: seg\nvideo: video.json\ntraces: [{ generate: { generator: constant, rateKbps: 2000, durationMs: 10000 } }]\npolicies: [reference]\nvariants:\n  - name: four\n  - name: two\n    segmentDurationMs: 2000\n`;
    const ctx = await context(yaml);
    expect(ctx.variants[0]!.catalogs[0]!.segmentCount).toBe(10);
    expect(ctx.variants[1]!.catalogs[0]!.segmentCount).toBe(20);
    expect(ctx.variants[1]!.catalogs[0]!.durationMs).toBe(40_000);

    const dir = tempDir();
    const file = writeScenario(dir, yaml);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/video.json`, JSON.stringify({ name: 'vbr', segmentDurationMs: 4000, representations: [{ id: 'a', bitrateKbps: 500, width: 1, height: 1, segmentSizesBytes: [1, 2] }] }));
    await expect(prepareRun(scenarioFromText(yaml, file))).rejects.toThrow(/variants\[1\]\.segmentDurationMs.*per-segment sizes/);
  });
});

describe('scenario inputs are checked before the sweep starts', () => {
  it('a bad policy parameter names the scenario field', async () => {
    const yaml = `name: bad-param\nvideo: video.json\ntraces: [{ generate: { generator: constant, rateKbps: 2000, durationMs: 10000 } }]\npolicies:\n  - reference\n  - { name: reference, label: tight, params: { safetyFactor: -1 } }\n`;
    await expect(context(yaml)).rejects.toThrow(/field "policies\[1\]\.params".*safetyFactor/);
    const viaVariant = `name: bad-variant\nvideo: video.json\ntraces: [{ generate: { generator: constant, rateKbps: 2000, durationMs: 10000 } }]\npolicies: [reference, bba]\nvariants:\n  - name: a\n    abr: { params: { safetyFactor: 0.5 } }\n`;
    await expect(context(viaVariant)).rejects.toThrow(/field "variants\[0\]\.abr\.params".*merged into policy bba/);
  });
});

describe('QoE parameters of the scenario', () => {
  it('score every session: with only the bitrate term (weight 1, 100 kbps a point) QoE is avgBitrateKbps / 100', async () => {
    const weights = 'startupWeight: 0, rebufferRatioWeight: 0, rebufferCountWeight: 0, switchWeight: 0, bitrateWeight: 1, bitrateKbpsPerPoint: 100';
    const yaml = `name: qoe\nvideo: video.json\ntraces: [{ generate: { generator: markov, seed: 9, durationMs: 60000 }, count: 2 }]\npolicies: [reference]\nqoe: { reference: { ${weights} } }\n`;
    const ctx = await context(yaml);
    for (let i = 0; i < ctx.plan.sessions; i++) {
      const { summary } = runPlannedSession(ctx, i);
      expect(summary.qoe.reference).toBeCloseTo(Math.min(100, summary.avgBitrateKbps / 100), 9);
      expect(summary.avgBitrateKbps).toBeGreaterThan(0);
    }
  });
});
