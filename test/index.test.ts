import { describe, expect, it } from 'vitest';
import { parseCatalog, simulateSession, traceFromPeriods } from '../src/index.js';

describe('library entry point (the README example)', () => {
  it('simulates a session from objects built in code', () => {
    const trace = traceFromPeriods({ name: 'dip', durationsMs: [30_000, 10_000, 60_000], ratesKbps: [6000, 500, 6000] });
    const catalog = parseCatalog({
      segmentDurationMs: 4000,
      durationMs: 120_000,
      representations: [
        { id: '360p', bitrateKbps: 600, width: 640, height: 360 },
        { id: '720p', bitrateKbps: 2000, width: 1280, height: 720 },
      ],
    });
    const result = simulateSession({ trace, catalog, policy: 'reference' });
    expect(result.summary.playMs).toBe(120_000);
    expect(result.summary.qoe.reference).toBeGreaterThan(0);
    expect(result.summary.qoe.reference).toBeLessThanOrEqual(100);
    // 30 segments of 4 s; each is fetched once (no abandonment in the reference policy).
    expect(result.segments.filter((s) => !s.abandoned)).toHaveLength(30);
  });
});

describe('library entry point: experiments', () => {
  it('runs a scenario from text and renders its report', async () => {
    const { mkdtempSync, readFileSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const lib = await import('../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'abrlab-lib-'));
    const text = `name: lib
video: ${join(process.cwd(), 'traces/videos/reference-10min.json')}
traces: ["${join(process.cwd(), 'traces/constant-5mbps.json')}"]
policies: [reference, bola]
`;
    const loaded = lib.scenarioFromText(text, join(dir, 'lib.yaml'));
    const out = await lib.runScenario(loaded, { outDir: join(dir, 'out'), command: 'library', workers: 0, quiet: true });
    // One trace × two policies.
    expect(out.sessions).toBe(2);
    expect(readFileSync(join(dir, 'out', 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(join(dir, 'out', 'index.html'))).toBe(true);
  });
});
