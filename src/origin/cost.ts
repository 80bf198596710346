/**
 * Delivery cost (reference streaming-architecture.md §7): bytes per CDN × price per GB, and cost per streaming
 * hour; plus the codec ladders of §7.2 so a scenario can weigh cost against QoE. Pure functions.
 */

/**
 * Reference prices, US$ per GB (§7.1): OCA (ISP peering) 0.01, CloudFront 0.085 (first 10 TB), S3 egress 0.09. A
 * session with faults but no CDN list talks to one `origin`, priced as the S3 origin it stands for.
 */
export const REFERENCE_USD_PER_GB: Readonly<Record<string, number>> = { oca: 0.01, cloudfront: 0.085, s3: 0.09, origin: 0.09 };

/** Price of a CDN not in the table: CloudFront's, the middle tier. */
export const DEFAULT_USD_PER_GB = 0.085;

/**
 * Bytes in a billed GB. Cloud price sheets bill decimal gigabytes in their examples; we use 10^9 and say so, so a
 * figure can be checked by hand.
 */
export const BYTES_PER_GB = 1e9;

const MS_PER_HOUR = 3_600_000;

export interface TierCost {
  bytes: number;
  usd: number;
}

export interface SessionCost {
  usd: number;
  tiers: Record<string, TierCost>;
  /** usd per hour of media played; NaN when nothing played. */
  usdPerStreamingHour: number;
}

/** The cost of the bytes a session received from each CDN, priced per GB. */
export function sessionCost(p: { bytesByCdn: Readonly<Record<string, number>>; playMs: number; usdPerGb?: Readonly<Record<string, number>> }): SessionCost {
  const tiers: Record<string, TierCost> = {};
  let usd = 0;
  for (const [name, bytes] of Object.entries(p.bytesByCdn)) {
    const price = p.usdPerGb?.[name] ?? REFERENCE_USD_PER_GB[name] ?? DEFAULT_USD_PER_GB;
    const tierUsd = (bytes / BYTES_PER_GB) * price;
    tiers[name] = { bytes, usd: tierUsd };
    usd += tierUsd;
  }
  return { usd, tiers, usdPerStreamingHour: p.playMs > 0 ? usd / (p.playMs / MS_PER_HOUR) : Number.NaN };
}

/**
 * Codecs and the bitrate they need for the same perceived quality as H.264 (§7.2: "H.265 (30% savings) and AV1
 * (40-50% savings)"; we take the middle, 45 %).
 */
export const CODEC_BITRATE_FACTOR = { h264: 1, hevc: 0.7, av1: 0.55 } as const;
export type Codec = keyof typeof CODEC_BITRATE_FACTOR;

/** RFC 6381 codecs strings used for the re-encoded ladders (main/high profiles at level 4.x). */
export const CODEC_STRINGS: Record<Codec, string> = { h264: 'avc1.640028', hevc: 'hvc1.1.6.L120.90', av1: 'av01.0.08M.08' };

/** A ladder re-encoded with `codec` at equal quality: every rung's bitrate scaled by the codec's factor. */
export function ladderForCodec<R extends { bitrateKbps: number }>(ladder: readonly R[], codec: Codec): (R & { codecs: string })[] {
  const factor = CODEC_BITRATE_FACTOR[codec];
  return ladder.map((r) => ({ ...r, bitrateKbps: r.bitrateKbps * factor, codecs: CODEC_STRINGS[codec] }));
}
