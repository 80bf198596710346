import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AbrContext, AbrPolicy } from '../../../src/abr/types.js';
import { MpcPolicy } from '../../../src/abr/mpc.js';
import { InputError } from '../../../src/core/errors.js';
import {
  resolvePensievePolicy,
  runPensieveBatch,
  runPensieveSession,
  type CookedTrace,
  type PensieveChunkRow,
  type PensieveVideo,
} from '../../../src/profiles/pensieve/index.js';

/** 8 Mbit/s for 100 s: 1e6 B/s, 0.95e6 payload bytes per second. */
const FLAT: CookedTrace = {
  name: 'flat8',
  timeS: Float64Array.from({ length: 101 }, (_, i) => i),
  bwMbps: new Float64Array(101).fill(8),
};

/** Chunk sizes: quality q, chunk k = 95,000·(q + 1) bytes, i.e. 0.1·(q + 1) s of download at 8 Mbit/s. */
function video(chunks: number): PensieveVideo {
  return { name: 'v', sizesBytes: Array.from({ length: 6 }, (_, q) => new Float64Array(chunks).fill(95_000 * (q + 1))) };
}

/** Answers `answers[k]` after chunk k and records what it saw. */
function scripted(answers: number[]): AbrPolicy & { seen: { segmentIndex: number; bufferMs: number; lastIndex: number; elapsed: number }[] } {
  const seen: { segmentIndex: number; bufferMs: number; lastIndex: number; elapsed: number }[] = [];
  return {
    name: 'scripted',
    seen,
    chooseRepresentation(ctx: AbrContext) {
      const r = ctx.history[ctx.history.length - 1];
      seen.push({ segmentIndex: ctx.segmentIndex, bufferMs: ctx.bufferMs, lastIndex: ctx.lastIndex, elapsed: r?.elapsedMs ?? -1 });
      return { index: answers[seen.length - 1] ?? 0, reason: 'scripted' };
    },
  };
}

describe('pensieve session loop (test/bb.py, test/mpc.py)', () => {
  it('plays chunk 0 at quality 1, applies the decision after chunk k to chunk k+1, and discards the last one', () => {
    const policy = scripted([5, 0, 3]);
    const r = runPensieveSession({ trace: FLAT, video: video(3), policy, config: { chunkCount: 3 } });
    expect(r.segments.map((s) => s.repIndex)).toEqual([1, 5, 0]);
    // Asked after each of the 3 chunks; the third answer (3) is discarded.
    expect(policy.seen.map((s) => s.segmentIndex)).toEqual([1, 2, 3]);
    expect(policy.seen.map((s) => s.lastIndex)).toEqual([1, 5, 0]);
  });

  it('computes the linear reward per chunk and fills SessionResult in abrlab units', () => {
    // Chunk 0, quality 1: 190,000 B = 0.2 s + 80 ms → delay 280 ms, all rebuffer (0.28 s); buffer 4000.
    //   reward = 0.75 − 4.3·0.28 − 0 = 0.75 − 1.204 = −0.454.
    // Chunk 1, quality 5: 570,000 B = 0.6 s + 80 → 680 ms; no rebuffer; buffer = 4000 − 680 + 4000 = 7320.
    //   reward = 4.3 − 0 − |4300 − 750|/1000 = 0.75.  Total = 0.296.
    const policy = scripted([5, 0]);
    const r = runPensieveSession({ trace: FLAT, video: video(2), policy, config: { chunkCount: 2 } });
    const chunks = (r.compat as { chunks: PensieveChunkRow[] }).chunks;
    expect(chunks.map((c) => c.delayMs)).toEqual([expect.closeTo(280, 9), expect.closeTo(680, 9)]);
    expect(chunks[0]?.reward).toBeCloseTo(-0.454, 12);
    expect(chunks[1]?.reward).toBeCloseTo(0.75, 12);
    expect(chunks[1]?.bufferS).toBeCloseTo(7.32, 12);
    expect(r.compat?.['totalReward']).toBeCloseTo(0.296, 12);
    expect(policy.seen[0]?.bufferMs).toBeCloseTo(4000, 9);
    expect(policy.seen[1]?.elapsed).toBeCloseTo(680, 9);

    expect(r.profile).toBe('pensieve');
    expect(r.segments[1]).toMatchObject({ index: 1, repIndex: 5, bitrateKbps: 4300, sizeBytes: 570_000, abandoned: false });
    // Session clock: chunk 1 is requested when chunk 0 is done (280 ms), first byte one RTT later.
    expect(r.segments[1]?.requestMs).toBeCloseTo(280, 9);
    expect(r.segments[1]?.firstByteMs).toBeCloseTo(360, 9);
    expect(r.segments[1]?.doneMs).toBeCloseTo(960, 9);
    // Startup = the first chunk's whole delay; no stall afterwards; one switch; 2 × 4 s played.
    expect(r.summary.startupMs).toBeCloseTo(280, 9);
    expect(r.summary.rebufferMs).toBe(0);
    expect(r.summary.switchCount).toBe(1);
    expect(r.summary.playMs).toBe(8000);
    expect(r.summary.avgBitrateKbps).toBe((750 + 4300) / 2);
    expect(r.summary.bytes).toBe(760_000);
    // QoE_lin with the first chunk's startup counted as rebuffer is Pensieve's total reward.
    expect(r.summary.qoe.lin).toBeCloseTo(0.296, 12);
  });

  it('rejects a policy answer outside the ladder as an input error naming the policy', () => {
    expect(() => runPensieveSession({ trace: FLAT, video: video(3), policy: scripted([6]), config: { chunkCount: 3 } })).toThrow(
      /policy "scripted" chose representation 6/,
    );
    expect(() => runPensieveSession({ trace: FLAT, video: video(3), policy: scripted([6]), config: { chunkCount: 3 } })).toThrow(InputError);
  });

  it('needs chunkCount sizes per quality', () => {
    expect(() => runPensieveSession({ trace: FLAT, video: video(2), policy: 'bb', config: { chunkCount: 3 } })).toThrow(/has 2 chunk sizes/);
  });

  it('gives named MPC policies mpc.py\'s off-by-one unless fixMpcOffByOne', () => {
    const p = resolvePensievePolicy('robust-mpc') as MpcPolicy;
    expect(p.params.sizeIndexOffset).toBe(1);
    expect((resolvePensievePolicy('robust-mpc', {}, true) as MpcPolicy).params.sizeIndexOffset).toBe(0);
    expect((resolvePensievePolicy('mpc', { sizeIndexOffset: 0 }) as MpcPolicy).params.sizeIndexOffset).toBe(0);
  });
});

