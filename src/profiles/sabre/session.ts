/**
 * Sabre's session loop (the `__main__` block of UMass-LIDS/sabre src/sabre.py @ 09b03bb) driving an abrlab
 * `AbrPolicy`. The loop, in Sabre's order:
 *
 * 1. Segment 0 at quality 0 (every built-in `get_first_quality()`), never abandoned; playback starts when it
 *    arrives; its sample seeds the estimator. The ABR hears nothing of it.
 * 2. For each next segment: the seek hack (fires on the download position); the buffer-full wait (playback and
 *    network clocks run; the ABR is told); the ABR decision and the replacer; the ABR's own delay (not told);
 *    the download with abandonment polling; playback for the download's duration; append, replace, or — after
 *    an abandonment — go round again for the same segment and ask the ABR afresh (Sabre's bug: the abandon
 *    rule's target is ignored; `fixAbandonTarget` uses it instead); the ABR report; the estimate-accuracy
 *    statistics (abandoned downloads included); the estimator update (completed downloads only).
 * 3. The buffer plays out.
 */
import { InputError } from '../../core/errors.js';
import { bitsToBytes } from '../../core/units.js';
import type { Catalog } from '../../origin/catalog.js';
import type { SegmentRow } from '../../qoe/types.js';
import { SabreEwmaEstimator } from '../../abr/estimators/sabre-ewma.js';
import { SlidingWindowEstimator } from '../../abr/estimators/sliding-window.js';
import type { AbrPolicy, DownloadRecord, ThroughputEstimator } from '../../abr/types.js';
import { Poller, SabreContext, SampleFeed } from './context.js';
import type { SabreMovie, SabreNetwork } from './inputs.js';
import { SabreNetworkModel } from './network-model.js';
import type { SabreOptions } from './options.js';
import { SabrePlayback } from './playback.js';
import { SabreReplacer } from './replacement.js';

/** Downloads kept in `ctx.history` (the bound a real player keeps; Sabre's policies read none). */
const HISTORY_LENGTH = 20;

export interface SabreLoopResult {
  playback: SabrePlayback;
  rows: SegmentRow[];
  /** First download's full time (latency included), ms. */
  startupMs: number;
  overCount: number;
  overAvgKbps: number;
  leqCount: number;
  leqAvgKbps: number;
  estimateAvgKbps: number;
  /** "WARNING: too late to replace" lines Sabre would print. */
  tooLateToReplace: number;
  /** Bits received, abandoned transfers included. */
  receivedBits: number;
}

/** What a segment row records of one download. */
interface RowFacts {
  index: number;
  q: number;
  requestMs: number;
  bits: number;
  timeMs: number;
  ttfbMs: number;
  rebufferMs: number;
  abandoned: boolean;
}

function segmentRow(movie: SabreMovie, playback: SabrePlayback, d: RowFacts): SegmentRow {
  return {
    index: d.index,
    repIndex: d.q,
    bitrateKbps: movie.bitratesKbps[d.q] as number,
    sizeBytes: bitsToBytes(d.bits),
    requestMs: d.requestMs,
    firstByteMs: d.requestMs + d.ttfbMs,
    doneMs: d.requestMs + d.timeMs,
    bufferMs: playback.levelMs(),
    rebufferMs: d.rebufferMs,
    abandoned: d.abandoned,
  };
}

function createEstimator(movie: SabreMovie, o: SabreOptions): ThroughputEstimator {
  if (o.movingAverage === 'sliding') return new SlidingWindowEstimator({ windowSizes: o.windowSize });
  return new SabreEwmaEstimator({ halfLivesMs: o.halfLifeS.map((h) => h * 1000), segmentMs: movie.segmentMs });
}

