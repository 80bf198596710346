import type { Catalog } from '../origin/catalog.js';
import type { SegmentRow, SessionMetrics, SessionTimeline } from '../qoe/types.js';

/** A contiguous stretch of media played, [fromMs, toMs) of media time, starting at clock time `clockMs`. */
interface PlayedSpan {
  fromMs: number;
  toMs: number;
  clockMs: number;
  epoch: number;
}

/** A segment appended to the buffer, in append order. A seek starts a new epoch (the buffer is cleared). */
interface AppendedSegment {
  index: number;
  repIndex: number;
  epoch: number;
}

/**
 * Records what happened in one session and derives its metrics at the end. Kept apart from the controller so
 * the controller only decides, and this only counts.
 */
export class SessionLog {
  readonly rows: SegmentRow[] = [];
  private readonly appended: AppendedSegment[] = [];
  private readonly spans: PlayedSpan[] = [];
  /** Row of the successful download of each segment, by segment index (last one wins after a seek). */
  private readonly rowOfSegment = new Map<number, number>();
  startupMs: number | undefined;
  rebufferMs = 0;
  rebufferCount = 0;
  bytes = 0;
  private epoch = 0;
  /** Latency of each seek that resumed playback (seek → first frame at the target), ms; pushed by the player. */
  readonly seekLatenciesMs: number[] = [];
  /** Seeks issued (counted from their marks), including any superseded by a later seek before resuming. */
  seekCount = 0;
  readonly timeline: SessionTimeline | undefined;

  constructor(
    private readonly catalog: Catalog,
    recordTimeline: boolean,
  ) {
    this.timeline = recordTimeline
      ? { capacity: { tMs: [], kbps: [] }, buffer: { tMs: [], bufferMs: [] }, played: { tMs: [], kbps: [] }, stalls: [], playStartMs: 0, marks: [] }
      : undefined;
  }

  addRow(row: SegmentRow): void {
    this.bytes += row.sizeBytes;
    if (!row.abandoned) this.rowOfSegment.set(row.index, this.rows.length);
    this.rows.push(row);
  }

  appendedSegment(index: number, repIndex: number): void {
    this.appended.push({ index, repIndex, epoch: this.epoch });
  }

  /** A seek cleared the buffer: later appends and spans belong to a new epoch. */
  newEpoch(): void {
    this.epoch++;
  }

  /** A stall of `ms` ended; it was spent waiting for segment `index`. */
  stall(index: number, startMs: number, endMs: number): void {
    // A stall that ends at the instant it began (data arriving at the same time) is no stall for the viewer.
    if (!(endMs > startMs)) return;
    this.rebufferMs += endMs - startMs;
    this.rebufferCount++;
    const row = this.rowOfSegment.get(index);
    if (row !== undefined) (this.rows[row] as SegmentRow).rebufferMs += endMs - startMs;
    this.timeline?.stalls.push({ startMs, endMs });
  }

  played(fromMs: number, toMs: number, clockMs: number): void {
    if (toMs > fromMs) this.spans.push({ fromMs, toMs, clockMs, epoch: this.epoch });
  }

  bufferSample(tMs: number, bufferMs: number): void {
    const b = this.timeline?.buffer;
    if (b === undefined) return;
    b.tMs.push(tMs);
    b.bufferMs.push(bufferMs);
  }

  /** Fills the timeline's played-bitrate steps from the played spans (once, at the end of the session). */
  finishTimeline(): void {
    const p = this.timeline?.played;
    if (p === undefined || p.tMs.length > 0) return;
    const ladder = this.catalog.representations;
    for (const seg of this.appended) {
      const startMs = seg.index * this.catalog.segmentDurationMs;
      const endMs = startMs + this.catalog.segmentDurationAt(seg.index);
      for (const s of this.spans) {
        if (s.epoch !== seg.epoch) continue;
        const lo = Math.max(startMs, s.fromMs);
        if (Math.min(endMs, s.toMs) <= lo) continue;
        const kbps = ladder[seg.repIndex]?.bitrateKbps ?? 0;
        const atMs = s.clockMs + (lo - s.fromMs);
        if (p.kbps[p.kbps.length - 1] !== kbps || p.tMs.length === 0) {
          p.tMs.push(atMs);
          p.kbps.push(kbps);
        }
      }
    }
  }

  mark(tMs: number, kind: 'abandon' | 'seek' | 'failover' | 'error', label: string): void {
    // The player marks every seek it carries out, timeline or not: the one place that sees them all.
    if (kind === 'seek') this.seekCount++;
    this.timeline?.marks.push({ tMs, kind, label });
  }

  /** Per-session metrics, from what was recorded. */
  metrics(): SessionMetrics {
    const ladder = this.catalog.representations.map((r) => r.bitrateKbps);
    const qualityLadder = this.catalog.representations.some((r) => r.qualityKbps !== undefined)
      ? this.catalog.representations.map((r) => r.qualityKbps ?? r.bitrateKbps)
      : undefined;
    const playedQualityKbps: number[] = [];
    let qualityMs = 0;
    const playedBitratesKbps: number[] = [];
    const playedRebufferMs: number[] = [];
    let playMs = 0;
    let bitrateMs = 0;
    let switchCount = 0;
    let lastRep = -1;
    for (const seg of this.appended) {
      const startMs = seg.index * this.catalog.segmentDurationMs;
      const endMs = startMs + this.catalog.segmentDurationAt(seg.index);
      const ms = this.playedWithin(startMs, endMs, seg.epoch);
      if (ms <= 0) continue;
      const kbps = ladder[seg.repIndex] as number;
      playMs += ms;
      bitrateMs += kbps * ms;
      if (lastRep >= 0 && seg.repIndex !== lastRep) switchCount++;
      lastRep = seg.repIndex;
      playedBitratesKbps.push(kbps);
      if (qualityLadder !== undefined) {
        const q = qualityLadder[seg.repIndex] as number;
        playedQualityKbps.push(q);
        qualityMs += q * ms;
      }
      const row = this.rowOfSegment.get(seg.index);
      playedRebufferMs.push(row === undefined ? 0 : (this.rows[row] as SegmentRow).rebufferMs);
    }
    return {
      startupMs: this.startupMs ?? 0,
      rebufferMs: this.rebufferMs,
      rebufferCount: this.rebufferCount,
      playMs,
      contentMs: this.catalog.durationMs,
      avgBitrateKbps: playMs > 0 ? bitrateMs / playMs : 0,
      switchCount,
      bytes: this.bytes,
      playedBitratesKbps,
      playedRebufferMs,
      ladderKbps: ladder,
      ...(qualityLadder === undefined ? {} : { quality: { avgKbps: playMs > 0 ? qualityMs / playMs : 0, playedKbps: playedQualityKbps, ladderKbps: qualityLadder } }),
      seekCount: this.seekCount,
      seekLatenciesMs: this.seekLatenciesMs,
    };
  }

  private playedWithin(fromMs: number, toMs: number, epoch: number): number {
    let ms = 0;
    for (const s of this.spans) {
      if (s.epoch !== epoch) continue;
      const lo = Math.max(fromMs, s.fromMs);
      const hi = Math.min(toMs, s.toMs);
      if (hi > lo) ms += hi - lo;
    }
    return ms;
  }
}
