import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { createRng } from '../../src/core/rng.js';
import { REFERENCE_THUMBNAILS } from '../../src/content/trickplay/layout.js';
import { FluidLink } from '../../src/net/fluid-link.js';
import { SimTransport } from '../../src/net/sim-transport.js';
import { constantTrace } from '../../src/net/trace.js';
import { REFERENCE_CDNS } from '../../src/origin/cdn.js';
import { SingleOrigin } from '../../src/origin/origin.js';
import { ThumbnailOrigin, drawSpriteSizes, parseSpriteUrl } from '../../src/origin/thumbnails.js';
import { ThumbnailLoader } from '../../src/player/trickplay/thumbnail-loader.js';
import { hoverCount } from '../../src/sim/scrub.js';
import { simulateSession } from '../../src/sim/simulate.js';
import { cbrCatalog, fixedPolicy } from '../helpers/fakes.js';

// 130 segments of 4 s = 520 s → floor(520 / 10) = 52 thumbnails → ceil(52 / 25) = 3 sprite sheets.
const catalog = cbrCatalog({ ratesKbps: [1000], segments: 130 });
const fixedSheets = { sheetSizes: { minBytes: 200_000, maxBytes: 200_000 } };

describe('sprite-sheet origin (reference §2.5.2: 150–250 KB per sheet)', () => {
  it('answers thumbs/sprite_NN.jpg with the drawn size, 404s sheets past the title and passes segments through', () => {
    const sizes = drawSpriteSizes({ sheets: 3, rng: createRng(7) });
    expect(sizes).toHaveLength(3);
    for (const b of sizes) expect(b >= 150_000 && b <= 250_000 && Number.isInteger(b)).toBe(true);
    expect(drawSpriteSizes({ sheets: 3, rng: createRng(7) })).toEqual(sizes);
    const origin = new ThumbnailOrigin({ inner: new SingleOrigin({ catalog }), sheetBytes: [200_000, 180_000, 160_000] });
    expect(origin.resolve({ url: 'thumbs/sprite_01.jpg' }, 0)).toMatchObject({ ok: true, sizeBytes: 180_000 });
    expect(origin.resolve({ url: 'thumbs/sprite_03.jpg' }, 0)).toMatchObject({ ok: false, kind: 'http-404' });
    expect(origin.resolve({ url: 'thumbs/sprite_00.jpg', rangeBytes: { start: 0, end: 999 } }, 0)).toMatchObject({ ok: true, sizeBytes: 1000 });
    expect(origin.resolve({ url: 'seg/0/5' }, 0)).toMatchObject({ ok: true, sizeBytes: 500_000 });
    expect(parseSpriteUrl('thumbs/sprite_12.jpg')).toBe(12);
    expect(parseSpriteUrl('thumbs/x.jpg')).toBeUndefined();
  });

  it('sheets over the fluid link: the hand-computed cold latency, then a hit', () => {
    // 8000 kbps, 40 ms latency. A hover at media 0 wants sheet 0 and preloads sheets 1 and 2 (±2, only 3 exist):
    // three 1,600,000-bit sheets share the link → each at 8000/3 kbps → 600 ms after the 40 ms first byte.
    const clock = new VirtualClock();
    const link = new FluidLink({ clock, trace: constantTrace(8000), latencyMs: 40 });
    const transport = new SimTransport({ clock, link, origin: new ThumbnailOrigin({ inner: new SingleOrigin({ catalog }), sheetBytes: [200_000, 200_000, 200_000] }) });
    const loader = new ThumbnailLoader(clock, transport, { layout: REFERENCE_THUMBNAILS, durationMs: catalog.durationMs, baseUrl: 'thumbs/' });
    clock.setTimer(0, () => loader.hover(0));
    clock.setTimer(1000, () => loader.hover(300_000));
    clock.run();
    expect(loader.stats.requests).toBe(2);
    expect(loader.stats.hits).toBe(1);
    expect(loader.stats.latenciesMs[0]).toBeCloseTo(640, 6);
    expect(loader.stats.latenciesMs[1]).toBe(0);
    expect(loader.stats.bytes).toBe(600_000);
  });
});

