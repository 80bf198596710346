/**
 * Sabre's network model (`NetworkModel` in UMass-LIDS/sabre src/sabre.py), reproduced operation by operation:
 *
 * - A request costs one latency, consumed in "latency units" of the current period (a period ending after x ms
 *   of an L ms latency uses x/L of a unit; the rest costs (1 − x/L)·the next period's latency), then the bits are
 *   integrated exactly over the piecewise-constant bandwidth. The trace loops for ever.
 * - With abandonment polling, after the latency the transfer runs in steps of at least 12,000 bits and 50 ms
 *   since the last poll (the first 50 ms counted from the request), and the poller is asked after each step
 *   that leaves the download unfinished.
 * - The period's sustainable quality (largest q with b_q <= bw·(1 − latency/seg)) is recomputed at every period
 *   change and reported to a listener, which keeps Sabre's reaction-time bookkeeping.
 *
 * The network clock (`nowMs`) is its own accumulator, as in Sabre: summed in different pieces than the playback
 * clock, it differs from it in the last bits, and Sabre's reaction-time metric mixes both.
 */
import type { SabreNetwork } from './inputs.js';

/** Sabre's `min_progress_size`: bits between abandonment polls. */
export const MIN_PROGRESS_BITS = 12_000;
/** Sabre's `min_progress_time`: ms between abandonment polls. */
export const MIN_PROGRESS_MS = 50;

export interface SustainableQualityListener {
  /** Called when the sustainable quality changes at a period boundary (not for the very first period). */
  onSustainableQualityChange(quality: number, previous: number, networkNowMs: number): void;
}

/** Asked after each progress step; returns the quality to abandon to, or undefined to continue. */
export interface AbandonPoller {
  poll(downloadedBits: number, elapsedMs: number, ttfbMs: number, bufferLevelMs: number): number | undefined;
}

/** Outcome of one download (Sabre's `DownloadProgress`); one instance is reused (no allocation per download). */
export interface DownloadOutcome {
  sizeBits: number;
  downloadedBits: number;
  /** Request to done or abort, ms. */
  timeMs: number;
  /** Time to first bit (the latency), ms. */
  ttfbMs: number;
  /** Quality the poller chose when it abandoned, else undefined. */
  abandonTo: number | undefined;
}

export class SabreNetworkModel {
  private readonly durationsMs: Float64Array;
  private readonly bandwidthsKbps: Float64Array;
  private readonly latenciesMs: Float64Array;
  private readonly bitratesKbps: Float64Array;
  private readonly segmentMs: number;
  private readonly listener: SustainableQualityListener;
  private index = -1;
  private timeToNextMs = 0;
  /** Bits and ms of a polling step that stays inside the current period (see `nextPeriod`). */
  private plainStepBits = 0;
  private plainStepMs = 0;
  /** Sabre's `network_total_time`, ms. */
  nowMs = 0;
  /** Sabre's `sustainable_quality` of the current period (-1 before the first period). */
  sustainableQuality = -1;
  readonly outcome: DownloadOutcome = { sizeBits: 0, downloadedBits: 0, timeMs: 0, ttfbMs: 0, abandonTo: undefined };

  constructor(p: {
    network: SabreNetwork;
    multiplier: number;
    bitratesKbps: Float64Array;
    segmentMs: number;
    listener: SustainableQualityListener;
  }) {
    this.durationsMs = p.network.durationsMs;
    // Sabre multiplies at load time (`bandwidth_kbps * multiplier`); latency is not scaled.
    const bw = p.network.bandwidthsKbps;
    this.bandwidthsKbps = new Float64Array(bw.length);
    for (let i = 0; i < bw.length; i++) this.bandwidthsKbps[i] = (bw[i] as number) * p.multiplier;
    this.latenciesMs = p.network.latenciesMs;
    this.bitratesKbps = p.bitratesKbps;
    this.segmentMs = p.segmentMs;
    this.listener = p.listener;
    this.nextPeriod();
  }

