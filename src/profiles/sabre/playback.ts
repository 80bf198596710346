/**
 * Sabre's buffer and playback accounting (`deplete_buffer`, `playout_buffer`, `process_quality_up`,
 * `advertize_new_network_quality` in UMass-LIDS/sabre src/sabre.py), reproduced with the same floating-point
 * operations in the same order:
 *
 * - The buffer is a list of segment qualities plus the ms already played of the head segment;
 *   level = seg·count − played-of-head.
 * - A segment is credited (utility, bitrate, switch) the moment it starts playing. Running dry part-way through a
 *   playback step counts one rebuffer event; starting a step on an empty buffer counts time but no event.
 * - Ramp-up time: the wall time (from the start or the seek) at which the first segment at or above the
 *   threshold (default: the network's sustainable quality at that moment) started playing.
 * - Reaction time: a "quality-up" event opens when the sustainable quality rises above every buffered quality and
 *   every pending target, and closes when a segment of at least that quality starts playing or the sustainable
 *   quality falls below it; each adds min(B, duration) (B if never closed) once it is older than B.
 */
import type { SustainableQualityListener } from './network-model.js';

export class SabrePlayback implements SustainableQualityListener {
  // ---- buffer: a ring of qualities (no allocation per segment once grown) ----
  private ring = new Int32Array(16);
  private head = 0;
  /** Number of buffered segments (the head one included). */
  count = 0;
  /** Sabre's `buffer_fcc`: ms already played of the head segment. */
  playedOfHeadMs = 0;

  // ---- accumulators, Sabre's globals ----
  rebufferMs = 0;
  rebufferEvents = 0;
  playedUtility = 0;
  playedBitrateKbps = 0;
  playedCount = 0;
  /** Sabre's `total_play_time`: the session wall clock as playback sums it, ms. */
  totalPlayMs = 0;
  totalBitrateChangeKbps = 0;
  totalLogBitrateChange = 0;
  switchCount = 0;
  totalReactionMs = 0;
  /** Quality of the last segment that started playing, or -1. */
  lastPlayed = -1;

  rampupOriginMs = 0;
  /** Ramp-up time, ms, or undefined until reached. */
  rampupMs: number | undefined = undefined;
  /** Network's sustainable quality, kept current by the network model. */
  sustainableQuality = 0;

  // ---- pending quality-up events: [startMs, quality, endMs (NaN while open)] with a head index ----
  private readonly upStartMs: number[] = [];
  private readonly upQuality: number[] = [];
  private readonly upEndMs: number[] = [];
  private upHead = 0;

  /** Bitrate and stall of each played segment in play order (for the chunk-level QoE models). */
  readonly playedBitrates: number[] = [];
  readonly playedStallMs: number[] = [];
  private stallSinceLastStartMs = 0;

  constructor(
    private readonly segmentMs: number,
    private readonly bitratesKbps: Float64Array,
    private readonly utilities: Float64Array,
    /** Sabre's `max_buffer_size`, ms (the reaction-time cap and maturity age). */
    private readonly maxBufferMs: number,
    /** Sabre's `-rmp`, or undefined to use the sustainable quality. */
    private readonly rampupThreshold: number | undefined,
  ) {}

  levelMs(): number {
    return this.segmentMs * this.count - this.playedOfHeadMs;
  }

  /** Quality of buffered segment `i` (0 = head). */
  at(i: number): number {
    return this.ring[(this.head + i) & (this.ring.length - 1)] as number;
  }

  setAt(i: number, quality: number): void {
    this.ring[(this.head + i) & (this.ring.length - 1)] = quality;
  }

  append(quality: number): void {
    if (this.count === this.ring.length) {
      const grown = new Int32Array(this.ring.length * 2);
      for (let i = 0; i < this.count; i++) grown[i] = this.at(i);
      this.ring = grown;
      this.head = 0;
    }
    this.ring[(this.head + this.count) & (this.ring.length - 1)] = quality;
    this.count++;
  }

  private popHead(): void {
    this.head = (this.head + 1) & (this.ring.length - 1);
    this.count--;
  }

  /** Seek: the whole buffer is dropped, the half-played head included. */
  clear(): void {
    this.count = 0;
    this.playedOfHeadMs = 0;
  }

