/**
 * The context the Sabre profile keeps for the policy, and what feeds it: the abandonment poller (Sabre's
 * `check_abandon` calls, translated to abrlab's `shouldAbandon`) and the estimator feed. One instance of each per
 * session, updated in place: nothing is allocated per poll or per download (STYLE.md 8).
 */
import { InputError } from '../../core/errors.js';
import { bitsToBytes, bytesToBits } from '../../core/units.js';
import type { Catalog } from '../../origin/catalog.js';
import { type AbandonQuietSource, isAbandonQuietSource } from '../../abr/abandon-shortcuts.js';
import type { AbrContext, AbrPolicy, DownloadProgress, DownloadRecord, PlaybackPhase, ThroughputEstimator, ThroughputSample } from '../../abr/types.js';
import type { AbandonPoller } from './network-model.js';
import type { SabreReplacer } from './replacement.js';

/** The context the profile keeps up to date from Sabre's state (one instance per session, updated in place). */
export class SabreContext implements AbrContext {
  nowMs = 0;
  segmentIndex = 0;
  bufferMs = 0;
  lastIndex = -1;
  lastSwitchMs = -Infinity;
  throughputKbps: number | undefined = undefined;
  latencyMs: number | undefined = undefined;
  readonly history: DownloadRecord[] = [];
  phase: PlaybackPhase = 'startup';
  playheadMs = 0;
  readonly maxIndex: number;

  constructor(
    readonly catalog: Catalog,
    readonly maxBufferMs: number,
  ) {
    this.maxIndex = catalog.representations.length - 1;
  }
}

/** Polls either the policy or the replacer during a download, translating Sabre's progress to abrlab's. */
export class Poller implements AbandonPoller {
  useReplacer = false;
  requestMs = 0;
  readonly progress: DownloadProgress = {
    segmentIndex: 0,
    repIndex: 0,
    loadedBytes: 0,
    totalBytes: 0,
    requestMs: 0,
    // A number from the start (set before every poll): a field that starts `undefined` would box every double
    // stored in it (speed: one heap number per poll otherwise).
    firstByteMs: 0,
    elapsedMs: 0,
    timeToFirstByteMs: 0,
  };
  /**
   * The policy's `AbandonQuiet` promise for the current download, copied: polls it covers are answered here
   * without calling the policy (speed shortcut, exact by the promise). Over Sabre's 3G traces that is 19 polls in
   * 20 for BOLA-E and BOLA, 4 in 5 for the throughput rule; and the calls it saves are the ones a sweep over several
   * policies makes megamorphic.
   */
  private quietRemainBits = -Infinity;
  private quietMinBufferMs = Infinity;
  private quietUntilMs = -Infinity;
  private readonly quietSource: AbandonQuietSource | undefined;

  constructor(
    private readonly policy: AbrPolicy,
    private readonly ctx: SabreContext,
    private readonly replacer: SabreReplacer,
  ) {
    this.quietSource = isAbandonQuietSource(policy) ? policy : undefined;
  }

  /** A new download: `progress` is set; no promise carries over. */
  startDownload(): void {
    this.forgetQuiet();
  }

  private forgetQuiet(): void {
    this.quietRemainBits = -Infinity;
    this.quietMinBufferMs = Infinity;
    this.quietUntilMs = -Infinity;
  }

  poll(downloadedBits: number, elapsedMs: number, ttfbMs: number, bufferLevelMs: number): number | undefined {
    if (this.useReplacer) return this.replacer.checkAbandon(bufferLevelMs);
    const p = this.progress;
    const loadedBytes = bitsToBytes(downloadedBits);
    // What is left as the policy computes it (bytes to bits, as in every policy).
    if (
      bytesToBits(p.totalBytes) - bytesToBits(loadedBytes) <= this.quietRemainBits &&
      bufferLevelMs >= this.quietMinBufferMs &&
      elapsedMs < this.quietUntilMs
    ) {
      return undefined;
    }
    p.loadedBytes = loadedBytes;
    p.elapsedMs = elapsedMs;
    p.timeToFirstByteMs = ttfbMs;
    p.firstByteMs = this.requestMs + ttfbMs;
    const ctx = this.ctx;
    ctx.nowMs = this.requestMs + elapsedMs;
    // Sabre passes max(0, level at request − elapsed): the buffer as it would be now.
    ctx.bufferMs = bufferLevelMs;
    const d = this.policy.shouldAbandon?.(ctx, p);
    if (d === undefined) {
      const quiet = this.quietSource?.abandonQuiet();
      if (quiet === undefined) {
        this.forgetQuiet();
      } else {
        this.quietRemainBits = quiet.remainBits;
        this.quietMinBufferMs = quiet.minBufferMs;
        this.quietUntilMs = quiet.untilElapsedMs;
      }
      return undefined;
    }
    if (!Number.isInteger(d.index) || d.index < 0 || d.index > ctx.maxIndex) {
      throw new InputError(`policy ${this.policy.name} abandoned to representation ${d.index}, outside 0..${ctx.maxIndex}`);
    }
    return d.index;
  }
}

/**
 * Feeds completed downloads to the estimator and copies its estimates into the context. A class rather than
 * closures made per session (speed: under tsx each closure also costs a `__name` call) with one reused sample.
 */
export class SampleFeed {
  private readonly sample: ThroughputSample = { bytes: 0, transferMs: 0, latencyMs: 0, atMs: 0 };

  constructor(
    private readonly estimator: ThroughputEstimator,
    private readonly ctx: SabreContext,
  ) {}

  push(transferMs: number, bits: number, latencyMs: number, atMs: number): void {
    const sample = this.sample;
    sample.bytes = bitsToBytes(bits);
    sample.transferMs = transferMs;
    sample.latencyMs = latencyMs;
    sample.atMs = atMs;
    this.estimator.addSample(sample);
    this.ctx.throughputKbps = this.estimator.estimateKbps();
    this.ctx.latencyMs = this.estimator.latencyEstimateMs?.();
  }
}