  private nextPeriod(): void {
    this.index++;
    if (this.index === this.durationsMs.length) this.index = 0;
    const i = this.index;
    this.timeToNextMs = this.durationsMs[i] as number;
    // A polling step after the first is max(12,000 bits, 50 ms of the period's rate); its time is the same
    // division every step of the period, so it is done once here.
    const bw = this.bandwidthsKbps[i] as number;
    this.plainStepBits = Math.max(MIN_PROGRESS_BITS, MIN_PROGRESS_MS * bw);
    this.plainStepMs = this.plainStepBits / bw;
    const effectiveKbps = (this.bandwidthsKbps[i] as number) * (1 - (this.latenciesMs[i] as number) / this.segmentMs);
    const previous = this.sustainableQuality;
    let q = 0;
    for (let j = 1; j < this.bitratesKbps.length; j++) {
      if ((this.bitratesKbps[j] as number) > effectiveKbps) break;
      q = j;
    }
    this.sustainableQuality = q;
    if (q !== previous && previous >= 0) this.listener.onSustainableQualityChange(q, previous, this.nowMs);
  }

  /** Sabre's `do_latency_delay`: spends `units` latency units, returns the time taken, ms. */
  private latencyDelay(units: number): number {
    let total = 0;
    while (units > 0) {
      const lat = this.latenciesMs[this.index] as number;
      const t = units * lat;
      if (t <= this.timeToNextMs) {
        total += t;
        this.nowMs += t;
        this.timeToNextMs -= t;
        units = 0;
      } else {
        total += this.timeToNextMs;
        this.nowMs += this.timeToNextMs;
        units -= this.timeToNextMs / lat;
        this.nextPeriod();
      }
    }
    return total;
  }

  /** Sabre's `do_download`: transfers `sizeBits` in one piece, returns the time taken, ms. */
  private transfer(sizeBits: number): number {
    let total = 0;
    while (sizeBits > 0) {
      const bw = this.bandwidthsKbps[this.index] as number;
      if (sizeBits <= this.timeToNextMs * bw) {
        const t = sizeBits / bw;
        total += t;
        this.nowMs += t;
        this.timeToNextMs -= t;
        sizeBits = 0;
      } else {
        total += this.timeToNextMs;
        this.nowMs += this.timeToNextMs;
        sizeBits -= this.timeToNextMs * bw;
        this.nextPeriod();
      }
    }
    return total;
  }

  // Sabre's `do_minimal_download` returns a pair; these two fields carry it without allocating (speed shortcut).
  private stepBits = 0;
  private stepMs = 0;

  /** Sabre's `do_minimal_download`: runs until `minBits` and `minMs` are both reached or the download ends. */
  private minimalTransfer(sizeBits: number, minBits: number, minMs: number): void {
    let totalBits = 0;
    let totalMs = 0;
    while (sizeBits > 0 && (minBits > 0 || minMs > 0)) {
      const bw = this.bandwidthsKbps[this.index] as number;
      let bits: number;
      let t: number;
      if (bw > 0) {
        const minStepBits = Math.max(minBits, minMs * bw);
        const bitsToNext = this.timeToNextMs * bw;
        if (sizeBits <= minStepBits && sizeBits <= bitsToNext) {
          bits = sizeBits;
          t = bits / bw;
          this.timeToNextMs -= t;
          this.nowMs += t;
        } else if (minStepBits <= bitsToNext) {
          bits = minStepBits;
          t = bits / bw;
          // Sabre zeroes both minima here so that rounding cannot keep the loop going.
          minBits = 0;
          minMs = 0;
          this.timeToNextMs -= t;
          this.nowMs += t;
        } else {
          bits = bitsToNext;
          t = this.timeToNextMs;
          this.nowMs += t;
          this.nextPeriod();
        }
      } else {
        bits = 0;
        if (minBits > 0 || minMs > this.timeToNextMs) {
          t = this.timeToNextMs;
          this.nowMs += t;
          this.nextPeriod();
        } else {
          t = minMs;
          this.timeToNextMs -= t;
          this.nowMs += t;
        }
      }
      totalBits += bits;
      totalMs += t;
      sizeBits -= bits;
      minBits -= bits;
      minMs -= t;
    }
    this.stepBits = totalBits;
    this.stepMs = totalMs;
  }

