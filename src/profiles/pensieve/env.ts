/**
 * Pensieve's test environment, `test/fixed_env.py` `Environment.get_video_chunk` (Mao et al., SIGCOMM 2017),
 * step for step and in the same floating-point order (the conformance target is 1e-9 relative per value; this
 * gives the identical bits). MODEL.md in shared/conformance/pensieve describes it; in short:
 *
 * - Interval i of the trace spans (time[i−1], time[i]] at `bw[i]` Mbit/s; bw[0] is never used. A chunk of S bytes
 *   consumes `bw·1e6/8 · duration · 0.95` payload bytes per interval; the last interval is used fractionally.
 *   Past the last sample the walk wraps to ptr = 1 with `last_time = 0` (not time[0]).
 * - The 80 ms RTT is added to the delay AFTER the walk: it is charged to the buffer and the rebuffer, but the trace
 *   clock does not move for it.
 * - rebuffer = max(delay − buffer, 0); buffer = max(buffer − delay, 0) + 4 s; above 60 s the trace clock sleeps
 *   ceil(excess / 500 ms) · 500 ms, and the RESIDUAL of that sleep inside the last interval is what is reported
 *   (the Python loop decrements its variable), so logged time stamps under-count sleeps that span samples.
 *
 * Differences on purpose: one session per `startSession` (fixed_env moves to the next trace itself at the end of
 * the video, with the same ptr = 1, last_time = time[0] start, so sessions are independent either way), and the
 * per-step outputs are written into a reused object instead of an 8-tuple mixing ms and s.
 */
import type { PensieveConfig } from './config.js';
import type { CookedTrace, PensieveVideo } from './files.js';

/** What `get_video_chunk` returns, in its own units (ms for delay/sleep/buffer/rebuffer here; s = ms / 1000). */
export interface PensieveStep {
  /** Download time + RTT, ms (fixed_env `delay`). */
  delayMs: number;
  /** Residual sleep reported by fixed_env, ms (0 when the buffer stayed under the cap). */
  sleepMs: number;
  /** Full sleep the buffer was drained by, ms (what the trace clock was asked to skip). */
  drainMs: number;
  /** Buffer after the chunk was added and after the sleep, ms (`return_buffer_size`). */
  bufferMs: number;
  /** Rebuffer charged to this chunk, ms. */
  rebufferMs: number;
  /** Size of the chunk just downloaded, bytes. */
  chunkBytes: number;
  /** Chunks left after this one (`video_chunk_remain`). */
  remain: number;
  endOfVideo: boolean;
}

export class PensieveEnv {
  private timeS: Float64Array = new Float64Array(0);
  private bwMbps: Float64Array = new Float64Array(0);
  /** Index of the sample that ends the current interval (fixed_env `mahimahi_ptr`). */
  private ptr = 1;
  /** Trace clock inside the current interval, s (`last_mahimahi_time`). */
  private lastTimeS = 0;
  private bufferMs = 0;
  private counter = 0;
  /** Outputs of the last `step`, overwritten in place (no allocation per chunk). */
  readonly out: PensieveStep = { delayMs: 0, sleepMs: 0, drainMs: 0, bufferMs: 0, rebufferMs: 0, chunkBytes: 0, remain: 0, endOfVideo: false };

  constructor(
    private readonly config: PensieveConfig,
    private readonly video: PensieveVideo,
  ) {}

  /** fixed_env's start of a video: ptr = 1, last_time = time[0], empty buffer, chunk 0. */
  startSession(trace: CookedTrace): void {
    this.timeS = trace.timeS;
    this.bwMbps = trace.bwMbps;
    this.ptr = 1;
    this.lastTimeS = trace.timeS[0] as number;
    this.bufferMs = 0;
    this.counter = 0;
  }

  /** Trace position (for tests): the interval pointer and the clock inside it, s. */
  position(): { ptr: number; lastTimeS: number } {
    return { ptr: this.ptr, lastTimeS: this.lastTimeS };
  }

  /** Downloads the next chunk at `quality` (get_video_chunk). */
  step(quality: number): PensieveStep {
    const c = this.config;
    const time = this.timeS;
    const bw = this.bwMbps;
    const n = bw.length;
    const size = (this.video.sizesBytes[quality] as Float64Array)[this.counter] as number;

    let delay = 0.0; // s, until the RTT is added
    let sent = 0; // bytes
    for (;;) {
      const throughput = ((bw[this.ptr] as number) * 1000000.0) / 8.0; // bytes/s
      const duration = (time[this.ptr] as number) - this.lastTimeS;
      const payload = throughput * duration * c.packetPayloadPortion;
      if (sent + payload > size) {
        const fractional = (size - sent) / throughput / c.packetPayloadPortion;
        delay += fractional;
        this.lastTimeS += fractional;
        break;
      }
      sent += payload;
      delay += duration;
      this.lastTimeS = time[this.ptr] as number;
      this.ptr += 1;
      if (this.ptr >= n) {
        this.ptr = 1;
        this.lastTimeS = 0;
      }
    }
    delay *= 1000.0;
    delay += c.linkRttMs;

    const rebuf = Math.max(delay - this.bufferMs, 0.0);
    this.bufferMs = Math.max(this.bufferMs - delay, 0.0);
    this.bufferMs += c.chunkMs;

    let sleep = 0;
    let drain = 0;
    if (this.bufferMs > c.bufferThreshMs) {
      const excess = this.bufferMs - c.bufferThreshMs;
      sleep = Math.ceil(excess / c.drainSleepMs) * c.drainSleepMs;
      drain = sleep;
      this.bufferMs -= sleep;
      for (;;) {
        const duration = (time[this.ptr] as number) - this.lastTimeS;
        if (duration > sleep / 1000.0) {
          this.lastTimeS += sleep / 1000.0;
          break;
        }
        sleep -= duration * 1000.0;
        this.lastTimeS = time[this.ptr] as number;
        this.ptr += 1;
        if (this.ptr >= n) {
          this.ptr = 1;
          this.lastTimeS = 0;
        }
      }
    }

    const out = this.out;
    out.delayMs = delay;
    out.sleepMs = sleep;
    out.drainMs = drain;
    out.bufferMs = this.bufferMs;
    out.rebufferMs = rebuf;
    out.chunkBytes = size;
    this.counter += 1;
    out.remain = c.chunkCount - this.counter;
    out.endOfVideo = this.counter >= c.chunkCount;
    return out;
  }
}