describe('pensieve batch run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pensieve-batch-'));
  // Two traces, name order b < c: 8 and 4 Mbit/s flat; a file named "a" would run first.
  writeFileSync(join(dir, 'c'), Array.from({ length: 50 }, (_, i) => `${i}\t4`).join('\n'));
  writeFileSync(join(dir, 'b'), Array.from({ length: 50 }, (_, i) => `${i}\t8`).join('\n'));

  it('runs traces in name order with time stamps cumulative across the run', () => {
    const batch = runPensieveBatch({ traces: dir, video: video(3), policy: 'bb', config: { chunkCount: 3 } });
    expect(batch.sessions.map((s) => s.trace)).toEqual(['b', 'c']);
    const [b, c] = batch.sessions.map((s) => (s.compat as { chunks: PensieveChunkRow[] }).chunks) as [PensieveChunkRow[], PensieveChunkRow[]];
    // The second session's first time stamp = the first session's last + its own first delay (no sleep here).
    expect(c[0]?.timeStampS).toBeCloseTo((b[2]?.timeStampS ?? 0) + (c[0]?.delayMs ?? 0) / 1000, 9);
    // Each session restarts the env: chunk 0 of trace c sees an empty buffer, 190,000 B at 4 Mbit/s
    // = 190000/5e5/0.95 = 0.4 s + 80 ms.
    expect(c[0]?.rebufferS).toBeCloseTo(0.48, 12);
    expect(batch.meanTotalReward).toBeCloseTo(((b.reduce((a, x) => a + x.reward, 0) + c.reduce((a, x) => a + x.reward, 0)) / 2), 12);
  });

  it('shares a policy instance across traces (the original robust MPC leak) but gives names a fresh one each', () => {
    const created: number[] = [];
    const factory = (): AbrPolicy => {
      created.push(created.length);
      return scripted([0, 0, 0]);
    };
    runPensieveBatch({ traces: dir, video: video(3), policy: factory, config: { chunkCount: 3 } });
    expect(created).toHaveLength(2);
    const shared = scripted([0, 0, 0, 0, 0, 0]);
    runPensieveBatch({ traces: dir, video: video(3), policy: shared, config: { chunkCount: 3 } });
    expect(shared.seen).toHaveLength(6);
  });
});
