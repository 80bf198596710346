/**
 * Which CDN the next request goes to: the reference failover order (§5.3: OCA → CloudFront → S3 origin) with
 * sticky failover and timed fail-back. After a failover the player stays on the CDN that works (every request
 * there would otherwise pay a failed attempt first) and, once `failBackAfterMs` has passed, sends new requests to
 * the preferred CDN again: if it has recovered, traffic returns to the cheap tier; if not, one attempt fails and
 * the player moves on again.
 */
export interface CdnEndpoint {
  /** Name used in telemetry, cost and fault specs (e.g. `oca`, `cloudfront`, `s3`). */
  name: string;
  /** Prefix of every URL on this CDN (sim: `cdn/oca/`; live: `http://127.0.0.1:8081/`). */
  baseUrl: string;
}

export type CdnSwitch = { kind: 'failover' | 'failback'; from: number; to: number };

export class CdnSelector {
  private current = 0;
  private failedOverAtMs = Number.NaN;
  /** Consecutive failures per CDN, reset by any success there. */
  private readonly failures: number[];

  constructor(
    readonly cdns: readonly CdnEndpoint[],
    private readonly failBackAfterMs: number,
  ) {
    if (cdns.length === 0) throw new RangeError('CdnSelector needs at least one CDN');
    this.failures = cdns.map(() => 0);
  }

  /** The CDN for a new request at `nowMs`; may fail back to the preferred one. */
  forNewRequest(nowMs: number): { index: number; change?: CdnSwitch } {
    if (this.current !== 0 && nowMs - this.failedOverAtMs >= this.failBackAfterMs) {
      const from = this.current;
      this.current = 0;
      this.failedOverAtMs = Number.NaN;
      return { index: 0, change: { kind: 'failback', from, to: 0 } };
    }
    return { index: this.current };
  }

  /** Records a failed attempt on CDN `index`; returns its consecutive failures. */
  failed(index: number): number {
    const n = (this.failures[index] ?? 0) + 1;
    this.failures[index] = n;
    return n;
  }

  succeeded(index: number): void {
    this.failures[index] = 0;
  }

  /**
   * Moves a request that failed on CDN `index` on. If another request already moved the player off `index`, it
   * follows to the current CDN (no new switch); otherwise the next CDN in the order (wrapping) becomes current.
   */
  failover(index: number, nowMs: number): { index: number; change?: CdnSwitch } {
    if (this.current !== index) return { index: this.current };
    const to = (index + 1) % this.cdns.length;
    if (to !== 0) this.failedOverAtMs = nowMs;
    else this.failedOverAtMs = Number.NaN;
    this.current = to;
    return { index: to, change: { kind: 'failover', from: index, to } };
  }

  /** `url` on CDN `index`: a URL on any CDN has its base swapped; a relative URL gets the base prefixed. */
  urlOn(index: number, url: string): string {
    const base = (this.cdns[index] as CdnEndpoint).baseUrl;
    for (const c of this.cdns) {
      if (c.baseUrl !== '' && url.startsWith(c.baseUrl)) return base + url.slice(c.baseUrl.length);
    }
    // An absolute URL outside every CDN (another host) is not ours to move.
    if (/^[a-z][a-z\d+.-]*:/i.test(url)) return url;
    return base + url;
  }
}
