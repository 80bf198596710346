/**
 * Sabre's segment replacement (`Replace` in UMass-LIDS/sabre src/sabre.py, `-r left|right`): after each quality
 * decision, re-download a buffered segment whose quality is below the new choice. It is part of Sabre's session
 * loop, not of any ABR policy.
 *
 * skip = ceil(1.5 + played-of-head/seg) segments are never touched: the playing one, the next, and the one after
 * that once more than half the head has played. `left` takes the first candidate from there, `right` the last.
 * The replacement is abandoned (returns -1) once that segment would start playing.
 */
import type { SabrePlayback } from './playback.js';

export type ReplaceStrategy = 'none' | 'left' | 'right';

/** Quality the replacer reports when it gives up a replacement (Sabre returns -1). */
export const REPLACEMENT_ABANDONED = -1;

export class SabreReplacer {
  /** Buffer position being replaced, counted from the end (−1 = last), as Sabre's negative list index; 0 = none. */
  private replacing = 0;

  constructor(
    private readonly strategy: ReplaceStrategy,
    private readonly segmentMs: number,
  ) {}

  /** Sabre's `check_replace(quality)`: the negative buffer index to re-download at `quality`, or 0 for none. */
  checkReplace(quality: number, buffer: SabrePlayback): number {
    this.replacing = 0;
    if (this.strategy === 'none') return 0;
    const skip = Math.ceil(1.5 + buffer.playedOfHeadMs / this.segmentMs);
    const n = buffer.count;
    if (this.strategy === 'left') {
      for (let i = skip; i < n; i++) {
        if (buffer.at(i) < quality) {
          this.replacing = i - n;
          break;
        }
      }
    } else {
      for (let i = n - 1; i >= skip; i--) {
        if (buffer.at(i) < quality) {
          this.replacing = i - n;
          break;
        }
      }
    }
    return this.replacing;
  }

  /** Sabre's replacer `check_abandon`: give up once the segment would start playing. */
  checkAbandon(bufferLevelMs: number): number | undefined {
    if (this.replacing === 0) return undefined;
    return bufferLevelMs + this.segmentMs * this.replacing <= 0 ? REPLACEMENT_ABANDONED : undefined;
  }
}
