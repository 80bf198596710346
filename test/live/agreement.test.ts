import { describe, expect, it } from 'vitest';
import { AGREEMENT_TOLERANCES, agreementCatalog, agreementFor, agreementTraces, warmUp } from '../../src/live/agreement.js';

/**
 * Issue 8 item 5: on 5 traces the simulator and live mode over serve agree within 5 % on average bitrate, ±1 on
 * rebuffer count and ±300 ms on startup. Live runs in real time (about 5 × 24 s here), so this is opt-in:
 * ABRLAB_LIVE_AGREEMENT=1 npx vitest run test/live/agreement.test.ts. The figures: bench/live-agreement.bench.ts.
 */
const enabled = process.env.ABRLAB_LIVE_AGREEMENT === '1';

describe.skipIf(enabled)('simulator vs live agreement', () => {
  it('skipped: takes about 2 minutes of real time; set ABRLAB_LIVE_AGREEMENT=1 to run it', () => undefined);
});

describe.skipIf(!enabled)('simulator vs live agreement (5 traces, loopback)', () => {
  const catalog = agreementCatalog(24);
  it('warms up', async () => {
    await warmUp();
  });
  for (const trace of agreementTraces()) {
    it(`${trace.name}: within 5 % bitrate, ±1 stall, ±300 ms startup`, { timeout: 120_000 }, async () => {
      const row = await agreementFor({ trace, catalog });
      expect(Math.abs(row.avgBitrateRel)).toBeLessThanOrEqual(AGREEMENT_TOLERANCES.avgBitrateRel);
      expect(Math.abs(row.rebufferCountDiff)).toBeLessThanOrEqual(AGREEMENT_TOLERANCES.rebufferCount);
      expect(Math.abs(row.startupDiffMs)).toBeLessThanOrEqual(AGREEMENT_TOLERANCES.startupMs);
    });
  }
});
