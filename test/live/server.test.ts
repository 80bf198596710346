import { request } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRange } from '../../src/live/server/body.js';
import { parseFaultSpec } from '../../src/live/server/faults.js';
import { startOrigin, type OriginServer } from '../../src/live/server/origin-server.js';
import { constantTrace } from '../../src/net/trace.js';
import { shortCatalog } from './helpers.js';

/** A raw GET (no URL normalisation, unlike fetch), so `..` reaches the server as sent. */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

let server: OriginServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('parseRange (RFC 9110 §14.1.2)', () => {
  it('reads first-last, open-ended and suffix ranges, clamps the end, and refuses a start past the end', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=10-19', 100)).toEqual({ kind: 'partial', start: 10, end: 19 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-30', 100)).toEqual({ kind: 'partial', start: 70, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ kind: 'partial', start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    // Not a single byte range, or last < first: the header is ignored and the whole object is sent.
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=20-10', 100)).toEqual({ kind: 'full' });
  });
});

describe('parseFaultSpec', () => {
  it('accepts short and long names and rejects unknown kinds and probabilities above 1', () => {
    expect(parseFaultSpec('503=0.2,reset=0.1,416=0.05,stall=0.05')).toEqual({ 'http-503': 0.2, 'connection-reset': 0.1, 'http-416': 0.05, stall: 0.05 });
    expect(parseFaultSpec('timeout')).toEqual({ timeout: 1 });
    expect(() => parseFaultSpec('teapot=0.1')).toThrow(/unknown fault "teapot"/);
    expect(() => parseFaultSpec('503=0.7,404=0.6')).toThrow(/more than 1/);
  });
});

describe('abrlab serve: synthetic content', () => {
  it('serves DASH at /manifest.mpd and HLS at /master.m3u8 describing the catalog', async () => {
    const catalog = shortCatalog();
    server = await startOrigin({ content: { catalog } });
    const port = server.ports[0] as number;
    const mpd = (await rawGet(port, '/manifest.mpd')).body.toString();
    expect(mpd).toContain('type="static"');
    expect(mpd).toContain('mediaPresentationDuration="PT4S"');
    expect(mpd).toContain('media="v/$RepresentationID$/$Number$.m4s" startNumber="1" timescale="1000" duration="1000"');
    expect(mpd).toContain('<Representation id="high" bandwidth="1600000" width="1280" height="720"');
    const master = (await rawGet(port, '/master.m3u8')).body.toString();
    expect(master).toContain('#EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=400000,RESOLUTION=640x360');
    expect(master).toContain('v/low/index.m3u8');
    const media = (await rawGet(port, '/v/low/index.m3u8')).body.toString();
    expect(media.match(/#EXTINF:1\.000,/g)).toHaveLength(4);
    expect(media).toContain('#EXT-X-ENDLIST');
  });

  it('generates bodies of the catalog sizes, honours ranges and answers 404 / 416', async () => {
    const catalog = shortCatalog();
    server = await startOrigin({ content: { catalog } });
    const port = server.ports[0] as number;
    const size = catalog.sizesBytes[1]?.[2] as number;
    const full = await rawGet(port, '/v/high/3.m4s');
    expect(full.status).toBe(200);
    expect(full.body.length).toBe(size);
    const part = await rawGet(port, '/v/high/3.ts', { range: 'bytes=100-1099' });
    expect(part.status).toBe(206);
    expect(part.body.length).toBe(1000);
    expect(part.headers['content-range']).toBe(`bytes 100-1099/${size}`);
    expect(part.body.equals(full.body.subarray(100, 1100))).toBe(true);
    expect((await rawGet(port, '/v/high/3.m4s', { range: `bytes=${size}-` })).status).toBe(416);
    expect((await rawGet(port, '/v/high/5.m4s')).status).toBe(404);
    expect((await rawGet(port, '/v/none/1.m4s')).status).toBe(404);
  });

  it('shapes a body to the trace: size × 8 / 8000 kbps ms after the 50 ms latency', async () => {
    const catalog = shortCatalog();
    server = await startOrigin({ content: { catalog }, trace: constantTrace(8000), latencyMs: 50 });
    const port = server.ports[0] as number;
    const size = catalog.sizesBytes[1]?.[0] as number;
    const t0 = performance.now();
    const res = await rawGet(port, '/v/high/1.m4s');
    const ms = performance.now() - t0;
    expect(res.body.length).toBe(size);
    const expectedMs = 50 + (size * 8) / 8000;
    // Loopback adds next to nothing; the shaper ticks every 5 ms and timers may fire late on a busy machine.
    expect(ms).toBeGreaterThan(expectedMs - 15);
    expect(ms).toBeLessThan(expectedMs + 150);
  });

  it('draws faults deterministically from the seed, per request identity', async () => {
    const catalog = shortCatalog();
    const outcomes = async (seed: number): Promise<number[]> => {
      const s = await startOrigin({ content: { catalog }, faults: { 'http-503': 0.5 }, seed });
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i++) for (let k = 0; k < 3; k++) statuses.push((await rawGet(s.ports[0] as number, `/v/low/${i}.m4s`)).status);
      await s.close();
      return statuses;
    };
    const a = await outcomes(7);
    expect(await outcomes(7)).toEqual(a);
    expect(a.every((s) => s === 200 || s === 503)).toBe(true);
    // 12 draws at p = 0.5: all-equal outcomes would mean the faults are not drawn at all (chance 2 × 0.5^12).
    expect(new Set(a).size).toBe(2);
  });
});

describe('abrlab serve: content directory', () => {
  it('serves files with ranges and refuses paths that leave the root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'abrlab-serve-'));
    mkdirSync(join(root, 'title'));
    writeFileSync(join(root, 'title', 'seg.m4s'), Buffer.from('0123456789'));
    writeFileSync(join(root, 'secret.txt'), 'not for you');
    server = await startOrigin({ content: { dir: join(root, 'title') } });
    const port = server.ports[0] as number;
    const ok = await rawGet(port, '/seg.m4s', { range: 'bytes=2-5' });
    expect(ok.status).toBe(206);
    expect(ok.body.toString()).toBe('2345');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/seg.m4s%00']) {
      const r = await rawGet(port, path);
      expect(r.status, path).toBe(403);
      expect(r.body.toString()).not.toContain('not for you');
    }
    expect(server.stats[0]?.refused).toBe(5);
    expect((await rawGet(port, '/missing.m4s')).status).toBe(404);
  });
});
