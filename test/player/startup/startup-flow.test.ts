import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { createRng } from '../../../src/core/rng.js';
import {
  DEVICE_LIMIT_MESSAGE,
  StartupFlow,
  startupFlowSchema,
  type LicenceErrorCode,
  type StartupFlowInput,
} from '../../../src/player/startup/startup-flow.js';

// Fixed latencies so every time can be added up by hand: auth 80, API 150, manifest 70, licence 150, bookmark 30.
const fixed: StartupFlowInput = {
  authMs: { minMs: 80, maxMs: 80 },
  playbackApiMs: { minMs: 150, maxMs: 150 },
  manifestMs: { minMs: 70, maxMs: 70 },
  licenceMs: { minMs: 150, maxMs: 150 },
  bookmarkMs: { minMs: 30, maxMs: 30 },
};

function run(input: StartupFlowInput, outcomes: (LicenceErrorCode | undefined)[] = []) {
  const clock = new VirtualClock();
  const log: string[] = [];
  const flow = new StartupFlow({
    clock,
    rng: createRng(1),
    config: startupFlowSchema.parse(input),
    licenceOutcome: () => outcomes.shift(),
    hooks: {
      onSegmentsAllowed: (t) => log.push(`segments@${t}`),
      onLicensed: (t) => log.push(`licensed@${t}`),
      onCapHeight: (h, t) => log.push(`cap${h}@${t}`),
      onFatal: (e, t) => log.push(`fatal ${e.code}@${t}: ${e.message}`),
    },
  });
  flow.start();
  clock.run();
  return { log, flow };
}

describe('startup flow (reference §2.1, §4.2, §5.2)', () => {
  it('parallel: segments once the manifest is in, playback once the licence is', () => {
    const { log, flow } = run({ ...fixed, mode: 'parallel' });
    // auth 0–80; then manifest 80–150, licence 80–230, bookmark 80–110, API 80–230.
    expect(log).toEqual(['segments@150', 'licensed@230']);
    expect(flow.breakdown).toMatchObject({ auth: { startMs: 0, endMs: 80 }, manifest: { startMs: 80, endMs: 150 }, licence: { startMs: 80, endMs: 230 }, bookmark: { endMs: 110 } });
  });

  it('sequential: every step after the previous one, 80 + 150 + 70 + 150 + 30 = 480 ms', () => {
    const { log, flow } = run({ ...fixed, mode: 'sequential' });
    expect(log).toEqual(['segments@480', 'licensed@480']);
    expect(flow.breakdown.licence).toEqual({ startMs: 300, endMs: 450 });
  });

  it('LICENSE_EXPIRED asks for a fresh licence', () => {
    const { log, flow } = run(fixed, ['LICENSE_EXPIRED', undefined]);
    expect(log).toEqual(['segments@150', 'licensed@380']);
    expect(flow.breakdown.licenceAttempts).toBe(2);
  });

  it('HDCP_ERROR caps quality at 480p and retries', () => {
    expect(run(fixed, ['HDCP_ERROR', undefined]).log).toEqual(['segments@150', 'cap480@230', 'licensed@380']);
  });

  it('LICENSE_SERVER_UNAVAILABLE backs off 1, 2, 4, 8 s and gives up after 5 attempts', () => {
    const five = Array<LicenceErrorCode>(5).fill('LICENSE_SERVER_UNAVAILABLE');
    // Attempts end at 230, 1380, 3530, 7680, 15,830 (each 150 ms after the back-off).
    expect(run(fixed, [...five]).log).toEqual(['segments@150', 'fatal LICENSE_SERVER_UNAVAILABLE@15830: licence failed 5 times (last: LICENSE_SERVER_UNAVAILABLE)']);
    expect(run(fixed, [...five.slice(1), undefined]).log).toEqual(['segments@150', 'licensed@15830']);
  });

  it('after the 480p fallback a second HDCP failure does not matter (SD needs no HDCP); expiry loops are bounded at 5', () => {
    expect(run(fixed, ['HDCP_ERROR', 'HDCP_ERROR']).log).toEqual(['segments@150', 'cap480@230', 'licensed@380']);
    // Attempts end at 230, 380, 530, 680, 830: the fifth failure is fatal.
    expect(run(fixed, Array<LicenceErrorCode>(6).fill('LICENSE_EXPIRED')).log).toEqual(['segments@150', 'fatal LICENSE_EXPIRED@830: licence failed 5 times (last: LICENSE_EXPIRED)']);
  });

  it('DEVICE_LIMIT_EXCEEDED is fatal with the reference message', () => {
    expect(run(fixed, ['DEVICE_LIMIT_EXCEEDED']).log).toEqual(['segments@150', `fatal DEVICE_LIMIT_EXCEEDED@230: ${DEVICE_LIMIT_MESSAGE}`]);
  });

  it('draws latencies within the reference ranges by default', () => {
    const { flow } = run({});
    const d = (s: { startMs: number; endMs: number } | undefined) => (s === undefined ? NaN : s.endMs - s.startMs);
    expect(d(flow.breakdown.auth)).toBeGreaterThanOrEqual(50);
    expect(d(flow.breakdown.auth)).toBeLessThanOrEqual(100);
    expect(d(flow.breakdown.licence)).toBeGreaterThanOrEqual(100);
    expect(d(flow.breakdown.licence)).toBeLessThanOrEqual(200);
  });
});
