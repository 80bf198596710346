import { traceFromPeriods, type Trace } from '../trace.js';

/**
 * Collects generated periods, merging neighbours of equal rate and latency, and clips the last one so the
 * trace is exactly `durationMs` long.
 */
export class PeriodBuilder {
  private readonly durations: number[] = [];
  private readonly rates: number[] = [];
  private readonly latencies: number[] = [];
  private totalMs = 0;

  constructor(
    private readonly durationMs: number,
    private readonly withLatency = false,
  ) {}

  /** True once the periods cover the whole duration. */
  get full(): boolean {
    return this.totalMs >= this.durationMs;
  }

  add(durationMs: number, rateKbps: number, latencyMs = 0): void {
    if (this.full || !(durationMs > 0)) return;
    const d = Math.min(durationMs, this.durationMs - this.totalMs);
    this.totalMs += d;
    const n = this.rates.length;
    if (n > 0 && this.rates[n - 1] === rateKbps && (!this.withLatency || this.latencies[n - 1] === latencyMs)) {
      this.durations[n - 1] = (this.durations[n - 1] as number) + d;
      return;
    }
    this.durations.push(d);
    this.rates.push(rateKbps);
    if (this.withLatency) this.latencies.push(latencyMs);
  }

  build(name: string): Trace {
    return traceFromPeriods({
      name,
      durationsMs: this.durations,
      ratesKbps: this.rates,
      ...(this.withLatency ? { latenciesMs: this.latencies } : {}),
      source: `generator ${name}`,
    });
  }
}
