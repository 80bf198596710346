import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/experiment/context.js';
import { scenarioFromText } from '../../src/experiment/scenario.js';
import { constantTrace } from '../../src/net/trace.js';
import { loadCatalogFile } from '../../src/origin/load-catalog.js';
import { simulateSession } from '../../src/sim/simulate.js';
import { tempDir, writeScenario } from './fixtures.js';

describe('reference degradations in a session (§5.3)', () => {
  it('a slow device never plays above 1080p on a link fast enough for 4K', async () => {
    const catalog = await loadCatalogFile('traces/videos/reference-10min.json');
    const run = (slow: boolean) =>
      simulateSession({ trace: constantTrace(100_000), catalog, policy: 'reference', seed: 1, ...(slow ? { device: { slow: true } } : {}) });
    const heights = (r: ReturnType<typeof run>) => r.segments.map((s) => catalog.representations[s.repIndex]?.height ?? 0);
    expect(Math.max(...heights(run(false)))).toBe(2160);
    expect(Math.max(...heights(run(true)))).toBe(1080);
  });
});

describe('codec variants (reference §7.2)', () => {
  it('AV1 scales the ladder and every segment size by 0.55, HEVC by 0.70', async () => {
    const dir = tempDir();
    const yaml = `name: codecs
video: video.json
traces: [{ generate: { generator: constant, rateKbps: 5000, durationMs: 60000 } }]
policies: [reference]
variants: [{ name: h264 }, { name: hevc, codec: hevc }, { name: av1, codec: av1 }]
`;
    const ctx = await prepareRun(scenarioFromText(yaml, writeScenario(dir, yaml)));
    const [h264, hevc, av1] = ctx.variants.map((v) => v.catalogs[0]);
    // The fixture ladder is 400 / 1200 / 3000 kbps with nominal sizes (4 s segments: 200,000 / 600,000 / 1,500,000 B ± variation).
    expect(h264?.representations.map((r) => r.bitrateKbps)).toEqual([400, 1200, 3000]);
    const close = (got: number[] | undefined, want: number[]) => want.forEach((w, i) => expect(got?.[i]).toBeCloseTo(w, 9));
    close(hevc?.representations.map((r) => r.bitrateKbps), [280, 840, 2100]);
    close(av1?.representations.map((r) => r.bitrateKbps), [220, 660, 1650]);
    expect(av1?.representations[0]?.codecs).toMatch(/^av01/);
    // Each rung keeps the quality it had in H.264: the QoE models score that, not the AV1 bits.
    expect(av1?.representations.map((r) => r.qualityKbps)).toEqual([400, 1200, 3000]);
    expect(h264?.representations.map((r) => r.qualityKbps)).toEqual([undefined, undefined, undefined]);
    // Sizes follow the nominal bitrate with the same seeded variation, so each is scaled by the same factor.
    const ratio = (av1?.sizesBytes[2]?.[3] ?? 0) / (h264?.sizesBytes[2]?.[3] ?? 1);
    // Sizes are whole bytes: 1,500,000 B × 0.55 is exact to well under a byte in a million.
    expect(ratio).toBeCloseTo(0.55, 5);
  });
});
