/**
 * The multi-CDN model (issue 7; reference streaming-architecture.md §1.3 and §5.3): an ordered list of CDNs —
 * by default the reference's OCA → CloudFront → S3 origin — each with its own latency, edge cache and price, in
 * front of one origin that holds the catalog. URLs name the CDN: `cdn/<name>/<object>`, where `<object>` is what
 * the single origin serves (`seg/<rep>/<segment>`); the player's resilience layer (src/player/resilience) puts
 * the prefix on and moves requests between CDNs.
 *
 * A request pays the CDN's latency; a cache miss also pays `missPenaltyMs` (the edge fetching from the origin).
 * Hit ratios are either configured (`hitRatio`: a seeded draw per request) or emerge from an LRU edge cache
 * (`cacheBytes`) that every request through this origin object fills — or, with `sharedEdges`, that every session
 * of a group fills (src/sim/group.ts): the sessions then warm each other's edges.
 */
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { TransportRequest } from '../player/transport.js';
import { EdgeCache } from './edge-cache.js';
import { FaultInjector, type FaultDecision, type FaultRule } from './faults.js';
import type { Origin, OriginResponse } from './origin.js';

export const cdnSchema = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash and underscore').describe('CDN name (telemetry, cost, fault rules)'),
    latencyMs: z.number().nonnegative().default(20).describe('Server delay before the first byte on a cache hit, ms'),
    missPenaltyMs: z.number().nonnegative().default(60).describe('Extra delay of a cache miss (the edge fetches from the origin), ms'),
    hitRatio: z.number().min(0).max(1).optional().describe('Configured cache hit ratio (a seeded draw per request)'),
    cacheBytes: z.number().positive().optional().describe('Edge cache size, bytes: hit ratio emerges from LRU (used when hitRatio is absent)'),
    throughputCapKbps: z.number().positive().optional().describe('Most this CDN sends one response at, kbps (an edge under load); default no cap'),
    usdPerGb: z.number().nonnegative().optional().describe('Delivery price, US$ per GB (10^9 bytes); default by name (oca, cloudfront, s3), else 0.085'),
  })
  .strict();

export type CdnConfig = z.output<typeof cdnSchema>;
export type CdnConfigInput = z.input<typeof cdnSchema>;

/**
 * The reference failover order and figures. Latencies are assumptions (an ISP-hosted OCA is closest, S3 the
 * farthest); the S3 origin has no cache in front of it, so every request is a "hit" at its own latency; OCA and
 * CloudFront hit 95 % (the reference quotes 90–95 %).
 */
export const REFERENCE_CDNS: readonly CdnConfigInput[] = [
  { name: 'oca', latencyMs: 10, missPenaltyMs: 60, hitRatio: 0.95 },
  { name: 'cloudfront', latencyMs: 30, missPenaltyMs: 60, hitRatio: 0.95 },
  { name: 's3', latencyMs: 80, missPenaltyMs: 0, hitRatio: 1 },
];

/** Per-CDN counters over everything this origin answered. */
export interface CdnCounters {
  requests: number;
  hits: number;
  misses: number;
  errors: number;
  /** Bytes of the successful answers (what the CDN would send if nothing is aborted). */
  bytesAnswered: number;
}

const CDN_PREFIX = 'cdn/';

export interface MultiCdnOriginConfig {
  /** Answers about objects (sizes, 404, 416): usually a SingleOrigin over the catalog. */
  upstream: Origin;
  cdns: readonly CdnConfigInput[];
  faults?: readonly FaultRule[];
  /** Stream for hit-ratio and fault draws (derive it from the session seed). */
  rng: Rng;
  /**
   * Edge caches shared with other sessions (src/sim/group.ts), instead of this origin's own: the emergent hit
   * ratio then counts every session of the group. Counters, fault draws and fault windows stay this session's.
   */
  sharedEdges?: SharedEdges;
  /** Prefix of the cache keys (the title's name), so that sessions of different titles never share an object. */
  cacheKeyPrefix?: string;
}

/**
 * The edge caches of one CDN set, shared by the sessions of a group, on the group's clock: a TTL is group time
 * (sessions arriving later see objects age), while each session's own clock stays session-relative.
 */
export class SharedEdges {
  private readonly caches = new Map<string, EdgeCache>();

  constructor(readonly clock: Clock) {}

  /** The cache of CDN `cdn` (made on first use with its `cacheBytes`), or undefined when its hit ratio is configured. */
  cacheFor(cdn: Pick<CdnConfig, 'name' | 'hitRatio' | 'cacheBytes'>): EdgeCache | undefined {
    if (cdn.hitRatio !== undefined || cdn.cacheBytes === undefined) return undefined;
    let cache = this.caches.get(cdn.name);
    if (cache === undefined) {
      cache = new EdgeCache({ capacityBytes: cdn.cacheBytes });
      this.caches.set(cdn.name, cache);
    }
    return cache;
  }

  /** The shared cache of CDN `name`, once a session has used it. */
  cacheOf(name: string): EdgeCache | undefined {
    return this.caches.get(name);
  }
}

