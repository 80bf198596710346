import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createRng } from '../../core/rng.js';
import type { Catalog } from '../../origin/catalog.js';
import type { Trace } from '../../net/trace.js';
import { FileBody, parseRange, SyntheticBody, type BodySource } from './body.js';
import { drawFault, type FaultKind, type FaultSpec } from './faults.js';
import { DirectPump, ResponseFlow, type FlowScheduler } from './flows.js';
import { TraceShaper, TraceTime } from './shaper.js';
import { StaticContent } from './static-content.js';
import { LiveEventContent, type LiveServeOptions } from './live-event.js';
import { SyntheticContent } from './synthetic.js';

export interface OriginServerOptions {
  /** Synthetic content from a catalog (as a live event with `live`), or a directory of real DASH/HLS files. */
  content: { catalog: Catalog; live?: LiveServeOptions } | { dir: string };
  /** Shape media bodies to this trace; unshaped when absent. */
  trace?: Trace;
  /**
   * `link` (default): one token bucket for every response on every port, the client's access link as the
   * simulator's fluid link models it; `connection`: one bucket per TCP connection, each at the trace's rate.
   */
  shape?: 'link' | 'connection';
  /** Delay before each response's headers, ms (the fluid model's per-request latency). Default 0. */
  latencyMs?: number;
  /** Ports to listen on, one CDN each (0 = any free port). Default [0]. */
  ports?: number[];
  /** Faults per port (same index as `ports`); one spec applies to every port. Media requests only. */
  faults?: FaultSpec | FaultSpec[];
  /** Seed of the fault draws. Default 1. */
  seed?: number | string;
}

export interface PortStats {
  requests: number;
  mediaRequests: number;
  bodyBytes: number;
  faults: Partial<Record<FaultKind, number>>;
  /** Requests refused because their path left the content root. */
  refused: number;
  /** Live event: requests for segments not published yet (answered 404). */
  notYetPublished: number;
}

export interface OriginServer {
  /** Root URL of each port, `http://127.0.0.1:<port>/`. */
  readonly urls: string[];
  readonly ports: number[];
  readonly stats: PortStats[];
  /** The live event served (`content.live`): its timing on the wall clock (epoch ms). */
  readonly live?: LiveEventContent;
  close(): Promise<void>;
}

type Resolved =
  | { kind: 'missing'; notYetPublished?: true }
  | { kind: 'refused' }
  | { kind: 'manifest'; contentType: string; text: string }
  | { kind: 'media' | 'static-manifest'; contentType: string; sizeBytes: number; open: (range: { start: number; end: number }, onReadable: () => void, onError: (e: unknown) => void) => BodySource };

/**
 * The local origin of `abrlab serve`: node:http on 127.0.0.1 only. Manifests are answered at once; media bodies
 * go through the trace shaper after the added latency, honour byte ranges, and may be replaced by a fault drawn
 * from a seeded stream keyed by (port, path, range, attempt) — so the same request sequence meets the same
 * faults whatever order parallel requests arrive in.
 */
