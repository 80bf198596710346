/**
 * The simulated delivery path when a session has CDNs or faults (issue 7): the multi-CDN origin (edge caches,
 * fault injection) in front of the catalog's origin, and the player's resilience layer (reference retry policy,
 * CDN failover and fail-back) between the player and the simulated transport. Without CDNs or faults the
 * simulator keeps the bare transport: nothing on the hot path changes for plain sessions.
 */
import type { Clock } from '../core/clock.js';
import { createRng } from '../core/rng.js';
import type { FluidLink } from '../net/fluid-link.js';
import { SimTransport } from '../net/sim-transport.js';
import type { Catalog } from '../origin/catalog.js';
import { MultiCdnOrigin, type CdnConfigInput, type CdnCounters, type SharedEdges } from '../origin/cdn.js';
import { sessionCost, type SessionCost } from '../origin/cost.js';
import type { FaultRule } from '../origin/faults.js';
import { SingleOrigin, type Origin } from '../origin/origin.js';
import { ResilientTransport, type ResilienceEvent, type ResilienceStats } from '../player/resilience/resilient-transport.js';
import { retryPolicy, type RetryPolicyInput } from '../player/resilience/retry-policy.js';
import type { Transport } from '../player/transport.js';
import type { DeliverySummary } from '../qoe/types.js';

export interface DeliveryOptions {
  /** CDNs in failover order (default with faults only: one CDN, `origin`). */
  cdns?: readonly CdnConfigInput[];
  faults?: readonly FaultRule[];
  /** Retry policy over the reference defaults. */
  retry?: RetryPolicyInput;
  /** Prices per GB by CDN name over the reference table (src/origin/cost.ts). */
  usdPerGb?: Readonly<Record<string, number>>;
  /**
   * Edge caches shared with the other sessions of a group (src/sim/group.ts sets it): hit ratios of CDNs with
   * `cacheBytes` then emerge from every session of the group. Cache keys carry the title's name.
   */
  sharedEdges?: SharedEdges;
}

/** Whether these options ask for the delivery model at all. */
export function wantsDelivery(d: DeliveryOptions | undefined): d is DeliveryOptions {
  return d !== undefined && ((d.cdns?.length ?? 0) > 0 || (d.faults?.length ?? 0) > 0);
}

export interface Delivery {
  transport: Transport;
  /** The last request error that reached the player, with the resilience layer's reason. */
  lastFailure(): { kind: string; message: string } | undefined;
  summary(): DeliverySummary;
  cost(playMs: number): SessionCost;
}

export function buildDelivery(p: {
  clock: Clock;
  link: FluidLink;
  catalog: Catalog;
  originLatencyMs: number;
  seed: number | string;
  options: DeliveryOptions;
  onEvent: (e: ResilienceEvent) => void;
  /** Wraps the catalog's origin before the CDNs (e.g. to also answer sprite-sheet URLs). */
  wrapUpstream?: (origin: Origin) => Origin;
}): Delivery {
  const cdns = (p.options.cdns?.length ?? 0) > 0 ? (p.options.cdns as CdnConfigInput[]) : [{ name: 'origin', latencyMs: 0, missPenaltyMs: 0, hitRatio: 1 }];
  const origin = new MultiCdnOrigin({
    upstream: (p.wrapUpstream ?? ((o: Origin) => o))(new SingleOrigin({ catalog: p.catalog, latencyMs: p.originLatencyMs })),
    cdns,
    faults: p.options.faults ?? [],
    rng: createRng(p.seed).derive('delivery'),
    ...(p.options.sharedEdges === undefined ? {} : { sharedEdges: p.options.sharedEdges, cacheKeyPrefix: `${p.catalog.name}/` }),
  });
  let failure: { kind: string; message: string } | undefined;
  const resilient = new ResilientTransport({
    inner: new SimTransport({ clock: p.clock, link: p.link, origin }),
    clock: p.clock,
    policy: retryPolicy(p.options.retry),
    cdns: origin.cdns.map((c) => ({ name: c.name, baseUrl: MultiCdnOrigin.baseUrl(c.name) })),
    onEvent: (e) => {
      if (e.kind === 'gave-up') failure = { kind: e.error, message: `${e.url}: ${e.reason}` };
      p.onEvent(e);
    },
  });
  const usdPerGb: Record<string, number> = { ...(p.options.usdPerGb ?? {}) };
  for (const c of origin.cdns) if (c.usdPerGb !== undefined) usdPerGb[c.name] ??= c.usdPerGb;
  return {
    transport: resilient,
    lastFailure: () => failure,
    summary: () => summaryOf(resilient.stats, origin.counters),
    cost: (playMs) => sessionCost({ bytesByCdn: resilient.stats.bytesByCdn, playMs, usdPerGb }),
  };
}

function summaryOf(s: ResilienceStats, counters: Record<string, CdnCounters>): DeliverySummary {
  return {
    attempts: s.attempts,
    retries: s.retries,
    failovers: s.failovers,
    failbacks: s.failbacks,
    wastedBytes: s.wastedBytes,
    bytesByCdn: { ...s.bytesByCdn },
    requestsByCdn: { ...s.requestsByCdn },
    cdns: structuredClone(counters),
  };
}
