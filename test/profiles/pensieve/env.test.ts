import { describe, expect, it } from 'vitest';
import { parsePensieveConfig, type PensieveConfigInput } from '../../../src/profiles/pensieve/config.js';
import { PensieveEnv } from '../../../src/profiles/pensieve/env.js';
import type { CookedTrace, PensieveVideo } from '../../../src/profiles/pensieve/files.js';

/*
 * Hand-computed steps of fixed_env.get_video_chunk (MODEL.md "Download model"). At 8 Mbit/s the byte rate is
 * 8·1e6/8 = 1e6 B/s and the payload per second 0.95e6 B; at 16 Mbit/s, 2e6 B/s and 1.9e6 B per second.
 */
function trace(timeS: number[], bwMbps: number[]): CookedTrace {
  return { name: 't', timeS: Float64Array.from(timeS), bwMbps: Float64Array.from(bwMbps) };
}

/** Every quality uses the same sizes (the env only reads the chosen quality's row). */
function video(sizes: number[]): PensieveVideo {
  return { name: 'v', sizesBytes: Array.from({ length: 6 }, () => Float64Array.from(sizes)) };
}

function env(sizes: number[], config: PensieveConfigInput = {}): PensieveEnv {
  return new PensieveEnv(parsePensieveConfig(config), video(sizes));
}

describe('PensieveEnv (fixed_env.get_video_chunk)', () => {
  it('uses bw[i] for the interval ending at time[i], adds the 80 ms RTT after the walk, and charges it to the buffer', () => {
    // bw[0] = 99 must never be used. Times 0,1,2,3; bw 8, 8, 16 Mbit/s on intervals 1..3.
    const e = env([475_000, 1_900_000, 3_800_000]);
    e.startSession(trace([0, 1, 2, 3], [99, 8, 8, 16]));

    // Chunk 0: 475,000 B < 950,000 B of interval 1 → 475000/1e6/0.95 = 0.5 s; delay 500 + 80 = 580 ms, all rebuffer
    // (empty buffer); buffer = 0 + 4000. The trace clock moved 0.5 s only: the RTT does not advance it.
    let s = e.step(0);
    expect(s.delayMs).toBeCloseTo(580, 9);
    expect(s.rebufferMs).toBeCloseTo(580, 9);
    expect(s.bufferMs).toBe(4000);
    expect(s.chunkBytes).toBe(475_000);
    expect(e.position().ptr).toBe(1);
    expect(e.position().lastTimeS).toBeCloseTo(0.5, 12);

    // Chunk 1: 1,900,000 B: rest of interval 1 (0.5 s → 475,000 B), interval 2 (950,000 B; 1,425,000 sent), then
    // 475,000 B at 2e6 B/s / 0.95 = 0.25 s of interval 3. delay = 0.5 + 1 + 0.25 = 1.75 s → 1830 ms.
    // rebuffer = max(1830 − 4000, 0) = 0; buffer = 4000 − 1830 + 4000 = 6170 ms.
    s = e.step(0);
    expect(s.delayMs).toBeCloseTo(1830, 9);
    expect(s.rebufferMs).toBe(0);
    expect(s.bufferMs).toBeCloseTo(6170, 9);
    expect(e.position().ptr).toBe(3);
    expect(e.position().lastTimeS).toBeCloseTo(2.25, 12);

    // Chunk 2: 3,800,000 B: rest of interval 3 (0.75 s → 1,425,000 B), wrap to ptr 1, interval 1 (950,000 B),
    // interval 2 (950,000 B; 3,325,000 sent), then 475,000 B of interval 3 = 0.25 s. delay = 0.75 + 1 + 1 + 0.25 = 3 s
    // → 3080 ms; buffer = 6170 − 3080 + 4000 = 7090 ms; remain = 48 − 3 = 45.
    s = e.step(0);
    expect(s.delayMs).toBeCloseTo(3080, 9);
    expect(s.bufferMs).toBeCloseTo(7090, 9);
    expect(s.remain).toBe(45);
    expect(s.endOfVideo).toBe(false);
  });

  it('wraps to ptr = 1 with last_time = 0, not time[0]', () => {
    // time[0] = 0.5: the first pass of interval 1 lasts 0.5 s, later passes 1 s (from 0).
    // 1,900,000 B: interval 1 (0.5 s → 475,000 B), interval 2 (950,000 B), wrap, then 475,000 B in interval 1
    // = 0.5 s, ending at trace time 0 + 0.5 = 0.5 s. delay = 0.5 + 1 + 0.5 = 2 s → 2080 ms.
    const e = env([1_900_000]);
    e.startSession(trace([0.5, 1, 2], [1, 8, 8]));
    const s = e.step(2);
    expect(s.delayMs).toBeCloseTo(2080, 9);
    expect(e.position().ptr).toBe(1);
    expect(e.position().lastTimeS).toBeCloseTo(0.5, 12);
  });

  it('lets a zero-bandwidth interval burn its whole duration', () => {
    // Interval 1 at 0 Mbit/s: 1 s, nothing sent; 475,000 B at 1e6 B/s / 0.95 = 0.5 s of interval 2 → 1580 ms.
    const e = env([475_000]);
    e.startSession(trace([0, 1, 2], [5, 0, 8]));
    expect(e.step(0).delayMs).toBeCloseTo(1580, 9);
  });

  it('drains an over-full buffer in 500 ms quanta and reports only the residual sleep of the last interval', () => {
    // Cap 5 s, RTT 0, 95,000 B chunks at 8 Mbit/s: 95000/1e6/0.95 = 0.1 s each.
    // Chunk 0: buffer 4000. Chunk 1: 4000 − 100 + 4000 = 7900 > 5000 → excess 2900 → ceil(5.8)·500 = 3000 ms of
    // sleep, buffer 4900. The trace clock is at 0.2 s: the sleep takes 0.8 s of interval 1, 1 s of intervals 2
    // and 3 and 0.2 s of interval 4: clock 3.2 s, and the reported sleep is the residual 3000 − 800 − 1000 − 1000 = 200 ms.
    const e = env([95_000, 95_000], { bufferThreshMs: 5000, linkRttMs: 0 });
    e.startSession(trace([0, 1, 2, 3, 4, 5], [8, 8, 8, 8, 8, 8]));
    e.step(0);
    const s = e.step(0);
    expect(s.drainMs).toBe(3000);
    expect(s.sleepMs).toBeCloseTo(200, 9);
    expect(s.bufferMs).toBeCloseTo(4900, 9);
    expect(e.position().ptr).toBe(4);
    expect(e.position().lastTimeS).toBeCloseTo(3.2, 12);
  });

  it('ends the video after chunkCount chunks', () => {
    const e = env([1000, 1000], { chunkCount: 2 });
    e.startSession(trace([0, 1], [0, 8]));
    expect(e.step(0).endOfVideo).toBe(false);
    const last = e.step(0);
    expect(last.endOfVideo).toBe(true);
    expect(last.remain).toBe(0);
  });
});
