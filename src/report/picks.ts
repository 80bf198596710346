/**
 * Choosing the best, median and worst session of a stream with flat memory. Best and worst are exact (first
 * seen wins ties). The median is only known at the end, so a few candidates closest to the running median
 * estimate are kept and the one closest to the final median is chosen: exact when the stream is short or
 * exchangeable, and otherwise a session whose QoE is near the median (the drill-down prints both figures).
 */
import type { PickedSession, Picks } from './report-data.js';
import type { ReportSession } from './types.js';

/** Median candidates kept; each may hold a timeline, so few. */
const MEDIAN_CANDIDATES = 5;

interface Candidate {
  order: number;
  qoe: number;
  picked: PickedSession;
}

export class PickTracker {
  private best: Candidate | undefined;
  private worst: Candidate | undefined;
  private mids: Candidate[] = [];
  private order = 0;

  /**
   * Offers a session with QoE `qoe`; `make` builds the kept record only when the session is kept.
   * `medianEstimate` is the current estimate of the group's median QoE.
   */
  offer(qoe: number, medianEstimate: number, make: () => PickedSession): void {
    if (!Number.isFinite(qoe)) return;
    const order = this.order++;
    let made: PickedSession | undefined;
    const get = (): PickedSession => (made ??= make());
    if (this.best === undefined || qoe > this.best.qoe) this.best = { order, qoe, picked: get() };
    if (this.worst === undefined || qoe < this.worst.qoe) this.worst = { order, qoe, picked: get() };
    const est = Number.isFinite(medianEstimate) ? medianEstimate : qoe;
    if (this.mids.length < MEDIAN_CANDIDATES) {
      this.mids.push({ order, qoe, picked: get() });
      return;
    }
    let far = 0;
    for (let i = 1; i < this.mids.length; i++) {
      if (Math.abs((this.mids[i]?.qoe ?? 0) - est) > Math.abs((this.mids[far]?.qoe ?? 0) - est)) far = i;
    }
    const farthest = this.mids[far];
    if (farthest !== undefined && Math.abs(qoe - est) < Math.abs(farthest.qoe - est)) this.mids[far] = { order, qoe, picked: get() };
  }

  finish(median: number): Picks {
    let mid: Candidate | undefined;
    for (const c of this.mids) {
      const d = Math.abs(c.qoe - median);
      const dm = mid === undefined ? Number.POSITIVE_INFINITY : Math.abs(mid.qoe - median);
      if (d < dm || (d === dm && mid !== undefined && c.order < mid.order)) mid = c;
    }
    return {
      ...(this.best !== undefined ? { best: this.best.picked } : {}),
      ...(mid !== undefined ? { median: mid.picked } : {}),
      ...(this.worst !== undefined ? { worst: this.worst.picked } : {}),
    };
  }
}

/** A copy of a session for the drill-down: segment rows dropped (they can be large), timeline kept apart. */
export function pickedOf(r: ReportSession, key: string): PickedSession {
  const { timeline, segments: _segments, ...rest } = r;
  return { key, session: { ...rest, segments: [] }, qoe: r.summary.qoe.reference, ...(timeline !== undefined ? { timeline } : {}) };
}