/** Runs one Sabre session. `catalog` must describe `movie` (see `sabreMovieCatalog`). */
export function runSabreLoop(p: {
  movie: SabreMovie;
  catalog: Catalog;
  network: SabreNetwork;
  policy: AbrPolicy;
  options: SabreOptions;
}): SabreLoopResult {
  const { movie, policy, options: o } = p;
  const seg = movie.segmentMs;
  const rungs = movie.rungCount;
  const n = movie.segmentCount;
  const bufferMs = o.maxBufferS * 1000;
  const utilityOffset = 0 - Math.log(movie.bitratesKbps[0] as number);
  const utilities = Float64Array.from(movie.bitratesKbps, (b) => Math.log(b) + utilityOffset);
  const playback = new SabrePlayback(seg, movie.bitratesKbps, utilities, bufferMs, o.rampupThreshold);
  const net = new SabreNetworkModel({ network: p.network, multiplier: o.networkMultiplier, bitratesKbps: movie.bitratesKbps, segmentMs: seg, listener: playback });
  playback.sustainableQuality = net.sustainableQuality;
  const estimator = createEstimator(movie, o);
  const ctx = new SabreContext(p.catalog, bufferMs);
  const replacer = new SabreReplacer(o.replace, seg);
  const poller = new Poller(policy, ctx, replacer);
  const rows: SegmentRow[] = [];
  let receivedBits = 0;

  const feed = new SampleFeed(estimator, ctx);

  // 1. The first segment.
  {
    const size = movie.sizesBits[0] as number;
    const dl = net.download(size, 0, undefined);
    const transferMs = dl.timeMs - dl.ttfbMs;
    playback.append(0);
    feed.push(transferMs, size, dl.ttfbMs, dl.timeMs);
    playback.totalPlayMs += dl.timeMs;
    receivedBits += size;
    rows.push(segmentRow(movie, playback, { index: 0, q: 0, requestMs: 0, bits: size, timeMs: dl.timeMs, ttfbMs: dl.ttfbMs, rebufferMs: 0, abandoned: false }));
    ctx.lastIndex = 0;
  }
  const startupMs = rows[0]?.doneMs ?? 0;

  let overCount = 0;
  let overAvg = 0;
  let leqCount = 0;
  let leqAvg = 0;
  let estAvg = 0;
  let tooLate = 0;
  let seek = o.seek;
  let abandonedTo: number | undefined;
  let next = 1;

  while (next < n) {
    const rebufferBefore = playback.rebufferMs;
    if (seek !== undefined && next * seg >= 1000 * seek.whenS) {
      next = Math.floor((1000 * seek.toS) / seg);
      playback.clear();
      ctx.nowMs = playback.totalPlayMs;
      ctx.segmentIndex = next;
      ctx.bufferMs = 0;
      ctx.playheadMs = 1000 * seek.toS;
      ctx.phase = 'seeking';
      policy.onEvent?.('seek', ctx);
      seek = undefined;
      playback.rampupOriginMs = playback.totalPlayMs;
      playback.rampupMs = undefined;
    }

    const fullDelayMs = playback.levelMs() + seg - bufferMs;
    if (fullDelayMs > 0) {
      playback.deplete(fullDelayMs);
      net.delay(fullDelayMs);
      syncContext(ctx, playback, next, seg);
      policy.onBufferFullWait?.(fullDelayMs, ctx);
    }

    let q: number;
    let delayMs: number;
    let replace = 0;
    if (abandonedTo === undefined) {
      syncContext(ctx, playback, next, seg);
      const d = policy.chooseRepresentation(ctx);
      if (!Number.isInteger(d.index) || d.index < 0 || d.index >= rungs) {
        throw new InputError(`policy ${policy.name} chose representation ${d.index}, outside 0..${rungs - 1}`);
      }
      q = d.index;
      delayMs = d.delayMs ?? 0;
      if (!(delayMs >= 0) || !Number.isFinite(delayMs)) throw new InputError(`policy ${policy.name} asked for a delay of ${delayMs} ms`);
      replace = replacer.checkReplace(q, playback);
    } else {
      q = abandonedTo;
      delayMs = 0;
      abandonedTo = undefined;
    }
    let current = next;
    if (replace !== 0) {
      delayMs = 0;
      current = next + replace;
    }
    poller.useReplacer = replace !== 0;
    // Sabre polls even when the rule never abandons (its base class answers None): the stepwise integration
    // sums time in other pieces than the one-piece transfer, so skipping it would change the last bits.
    const canAbandon = !o.noAbandon;

    const size = movie.sizesBits[current * rungs + q] as number;
    if (delayMs > 0) {
      playback.deplete(delayMs);
      net.delay(delayMs);
    }

    const requestMs = playback.totalPlayMs;
    const levelAtRequest = playback.levelMs();
    const pr = poller.progress;
    pr.segmentIndex = current;
    pr.repIndex = q;
    pr.totalBytes = bitsToBytes(size);
    pr.requestMs = requestMs;
    poller.requestMs = requestMs;
    poller.startDownload();
    ctx.segmentIndex = current;
    const dl = net.download(size, levelAtRequest, canAbandon ? poller : undefined);
    const timeMs = dl.timeMs;
    const ttfbMs = dl.ttfbMs;
    const gotBits = dl.downloadedBits;
    const abandonTo = dl.abandonTo;
    const abandoned = abandonTo !== undefined;
    playback.deplete(timeMs);
    receivedBits += gotBits;

    if (replace === 0) {
      if (!abandoned) {
        playback.append(q);
        next++;
      } else if (o.fixAbandonTarget) {
        abandonedTo = abandonTo;
      }
      // Sabre: otherwise `abandon_to_quality` is written and `abandoned_to_quality` read, so the target is lost.
    } else if (!abandoned) {
      // Still buffered and not yet playing? Then the better copy replaces it; else Sabre warns.
      if (playback.levelMs() + seg * replace >= 0) playback.setAt(playback.count + replace, q);
      else tooLate++;
    }

    const rebufferMs = playback.rebufferMs - rebufferBefore;
    rows.push(segmentRow(movie, playback, { index: current, q, requestMs, bits: gotBits, timeMs, ttfbMs, rebufferMs, abandoned }));

    // Estimate accuracy against the estimate the decision used (Sabre's running means).
    const transferMs = timeMs - ttfbMs;
    const t = gotBits / transferMs;
    const estimate = ctx.throughputKbps as number;
    if (estimate > t) {
      overCount += 1;
      overAvg += (estimate - t - overAvg) / overCount;
    } else {
      leqCount += 1;
      leqAvg += (t - estimate - leqAvg) / leqCount;
    }
    estAvg += (estimate - t - estAvg) / (overCount + leqCount);
    if (!abandoned) feed.push(transferMs, gotBits, ttfbMs, requestMs + timeMs);

    if (q !== ctx.lastIndex) ctx.lastSwitchMs = requestMs;
    ctx.lastIndex = q;
    syncContext(ctx, playback, next, seg);
    const record: DownloadRecord = {
      segmentIndex: current,
      repIndex: q,
      bytes: bitsToBytes(gotBits),
      requestMs,
      firstByteMs: requestMs + ttfbMs,
      doneMs: requestMs + timeMs,
      abandoned,
      elapsedMs: timeMs,
    };
    // Set after the literal rather than spread into it: no temporary objects per download.
    if (abandoned) record.abandonedToIndex = abandonTo;
    if (replace !== 0) record.replacement = true;
    ctx.history.push(record);
    if (ctx.history.length > HISTORY_LENGTH) ctx.history.shift();
    policy.onDownload?.(record, ctx);
  }

  playback.playout();
  return {
    playback,
    rows,
    startupMs,
    overCount,
    overAvgKbps: overAvg,
    leqCount,
    leqAvgKbps: leqAvg,
    estimateAvgKbps: estAvg,
    tooLateToReplace: tooLate,
    receivedBits,
  };
}

/** Copies Sabre's state into the context before a policy call. */
function syncContext(ctx: SabreContext, playback: SabrePlayback, next: number, segMs: number): void {
  const level = playback.levelMs();
  ctx.nowMs = playback.totalPlayMs;
  ctx.segmentIndex = next;
  ctx.bufferMs = level;
  ctx.playheadMs = next * segMs - level;
  ctx.phase = level > 0 ? 'playing' : 'rebuffering';
}
