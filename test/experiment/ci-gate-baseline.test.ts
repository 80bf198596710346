import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from './fixtures.js';

/**
 * abrlab gates itself: the regression suite of scenarios/ci-gate.yaml must pass against the committed baseline.
 * A change that moves QoE on purpose updates it with `abrlab gate scenarios/ci-gate.yaml --update-baseline` and
 * says so in its commit; any other change that fails here has changed the player's results.
 */
describe('scenarios/ci-gate.yaml against scenarios/baselines/ci-gate.summary.json', () => {
  it('passes (exit 0), with every rule checked for both groups', async () => {
    const out = join(tempDir(), 'gate');
    const r = await runCli(['gate', 'scenarios/ci-gate.yaml', '--baseline', 'scenarios/baselines/ci-gate.summary.json', '--out', out, '--workers', '0']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('gate passed: 10 checks');
  });
});