  /** Sabre's `delay`: lets `ms` pass on the network clock. */
  delay(ms: number): void {
    while (ms > this.timeToNextMs) {
      ms -= this.timeToNextMs;
      this.nowMs += this.timeToNextMs;
      this.nextPeriod();
    }
    this.timeToNextMs -= ms;
    this.nowMs += ms;
  }

  /**
   * Sabre's `download`: one request for `sizeBits`. Without a poller it runs in one piece; with one, in progress
   * steps, asking `poller` with max(0, bufferLevelMs − elapsed) after each unfinished step. Returns the reused
   * `outcome` object.
   */
  download(sizeBits: number, bufferLevelMs: number, poller: AbandonPoller | undefined): DownloadOutcome {
    const out = this.outcome;
    out.sizeBits = sizeBits;
    out.abandonTo = undefined;
    if (sizeBits <= 0) {
      out.sizeBits = 0;
      out.downloadedBits = 0;
      out.timeMs = 0;
      out.ttfbMs = 0;
      return out;
    }
    if (poller === undefined) {
      const latency = this.latencyDelay(1);
      out.timeMs = latency + this.transfer(sizeBits);
      out.ttfbMs = latency;
      out.downloadedBits = sizeBits;
      return out;
    }
    const latency = this.latencyDelay(1);
    let totalMs = latency;
    let totalBits = 0;
    // The first step's 50 ms counts from the request, so the latency already used some of it (maybe all).
    let minMs = MIN_PROGRESS_MS - totalMs;
    let minBits = MIN_PROGRESS_BITS;
    let abandonTo: number | undefined;
    // Speed shortcut (same floats): a full step inside the current period is the first and only iteration of
    // `minimalTransfer`'s first or second branch; it is done inline, on local copies of the clock, with the
    // period's cached step (`nextPeriod`), or for the first step of the download (whose 50 ms count from the
    // request) with the step `minimalTransfer` would compute. Only steps that cross a period (or meet a period
    // without bandwidth) go through `minimalTransfer`.
    let bw = this.bandwidthsKbps[this.index] as number;
    let stepBits = this.plainStepBits;
    let stepMs = this.plainStepMs;
    let timeToNextMs = this.timeToNextMs;
    let nowMs = this.nowMs;
    while (totalBits < sizeBits && abandonTo === undefined) {
      const remainBits = sizeBits - totalBits;
      const bitsToNext = timeToNextMs * bw;
      const plain = minMs === MIN_PROGRESS_MS;
      const bits = plain ? stepBits : Math.max(minBits, minMs * bw);
      if (bw > 0 && (remainBits <= bits ? remainBits <= bitsToNext : bits <= bitsToNext)) {
        let t: number;
        if (remainBits <= bits) {
          t = remainBits / bw;
          totalBits += remainBits;
        } else {
          t = plain ? stepMs : bits / bw;
          totalBits += bits;
        }
        timeToNextMs -= t;
        nowMs += t;
        totalMs += t;
      } else {
        this.timeToNextMs = timeToNextMs;
        this.nowMs = nowMs;
        this.minimalTransfer(remainBits, minBits, minMs);
        totalMs += this.stepMs;
        totalBits += this.stepBits;
        bw = this.bandwidthsKbps[this.index] as number;
        stepBits = this.plainStepBits;
        stepMs = this.plainStepMs;
        timeToNextMs = this.timeToNextMs;
        nowMs = this.nowMs;
      }
      if (totalBits < sizeBits) {
        abandonTo = poller.poll(totalBits, totalMs, latency, Math.max(0, bufferLevelMs - totalMs));
        minMs = MIN_PROGRESS_MS;
        minBits = MIN_PROGRESS_BITS;
      }
    }
    this.timeToNextMs = timeToNextMs;
    this.nowMs = nowMs;
    out.downloadedBits = totalBits;
    out.timeMs = totalMs;
    out.ttfbMs = latency;
    out.abandonTo = abandonTo;
    return out;
  }
}