describe('scrubbing user in a simulated session', () => {
  const episode = { atMs: 20_000, fromMs: 0, toMs: 300_000, dragMs: 1000, seek: true };

  it('hovers every ~100 ms along the drag, fetches sheets over the session link and seeks on release', () => {
    // 1000 ms drag at 100 ms → 10 steps → 11 hovers (start and target both shown); the release is a seek.
    expect(hoverCount({ dragMs: 1000 }, 100)).toBe(10);
    const r = simulateSession({ trace: constantTrace(20_000), catalog, policy: fixedPolicy(0), latencyMs: 40, scrubs: [episode], trickplay: fixedSheets });
    const t = r.trickplay;
    expect(t?.enabled).toBe(true);
    expect(t?.episodes).toBe(1);
    expect(t?.requests).toBe(11);
    // Every hover was eventually shown; sheets of a 3-sheet title all fit in the LRU of 5: ≤ 3 downloads.
    expect(t?.shown).toBe(11);
    expect(t?.sheetDownloads).toBe(3);
    expect(t?.bytes).toBe(600_000);
    expect(t?.failures).toBe(0);
    expect(t?.hits).toBeGreaterThan(0);
    expect(t?.hitRate).toBeCloseTo((t?.hits ?? 0) / 11, 12);
    expect(t?.latencyP95Ms).toBeGreaterThan(0);
    // The release at 21,000 ms seeks to 300 s → segment 75.
    expect(r.summary.seekCount).toBe(1);
    expect(r.segments.find((s) => s.requestMs >= 21_000)?.index).toBe(75);
    // Sprite bytes are counted apart from the video's.
    expect(r.summary.bytes).toBe(r.segments.reduce((a, s) => a + s.sizeBytes, 0));
  });

  it('works through the CDN / fault delivery path too (no 404 on sprite sheets)', () => {
    const r = simulateSession({
      trace: constantTrace(20_000),
      catalog,
      policy: fixedPolicy(0),
      latencyMs: 40,
      seed: 3,
      scrubs: [episode],
      trickplay: fixedSheets,
      delivery: { cdns: REFERENCE_CDNS },
    });
    expect(r.trickplay?.failures).toBe(0);
    expect(r.trickplay?.sheetDownloads).toBe(3);
    expect(r.trickplay?.shown).toBe(11);
    expect(r.summary.endReason).toBe('finished');
    // The sheets come through the CDNs too: what the CDNs sent is the video's bytes plus the sheets' (no faults, no
    // waste), so their cost is counted.
    const sent = Object.values(r.delivery?.bytesByCdn ?? {}).reduce((a, b) => a + b, 0);
    expect(sent).toBeCloseTo(r.summary.bytes + (r.trickplay?.bytes ?? 0), 3);
    expect(r.delivery?.requestsByCdn['oca']).toBe(r.segments.length + 3);
  });

  it('sprite sheets compete with the video: with thumbnails on, a segment in flight during the scrub finishes later', () => {
    // 1500 kbps link for a 1000 kbps rung: the player is always downloading; scrub while it does, no seek.
    const scrubs = [{ ...episode, atMs: 10_000, seek: false }];
    const base = { trace: constantTrace(1500), catalog, policy: fixedPolicy(0), latencyMs: 40, scrubs, trickplay: fixedSheets } as const;
    const on = simulateSession(base);
    const off = simulateSession({ ...base, trickplay: { ...fixedSheets, enabled: false } });
    expect(off.trickplay?.enabled).toBe(false);
    expect(off.trickplay?.requests).toBe(0);
    expect(on.trickplay?.bytes).toBe(600_000);
    const done = (r: typeof on) => r.segments.filter((s) => s.requestMs <= 10_000 && s.doneMs > 10_000).map((s) => s.doneMs);
    const onDone = done(on);
    const offDone = done(off);
    expect(onDone.length).toBeGreaterThan(0);
    // 600,000 B = 4.8 Mbit of sheets on a 1.5 Mbps link delay the segments in flight.
    expect(Math.max(...onDone)).toBeGreaterThan(Math.max(...offDone));
  });

  it('the session end stops the scrubbing user (episodes after the end never fire)', () => {
    const short = cbrCatalog({ ratesKbps: [1000], segments: 130 });
    const r = simulateSession({ trace: constantTrace(20_000), catalog: short, policy: fixedPolicy(0), scrubs: [{ ...episode, atMs: 10_000_000 }], exitAtMs: 30_000 });
    expect(r.trickplay?.requests).toBe(0);
    expect(r.summary.seekCount).toBe(0);
  });
});
