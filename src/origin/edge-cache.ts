/**
 * A CDN edge cache: least-recently-used eviction by bytes, with a time-to-live per object. The reference design
 * (streaming-architecture.md §1.3, "Edge Location Cache") caches manifests for 5 minutes and segments for 24 hours
 * and quotes a 90–95 % hit ratio; here the hit ratio is not configured but emerges from the requests of every
 * session that shares the edge (or is configured instead in cdn.ts, for runs whose sessions do not share edges).
 *
 * Time is the caller's (a session or run clock, ms); the cache never reads a clock itself.
 */

/** Reference TTLs, ms. */
export const MANIFEST_TTL_MS = 5 * 60 * 1000;
export const SEGMENT_TTL_MS = 24 * 60 * 60 * 1000;

export interface EdgeCacheConfig {
  /** Cache capacity, bytes. Objects larger than this are never cached. */
  capacityBytes: number;
  /** TTL of manifests, ms (default the reference 5 min). */
  manifestTtlMs?: number;
  /** TTL of segments, ms (default the reference 24 h). */
  segmentTtlMs?: number;
}

export type CachedObjectKind = 'manifest' | 'segment';

interface Entry {
  sizeBytes: number;
  expiresAtMs: number;
}

export interface EdgeCacheStats {
  hits: number;
  misses: number;
  /** Misses caused by an expired entry (a subset of `misses`). */
  expired: number;
  evictions: number;
  /** Bytes served from the cache (hits) and fetched from upstream (misses). */
  hitBytes: number;
  missBytes: number;
}

export class EdgeCache {
  /** Map iteration order is insertion order: the first key is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private usedBytes = 0;
  private readonly capacityBytes: number;
  private readonly manifestTtlMs: number;
  private readonly segmentTtlMs: number;
  readonly stats: EdgeCacheStats = { hits: 0, misses: 0, expired: 0, evictions: 0, hitBytes: 0, missBytes: 0 };

  constructor(config: EdgeCacheConfig) {
    if (!(config.capacityBytes >= 0)) throw new RangeError(`capacityBytes must be >= 0, got ${config.capacityBytes}`);
    this.capacityBytes = config.capacityBytes;
    this.manifestTtlMs = config.manifestTtlMs ?? MANIFEST_TTL_MS;
    this.segmentTtlMs = config.segmentTtlMs ?? SEGMENT_TTL_MS;
  }

  /**
   * Looks `key` up at `nowMs` and records the request: a hit refreshes its recency; a miss (absent or expired)
   * stores the object as the upstream fetch would, evicting least-recently-used entries to make room.
   * Returns true on a hit.
   */
  request(key: string, sizeBytes: number, kind: CachedObjectKind, nowMs: number): boolean {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      if (nowMs < entry.expiresAtMs) {
        this.entries.set(key, entry);
        this.stats.hits++;
        this.stats.hitBytes += sizeBytes;
        return true;
      }
      this.usedBytes -= entry.sizeBytes;
      this.stats.expired++;
    }
    this.stats.misses++;
    this.stats.missBytes += sizeBytes;
    this.store(key, sizeBytes, nowMs + (kind === 'manifest' ? this.manifestTtlMs : this.segmentTtlMs));
    return false;
  }

  /** Whether `key` is cached and fresh at `nowMs`, without touching recency or stats. */
  has(key: string, nowMs: number): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && nowMs < entry.expiresAtMs;
  }

  get bytesUsed(): number {
    return this.usedBytes;
  }

  get hitRatio(): number {
    const n = this.stats.hits + this.stats.misses;
    return n === 0 ? Number.NaN : this.stats.hits / n;
  }

  private store(key: string, sizeBytes: number, expiresAtMs: number): void {
    if (sizeBytes > this.capacityBytes) return;
    for (const [oldKey, old] of this.entries) {
      if (this.usedBytes + sizeBytes <= this.capacityBytes) break;
      this.entries.delete(oldKey);
      this.usedBytes -= old.sizeBytes;
      this.stats.evictions++;
    }
    this.entries.set(key, { sizeBytes, expiresAtMs });
    this.usedBytes += sizeBytes;
  }
}