  /** Sabre's `deplete_buffer(time)`: plays for `ms`, counting stalls, credits and quality-up events. */
  deplete(ms: number): void {
    const seg = this.segmentMs;
    if (this.count === 0) {
      this.rebufferMs += ms;
      this.totalPlayMs += ms;
      this.stallSinceLastStartMs += ms;
      return;
    }
    if (this.playedOfHeadMs > 0) {
      if (ms + this.playedOfHeadMs < seg) {
        this.playedOfHeadMs += ms;
        this.totalPlayMs += ms;
        return;
      }
      ms -= seg - this.playedOfHeadMs;
      this.totalPlayMs += seg - this.playedOfHeadMs;
      this.popHead();
      this.playedOfHeadMs = 0;
    }
    while (ms > 0 && this.count > 0) {
      const q = this.at(0);
      this.startPlaying(q);
      if (ms >= seg) {
        this.popHead();
        this.totalPlayMs += seg;
        ms -= seg;
      } else {
        this.playedOfHeadMs = ms;
        this.totalPlayMs += ms;
        ms = 0;
      }
    }
    if (ms > 0) {
      this.rebufferMs += ms;
      this.totalPlayMs += ms;
      this.rebufferEvents++;
      this.stallSinceLastStartMs += ms;
    }
    this.processQualityUp(this.totalPlayMs);
  }

  private startPlaying(q: number): void {
    const b = this.bitratesKbps[q] as number;
    this.playedUtility += this.utilities[q] as number;
    this.playedBitrateKbps += b;
    this.playedCount++;
    const last = this.lastPlayed;
    if (q !== last && last >= 0) {
      const lb = this.bitratesKbps[last] as number;
      this.totalBitrateChangeKbps += Math.abs(b - lb);
      this.totalLogBitrateChange += Math.abs(Math.log(b / lb));
      this.switchCount++;
    }
    this.lastPlayed = q;
    this.playedBitrates.push(b);
    this.playedStallMs.push(this.stallSinceLastStartMs);
    this.stallSinceLastStartMs = 0;
    if (this.rampupMs === undefined) {
      const threshold = this.rampupThreshold ?? this.sustainableQuality;
      if (q >= threshold) this.rampupMs = this.totalPlayMs - this.rampupOriginMs;
    }
    for (let i = this.upHead; i < this.upQuality.length; i++) {
      if (Number.isNaN(this.upEndMs[i]) && q >= (this.upQuality[i] as number)) this.upEndMs[i] = this.totalPlayMs;
    }
  }

  /** Sabre's `playout_buffer`: plays what is left at the end of the session. */
  playout(): void {
    this.deplete(this.levelMs());
    this.clear();
  }

  /** Sabre's `process_quality_up(now)`: events older than B are settled into the reaction time. */
  private processQualityUp(nowMs: number): void {
    const cutoff = nowMs - this.maxBufferMs;
    while (this.upHead < this.upStartMs.length && (this.upStartMs[this.upHead] as number) < cutoff) {
      const start = this.upStartMs[this.upHead] as number;
      const end = this.upEndMs[this.upHead] as number;
      this.upHead++;
      this.totalReactionMs += Number.isNaN(end) ? this.maxBufferMs : Math.min(this.maxBufferMs, end - start);
    }
  }

  /** Sabre's `advertize_new_network_quality`, called by the network model at a period change. */
  onSustainableQualityChange(quality: number, previous: number, networkNowMs: number): void {
    this.sustainableQuality = quality;
    this.processQualityUp(networkNowMs);
    const n = this.upQuality.length;
    for (let i = this.upHead; i < n; i++) {
      if (Number.isNaN(this.upEndMs[i]) && (this.upQuality[i] as number) > quality) this.upEndMs[i] = networkNowMs;
    }
    if (quality <= previous) return;
    for (let i = 0; i < this.count; i++) if (quality <= this.at(i)) return;
    for (let i = this.upHead; i < n; i++) if (quality <= (this.upQuality[i] as number)) return;
    this.upStartMs.push(networkNowMs);
    this.upQuality.push(quality);
    this.upEndMs.push(Number.NaN);
  }
}
