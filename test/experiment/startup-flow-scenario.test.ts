import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/run-scenario.js';
import { loadScenarioFile } from '../../src/experiment/scenario.js';
import { tempDir } from './fixtures.js';

describe('scenarios/startup-flow.yaml (reference §4.2: < 2 s to first frame on a 5 Mbps link)', () => {
  it('parallel startup meets the target on the 5 Mbps link and beats sequential for every user', async () => {
    const out = join(tempDir(), 'out');
    await runScenario(await loadScenarioFile('scenarios/startup-flow.yaml'), { outDir: out, command: 'abrlab run scenarios/startup-flow.yaml', workers: 0, quiet: true });
    type Row = { trace: string; variant: string; replicate: number; summary: { startupMs: number } };
    const rows = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
    const at5 = rows.filter((r) => r.trace === 'constant-5mbps');
    expect(at5).toHaveLength(8);
    for (const p of at5.filter((r) => r.variant === 'parallel')) {
      expect(p.summary.startupMs).toBeLessThan(2000);
      const s = at5.find((r) => r.variant === 'sequential' && r.replicate === p.replicate);
      expect(s?.summary.startupMs).toBeGreaterThan(p.summary.startupMs);
    }
  });
});
