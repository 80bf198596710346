import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/core/clock.js';
import { REFERENCE_THUMBNAILS } from '../../../src/content/trickplay/layout.js';
import { ThumbnailLoader } from '../../../src/player/trickplay/thumbnail-loader.js';
import type { TransferHandle, TransferListener, Transport, TransportRequest } from '../../../src/player/transport.js';

/** Every sheet is 200,000 B, answered after 100 ms and delivered at 1000 B/ms: done 300 ms after its request. */
class SheetTransport implements Transport {
  readonly urls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly clock: VirtualClock) {}
  request(req: TransportRequest, listener: TransferListener): TransferHandle {
    const now = this.clock.nowMs();
    this.urls.push(req.url);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    let live = true;
    const timer = this.clock.setTimer(now + 300, () => {
      live = false;
      this.inFlight--;
      listener.onDone({ requestMs: now, firstByteMs: now + 100, doneMs: now + 300, bytes: 200_000 });
    });
    return {
      loadedBytes: () => 0,
      totalBytes: () => 200_000,
      firstByteMs: () => undefined,
      abort: () => {
        if (!live) return;
        live = false;
        this.inFlight--;
        this.clock.cancel(timer);
      },
    };
  }
}

describe('ThumbnailLoader (reference §2.5.4: LRU of 5 sheets, preload ±2, ≤ 3 in flight)', () => {
  it('preloads around the pointer, serves cached sheets at once and evicts the least recently used', () => {
    const clock = new VirtualClock();
    const transport = new SheetTransport(clock);
    // A 60-minute title: 360 thumbnails, 15 sheets of 25.
    const loader = new ThumbnailLoader(clock, transport, { layout: REFERENCE_THUMBNAILS, durationMs: 3_600_000, baseUrl: 'thumbs/' });
    clock.setTimer(0, () => loader.hover(0)); // sheet 0: miss; loads 0, 1, 2 (−1, −2 do not exist)
    clock.setTimer(400, () => loader.hover(260_000)); // thumbnail 26 → sheet 1: hit; loads 3
    clock.setTimer(500, () => loader.hover(1_000_000)); // thumbnail 100 → sheet 4: miss; wants 4, 5, 6 (2, 3 known)
    clock.run();
    expect(transport.urls).toEqual([
      'thumbs/sprite_00.jpg',
      'thumbs/sprite_01.jpg',
      'thumbs/sprite_02.jpg',
      'thumbs/sprite_03.jpg',
      'thumbs/sprite_04.jpg',
      'thumbs/sprite_05.jpg',
      'thumbs/sprite_06.jpg', // waited for a slot: 3 was still loading until 700
    ]);
    expect(transport.maxInFlight).toBe(3);
    // Hover at 0 waits for sheet 0 (done 300); the hit costs 0; hover at 500 waits for sheet 4 (done 800).
    expect(loader.stats).toMatchObject({ requests: 3, hits: 1, latenciesMs: [300, 0, 300], sheetDownloads: 7, bytes: 1_400_000 });
    // LRU: 0 and 2 were evicted when 4/5 and 6 arrived (1 was refreshed by the hit at 400).
    expect(loader.cachedSheets).toEqual([1, 3, 4, 5, 6]);
  });

  it('close() aborts sheet downloads and ignores later hovers', () => {
    const clock = new VirtualClock();
    const transport = new SheetTransport(clock);
    const loader = new ThumbnailLoader(clock, transport, { layout: REFERENCE_THUMBNAILS, durationMs: 3_600_000, baseUrl: 'thumbs/' });
    clock.setTimer(0, () => loader.hover(500_000));
    clock.setTimer(50, () => loader.close());
    clock.setTimer(60, () => loader.hover(0));
    clock.run();
    expect(transport.urls).toHaveLength(3);
    expect(transport.inFlight).toBe(0);
    expect(loader.stats.sheetDownloads).toBe(0);
    expect(loader.stats.requests).toBe(1);
  });
});
