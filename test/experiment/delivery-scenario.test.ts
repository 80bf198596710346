import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { scenarioFromText, scenarioIssues } from '../../src/experiment/scenario.js';
import { parseScenarioDocument } from '../../src/experiment/scenario.js';
import { tempDir, writeScenario } from './fixtures.js';

const YAML = `name: cdn-test
seed: 3
video: video.json
traces:
  - generate: { generator: constant, rateKbps: 8000, durationMs: 60000 }
policies: [reference]
cdns: reference
faults:
  - { kind: outage, cdn: oca, fromMs: 0, toMs: 1000000, as: http-503 }
pricing: { usdPerGb: { cloudfront: 0.05 } }
report: { html: false }
`;

describe('scenarios with CDNs and faults', () => {
  it('runs through the resilience layer and records delivery and cost per session', async () => {
    const dir = tempDir();
    const file = writeScenario(dir, YAML);
    const out = join(dir, 'out');
    await runScenario(scenarioFromText(YAML, file), { outDir: out, command: 'abrlab run scenario.yaml', workers: 0, quiet: true });
    const [row] = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(row.summary.endReason).toBe('finished');
    expect(row.delivery.bytesByCdn.oca).toBe(0);
    expect(row.delivery.bytesByCdn.cloudfront).toBe(row.summary.bytes);
    // The scenario's own CloudFront price: bytes / 10^9 × 0.05.
    expect(row.cost.usd).toBeCloseTo((row.summary.bytes / 1e9) * 0.05, 12);
  });

  it('names an unknown CDN in a fault rule and a malformed rule by field', () => {
    const bad = YAML.replace('cdn: oca', 'cdn: akamai').replace('as: http-503', 'as: http-503 }\n  - { kind: http-503, rate: 2');
    const issues = scenarioIssues(parseScenarioDocument(bad, 'x.yaml'));
    expect(issues).toContainEqual(expect.objectContaining({ field: 'faults[1].rate' }));
    const unknown = scenarioIssues(parseScenarioDocument(YAML.replace('cdn: oca', 'cdn: akamai'), 'x.yaml'));
    expect(unknown).toEqual([{ field: 'faults[0].cdn', message: 'unknown CDN "akamai"; CDNs: oca, cloudfront, s3' }]);
  });
});
