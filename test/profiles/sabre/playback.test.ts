import { describe, expect, it } from 'vitest';
import { SabrePlayback } from '../../../src/profiles/sabre/playback.js';

const bitrates = Float64Array.from([100, 200, 400]);
const utilities = Float64Array.from(bitrates, (b) => Math.log(b / 100));
const make = (rampup?: number) => new SabrePlayback(1000, bitrates, utilities, 25_000, rampup);

describe('Sabre playback accounting', () => {
  it('running dry part-way through a step counts one event; starting empty counts time only', () => {
    const p = make();
    p.append(0);
    p.deplete(1500); // 1000 played, 500 stalled: one event
    expect(p.rebufferMs).toBe(500);
    expect(p.rebufferEvents).toBe(1);
    p.deplete(700); // already empty: time, no event
    expect(p.rebufferMs).toBe(1200);
    expect(p.rebufferEvents).toBe(1);
    expect(p.totalPlayMs).toBe(2200);
  });

  it('credits a segment when it starts playing, with the switch from the one before', () => {
    const p = make();
    p.append(0);
    p.append(2);
    p.deplete(1200); // plays all of q0 and starts q2
    expect(p.playedBitrateKbps).toBe(500);
    expect(p.totalBitrateChangeKbps).toBe(300);
    expect(p.totalLogBitrateChange).toBeCloseTo(Math.log(4), 12);
    expect(p.levelMs()).toBe(800);
    expect(p.playedOfHeadMs).toBe(200);
  });

  it('ramp-up time: when the first segment at the threshold starts playing', () => {
    const p = make(1);
    p.append(0);
    p.append(1);
    p.deplete(2000); // q1 starts at 1000 ms
    expect(p.rampupMs).toBe(1000);
  });

  it('a quality-up event settles into the reaction time once older than B', () => {
    const p = make();
    p.append(0);
    p.onSustainableQualityChange(2, 0, 0); // opens at 0
    p.append(2);
    p.deplete(1000); // q2 starts at 1000 ms: closes at 1000
    expect(p.totalReactionMs).toBe(0); // not yet older than B = 25 s
    p.deplete(30_000);
    expect(p.totalReactionMs).toBe(1000);
  });

  it('an event never closed counts B', () => {
    const p = make();
    p.onSustainableQualityChange(1, 0, 0);
    p.append(0);
    p.deplete(26_000);
    expect(p.totalReactionMs).toBe(25_000);
  });
});