/** An origin answer that may carry a mid-transfer fault for the transport to play out. */
export type CdnResponse = OriginResponse & { interrupt?: Exclude<FaultDecision, { kind: 'none' } | { kind: 'error' }>; maxKbps?: number };

export class MultiCdnOrigin implements Origin {
  readonly cdns: readonly CdnConfig[];
  readonly counters: Record<string, CdnCounters>;
  private readonly byName = new Map<string, { config: CdnConfig; cache: EdgeCache | undefined; counters: CdnCounters }>();
  private readonly faults: FaultInjector;
  private readonly hitRng: Rng;
  /** The clock of shared caches' TTLs (group time); undefined: the session time passed to `resolve`. */
  private readonly cacheClock: Clock | undefined;
  private readonly keyPrefix: string;

  constructor(private readonly config: MultiCdnOriginConfig) {
    if (config.cdns.length === 0) throw new InputError('give at least one CDN', { field: 'cdns' });
    this.cdns = config.cdns.map((c, i) => {
      const parsed = cdnSchema.safeParse(c);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InputError(issue?.message ?? 'invalid CDN', { field: `cdns[${i}].${issue?.path.join('.') ?? ''}` });
      }
      return parsed.data;
    });
    this.counters = {};
    for (const [i, c] of this.cdns.entries()) {
      if (this.byName.has(c.name)) throw new InputError(`duplicate CDN "${c.name}"`, { field: `cdns[${i}].name` });
      const counters: CdnCounters = { requests: 0, hits: 0, misses: 0, errors: 0, bytesAnswered: 0 };
      this.counters[c.name] = counters;
      const cache =
        config.sharedEdges !== undefined
          ? config.sharedEdges.cacheFor(c)
          : c.hitRatio === undefined && c.cacheBytes !== undefined
            ? new EdgeCache({ capacityBytes: c.cacheBytes })
            : undefined;
      this.byName.set(c.name, { config: c, cache, counters });
    }
    for (const [i, r] of (config.faults ?? []).entries()) {
      if (r.kind !== 'licence-error' && r.cdn !== undefined && !this.byName.has(r.cdn)) {
        throw new InputError(`fault rule names unknown CDN "${r.cdn}"; CDNs: ${this.cdns.map((c) => c.name).join(', ')}`, { field: `faults[${i}].cdn` });
      }
    }
    this.faults = new FaultInjector(config.faults ?? [], config.rng.derive('faults'));
    this.hitRng = config.rng.derive('cache-hits');
    this.cacheClock = config.sharedEdges?.clock;
    this.keyPrefix = config.cacheKeyPrefix ?? '';
  }

  /** Base URL of CDN `name`, for the player's CDN list. */
  static baseUrl(name: string): string {
    return `${CDN_PREFIX}${name}/`;
  }

  /** The edge cache of CDN `name`, when its hit ratio emerges from one. */
  cacheOf(name: string): EdgeCache | undefined {
    return this.byName.get(name)?.cache;
  }

  resolve(req: TransportRequest, nowMs: number): Readonly<CdnResponse> {
    const slash = req.url.startsWith(CDN_PREFIX) ? req.url.indexOf('/', CDN_PREFIX.length) : -1;
    const cdn = slash < 0 ? undefined : this.byName.get(req.url.slice(CDN_PREFIX.length, slash));
    if (cdn === undefined) return { ok: false, kind: 'http-404', latencyMs: 0 };
    const { config, cache, counters } = cdn;
    counters.requests++;
    const fault = this.faults.decide(config.name, nowMs);
    if (fault.kind === 'error') {
      counters.errors++;
      // A timeout never answers: an infinite delay, cut by the transport's timeout.
      return { ok: false, kind: fault.error, latencyMs: fault.error === 'timeout' ? Number.POSITIVE_INFINITY : config.latencyMs };
    }
    const objectUrl = req.url.slice(slash + 1);
    const inner = this.config.upstream.resolve(req.rangeBytes === undefined ? { url: objectUrl } : { url: objectUrl, rangeBytes: req.rangeBytes }, nowMs);
    if (!inner.ok) {
      counters.errors++;
      return { ok: false, kind: inner.kind, latencyMs: config.latencyMs + inner.latencyMs };
    }
    const hit =
      cache === undefined
        ? this.hitRng.next() < (config.hitRatio ?? 1)
        : this.cacheClock === undefined
          ? cache.request(objectUrl, inner.sizeBytes, 'segment', nowMs)
          : cache.request(this.keyPrefix + objectUrl, inner.sizeBytes, 'segment', this.cacheClock.nowMs());
    if (hit) counters.hits++;
    else counters.misses++;
    counters.bytesAnswered += inner.sizeBytes;
    const latencyMs = config.latencyMs + inner.latencyMs + (hit ? 0 : config.missPenaltyMs);
    const answer: CdnResponse = { ok: true, sizeBytes: inner.sizeBytes, latencyMs };
    if (fault.kind !== 'none') answer.interrupt = fault;
    if (config.throughputCapKbps !== undefined) answer.maxKbps = config.throughputCapKbps;
    return answer;
  }
}
