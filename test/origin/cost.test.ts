import { describe, expect, it } from 'vitest';
import { ladderForCodec, sessionCost } from '../../src/origin/cost.js';

describe('cost model (reference §7)', () => {
  it('prices bytes per CDN at the reference rates and per streaming hour', () => {
    // 2 GB from OCA at $0.01, 1 GB from CloudFront at $0.085, 0.5 GB from S3 at $0.09 over 30 minutes played.
    const c = sessionCost({ bytesByCdn: { oca: 2e9, cloudfront: 1e9, s3: 0.5e9 }, playMs: 1_800_000 });
    expect(c.tiers['oca']?.usd).toBeCloseTo(0.02, 12);
    expect(c.tiers['cloudfront']?.usd).toBeCloseTo(0.085, 12);
    expect(c.tiers['s3']?.usd).toBeCloseTo(0.045, 12);
    expect(c.usd).toBeCloseTo(0.15, 12);
    expect(c.usdPerStreamingHour).toBeCloseTo(0.3, 12);
  });

  it('prices an unknown CDN at the CloudFront rate unless told, and nothing played gives NaN per hour', () => {
    const c = sessionCost({ bytesByCdn: { edge9: 1e9 }, playMs: 0 });
    expect(c.usd).toBeCloseTo(0.085, 12);
    expect(c.usdPerStreamingHour).toBeNaN();
    expect(sessionCost({ bytesByCdn: { edge9: 1e9 }, playMs: 3_600_000, usdPerGb: { edge9: 0.02 } }).usd).toBeCloseTo(0.02, 12);
  });

  it('HEVC needs 30 % and AV1 45 % less bitrate than H.264 (reference §7.2)', () => {
    const ladder = [{ bitrateKbps: 1000 }, { bitrateKbps: 5000 }];
    expect(ladderForCodec(ladder, 'hevc').map((r) => r.bitrateKbps)).toEqual([700, 3500]);
    expect(ladderForCodec(ladder, 'av1').map((r) => r.bitrateKbps)).toEqual([550, 2750]);
    expect(ladderForCodec(ladder, 'av1')[0]?.codecs).toMatch(/^av01/);
  });
});
