import { describe, expect, it } from 'vitest';
import { constantTrace } from '../../src/net/trace.js';
import { loadCatalogFile } from '../../src/origin/load-catalog.js';
import { AggregateMeter, type MeteredDownload } from '../../src/player/throughput-sample.js';
import { simulateSession } from '../../src/sim/simulate.js';

const downloading = (loaded: number, firstByteMs: number): MeteredDownload => ({ handle: { loadedBytes: () => loaded, firstByteMs: () => firstByteMs }, sampledBytes: 0 });

describe('aggregate throughput samples', () => {
  it('count every byte once, over the busy time since the previous sample', () => {
    const meter = new AggregateMeter();
    // A: first byte at 0, 100,000 B done at 150 ms; B: first byte at 50, 50,000 B in by then.
    const a = downloading(100_000, 0);
    const b = downloading(50_000, 50);
    const s1 = meter.sample(a, { requestMs: 0, firstByteMs: 0, doneMs: 150, bytes: 100_000 }, [b]);
    // 150,000 B over 0–150 ms: 8000 kbps (1000 B/ms).
    expect(s1).toEqual({ bytes: 150_000, transferMs: 150, latencyMs: 0, atMs: 150 });
    // B ends at 200 ms with 100,000 B: the 50,000 B not yet counted, over 150–200 ms: 8000 kbps again.
    const s2 = meter.sample(b, { requestMs: 40, firstByteMs: 50, doneMs: 200, bytes: 100_000 }, []);
    expect(s2).toEqual({ bytes: 50_000, transferMs: 50, latencyMs: 10, atMs: 200 });
  });

  it('do not charge idle link time: a download that starts after a pause is measured from its first byte', () => {
    const meter = new AggregateMeter();
    meter.sample(downloading(0, 0), { requestMs: 0, firstByteMs: 0, doneMs: 100, bytes: 50_000 }, []);
    const s = meter.sample(downloading(0, 0), { requestMs: 1000, firstByteMs: 1040, doneMs: 1140, bytes: 100_000 }, []);
    expect(s.transferMs).toBe(100);
  });

  it('let the reference controller settle on a constant 5 Mbps link despite 3 parallel downloads', async () => {
    const catalog = await loadCatalogFile('traces/videos/reference-10min.json');
    const run = (throughputSampling: 'per-request' | 'aggregate') =>
      simulateSession({ trace: constantTrace(5000), catalog, policy: 'reference', latencyMs: 0, player: { throughputSampling } });
    // 85 % of 5000 kbps = 4250 kbps: the best rung that fits is 3000 kbps (index 4).
    const settled = run('aggregate').segments.filter((s) => s.index >= 20 && !s.abandoned);
    expect(settled.every((s) => s.bitrateKbps === 3000)).toBe(true);
    // Per request (the reference) the estimate runs low while downloads overlap, so it keeps moving.
    expect(run('per-request').summary.switchCount).toBeGreaterThan(run('aggregate').summary.switchCount);
  });
});
