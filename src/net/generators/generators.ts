import type { Rng } from '../../core/rng.js';
import type { Trace } from '../trace.js';
import { PeriodBuilder } from './builder.js';
import type { GeneratorSpec } from './spec.js';

type SpecOf<G extends GeneratorSpec['generator']> = Extract<GeneratorSpec, { generator: G }>;

export function constant(s: SpecOf<'constant'>, name: string): Trace {
  const b = new PeriodBuilder(s.durationMs);
  b.add(s.durationMs, s.rateKbps);
  return b.build(name);
}

/** The step rates in order, repeated until `durationMs` (default: one pass). */
export function steps(s: SpecOf<'steps'>, name: string): Trace {
  const total = s.durationMs ?? s.ratesKbps.length * s.stepMs;
  const b = new PeriodBuilder(total);
  for (let i = 0; !b.full; i++) b.add(s.stepMs, s.ratesKbps[i % s.ratesKbps.length] as number);
  return b.build(name);
}

/** High for `dutyCycle × periodMs`, then low for the rest of the cycle, starting high. */
export function square(s: SpecOf<'square'>, name: string): Trace {
  const b = new PeriodBuilder(s.durationMs);
  const highMs = s.periodMs * s.dutyCycle;
  while (!b.full) {
    b.add(highMs, s.highKbps);
    b.add(s.periodMs - highMs, s.lowKbps);
  }
  return b.build(name);
}

/**
 * Geometric random walk: every `stepMs` the log-rate moves by N(0, logSd), clamped to [minKbps, maxKbps].
 * Multiplicative so that relative variability is the same at every level and the rate stays positive.
 */
export function randomWalk(s: SpecOf<'random-walk'>, name: string, rng: Rng): Trace {
  const b = new PeriodBuilder(s.durationMs);
  let rate = clamp(s.startKbps, s.minKbps, s.maxKbps);
  while (!b.full) {
    b.add(s.stepMs, rate);
    rate = clamp(rate * Math.exp(rng.normal(0, s.logSd)), s.minKbps, s.maxKbps);
  }
  return b.build(name);
}

/**
 * Markov chain between bandwidth levels, after the synthetic set of Pensieve's generalisation study (Mao et al., SIGCOMM'17:
 * states are average throughputs in [0.2, 4.3] Mbit/s, transitions at 1 s, Gaussian noise within a state;
 * our default levels span that range). Leaving a state picks another with weight 2^-(distance-1), so
 * neighbouring levels are favoured (our choice; the paper does not give the transition matrix).
 */
export function markov(s: SpecOf<'markov'>, name: string, rng: Rng): Trace {
  const b = new PeriodBuilder(s.durationMs);
  const levels = s.levelsKbps;
  let state = rng.int(levels.length);
  let inStateMs = 0;
  while (!b.full) {
    const level = levels[state] as number;
    const noisy = level * (1 + rng.normal(0, s.noiseSd));
    b.add(s.sampleMs, Math.max(0, noisy));
    inStateMs += s.sampleMs;
    while (inStateMs >= s.stepMs) {
      inStateMs -= s.stepMs;
      if (rng.next() >= s.stayProbability) state = pickOtherLevel(state, levels.length, rng);
    }
  }
  return b.build(name);
}

function pickOtherLevel(state: number, n: number, rng: Rng): number {
  let total = 0;
  for (let j = 0; j < n; j++) if (j !== state) total += 2 ** -(Math.abs(j - state) - 1);
  let u = rng.next() * total;
  for (let j = 0; j < n; j++) {
    if (j === state) continue;
    u -= 2 ** -(Math.abs(j - state) - 1);
    if (u < 0) return j;
  }
  return state === n - 1 ? n - 2 : n - 1;
}

/**
 * Genet-style trace (Xia et al., "Genet: automatic curriculum generation for learning adaptation in
 * networking", SIGCOMM'22): the environment is described by a bandwidth range, a change interval and a link
 * RTT. Each interval (uniform in [0.5, 1.5] × changeIntervalMs, our jitter) draws a bandwidth log-uniformly
 * in [minKbps, maxKbps], so each octave of the range is equally likely. The RTT is stored as every period's
 * request latency (Pensieve's simulator likewise charges one LINK_RTT per chunk request).
 */
export function genet(s: SpecOf<'genet'>, name: string, rng: Rng): Trace {
  const b = new PeriodBuilder(s.durationMs, true);
  const lo = Math.log(s.minKbps);
  const hi = Math.log(s.maxKbps);
  while (!b.full) {
    const interval = s.changeIntervalMs * rng.uniform(0.5, 1.5);
    b.add(interval, Math.exp(rng.uniform(lo, hi)), s.rttMs);
  }
  return b.build(name);
}

/**
 * Gilbert–Elliott two-state channel (Gilbert 1960, Elliott 1963): a good and a bad state with per-step
 * transition probabilities; with badKbps = 0 the bad state is an outage whose mean length is
 * stepMs / pBadToGood. Starts in the good state.
 */
export function gilbertElliott(s: SpecOf<'gilbert-elliott'>, name: string, rng: Rng): Trace {
  const b = new PeriodBuilder(s.durationMs);
  let good = true;
  while (!b.full) {
    b.add(s.stepMs, good ? s.goodKbps : s.badKbps);
    good = good ? rng.next() >= s.pGoodToBad : rng.next() < s.pBadToGood;
  }
  return b.build(name);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