export async function startOrigin(opts: OriginServerOptions): Promise<OriginServer> {
  const ports = opts.ports ?? [0];
  const root = createRng(opts.seed ?? 1).derive('serve-faults');
  const time = new TraceTime(() => performance.now());
  const linkScheduler: FlowScheduler = opts.trace === undefined ? new DirectPump() : new TraceShaper({ trace: opts.trace, time });
  const connectionShapers = new Map<Socket, TraceShaper>();
  const openResponses = new Set<ServerResponse>();
  const live = liveContent(opts.content);
  const resolver = makeResolver(opts.content, live);
  const latencyMs = opts.latencyMs ?? 0;
  const directPump = new DirectPump();

  const schedulerFor = (res: ServerResponse): FlowScheduler => {
    if (opts.trace === undefined || opts.shape !== 'connection' || res.socket === null) return linkScheduler;
    const socket = res.socket;
    let s = connectionShapers.get(socket);
    if (s === undefined) {
      const shaper = new TraceShaper({ trace: opts.trace, time });
      connectionShapers.set(socket, shaper);
      socket.once('close', () => {
        shaper.stop();
        connectionShapers.delete(socket);
      });
      s = shaper;
    }
    return s;
  };

  const servers: Server[] = [];
  const stats: PortStats[] = [];
  for (const [i, port] of ports.entries()) {
    const spec = Array.isArray(opts.faults) ? (opts.faults[i] ?? {}) : (opts.faults ?? {});
    const st: PortStats = { requests: 0, mediaRequests: 0, bodyBytes: 0, faults: {}, refused: 0, notYetPublished: 0 };
    stats.push(st);
    const attempts = new Map<string, number>();
    const rng = root.derive(`port:${i}`);
    const server = createServer((req, res) => {
      openResponses.add(res);
      res.once('close', () => openResponses.delete(res));
      handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      st.requests++;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const rawPath = (req.url ?? '/').split('?')[0] as string;
      const r = await resolver(rawPath);
      if (r.kind === 'refused') {
        st.refused++;
        res.writeHead(403, { 'content-length': 0 }).end();
        return;
      }
      if (r.kind === 'missing') {
        if (r.notYetPublished) st.notYetPublished++;
        res.writeHead(404, { 'content-length': 0 }).end();
        return;
      }
      if (r.kind === 'manifest') {
        const body = Buffer.from(r.text, 'utf8');
        await delay(latencyMs);
        res.writeHead(200, { 'content-type': r.contentType, 'content-length': body.length, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
      const isMedia = r.kind === 'media';
      let fault: FaultKind | undefined;
      if (isMedia) {
        st.mediaRequests++;
        // Trace time starts with the first media request, as the simulator's starts with the first segment.
        time.start();
        const key = `${rawPath}|${req.headers.range ?? ''}`;
        const n = attempts.get(key) ?? 0;
        attempts.set(key, n + 1);
        fault = drawFault(spec, rng.derive(`${key}|${n}`));
        if (fault !== undefined) st.faults[fault] = (st.faults[fault] ?? 0) + 1;
      }
      await delay(latencyMs);
      if (res.destroyed) return;
      switch (fault) {
        case 'timeout':
          return; // never answered; destroyed when the client gives up or the server closes
        case 'connection-reset':
          res.socket?.resetAndDestroy();
          return;
        case 'http-503':
        case 'http-404':
        case 'http-500':
        case 'http-416':
          res.writeHead(Number(fault.slice(5)), { 'content-length': 0 }).end();
          return;
        default:
          break;
      }
      const range = parseRange(req.headers.range, r.sizeBytes);
      if (range.kind === 'unsatisfiable') {
        res.writeHead(416, { 'content-range': `bytes */${r.sizeBytes}`, 'content-length': 0 }).end();
        return;
      }
      const span = range.kind === 'partial' ? { start: range.start, end: range.end } : { start: 0, end: r.sizeBytes - 1 };
      const length = span.end - span.start + 1;
      const headers: Record<string, string | number> = {
        'content-type': r.contentType,
        'content-length': length,
        'accept-ranges': 'bytes',
        'cache-control': 'no-store',
      };
      if (range.kind === 'partial') headers['content-range'] = `bytes ${span.start}-${span.end}/${r.sizeBytes}`;
      res.writeHead(range.kind === 'partial' ? 206 : 200, headers);
      res.flushHeaders();
      if (req.method === 'HEAD' || length === 0) {
        res.end();
        return;
      }
      let flow: ResponseFlow | undefined;
      const source = r.open(span, () => flow?.readable(), () => res.destroy());
      flow = new ResponseFlow({
        res,
        source,
        sendBytes: fault === 'stall' ? Math.floor(length / 2) : length,
        thenEnd: fault !== 'stall',
        // Manifests read from a content directory are tiny: they go out unshaped, like synthetic ones.
        scheduler: isMedia ? schedulerFor(res) : directPump,
        onBytes: (n) => {
          st.bodyBytes += n;
        },
        onStalled: () => undefined,
      });
      flow.start();
    };
    await listen(server, port);
    servers.push(server);
  }
  const actualPorts = servers.map((s) => (s.address() as AddressInfo).port);
  return {
    urls: actualPorts.map((p) => `http://127.0.0.1:${p}/`),
    ports: actualPorts,
    stats,
    ...(live === undefined ? {} : { live }),
    close: async () => {
      if (linkScheduler instanceof TraceShaper) linkScheduler.stop();
      for (const s of connectionShapers.values()) s.stop();
      for (const res of openResponses) res.destroy();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/**
 * The live event of `content.live`, timed from now. The wall clock is read once, for the epoch the manifests
 * carry (availabilityStartTime); time then runs on performance.now() so the schedule cannot jump with NTP. The
 * start is a whole millisecond because the manifests' date-times carry whole milliseconds.
 */
function liveContent(content: OriginServerOptions['content']): LiveEventContent | undefined {
  if (!('catalog' in content) || content.live === undefined) return undefined;
  const epochAtPerfZeroMs = Date.now() - performance.now();
  const nowEpochMs = (): number => epochAtPerfZeroMs + performance.now();
  return new LiveEventContent(content.catalog, { ...content.live, startEpochMs: content.live.startEpochMs ?? Math.ceil(nowEpochMs()) }, nowEpochMs);
}

function makeResolver(content: OriginServerOptions['content'], live: LiveEventContent | undefined): (rawPath: string) => Promise<Resolved> {
  if ('catalog' in content) {
    const synthetic = live ?? new SyntheticContent(content.catalog);
    return async (rawPath) => {
      let path: string;
      try {
        path = decodeURIComponent(rawPath);
      } catch {
        return { kind: 'refused' };
      }
      const r = synthetic.resolve(path);
      if (r === undefined || r.kind === 'gone') return { kind: 'missing' };
      if (r.kind === 'not-yet') return { kind: 'missing', notYetPublished: true };
      if (r.kind === 'manifest') return r;
      return { kind: 'media', contentType: r.contentType, sizeBytes: r.sizeBytes, open: (range) => new SyntheticBody(range) };
    };
  }
  const dir = new StaticContent(content.dir);
  return async (rawPath) => {
    const r = await dir.lookup(rawPath);
    if (r.kind !== 'file') return r;
    return {
      kind: r.manifest ? 'static-manifest' : 'media',
      contentType: r.contentType,
      sizeBytes: r.sizeBytes,
      open: (range, onReadable, onError) => new FileBody(r.path, range, onReadable, onError),
    };
  };
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the origin is a test fixture, never exposed to the network.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
