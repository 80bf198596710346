/**
 * The steps between "play" and the first segment request (reference streaming-architecture.md §2.1 "Session
 * Initialization" and §4.2 "Parallel Initialization"): authentication, the playback API, the manifest, the DRM
 * licence and the bookmark, each with a latency drawn from its range.
 *
 * - `sequential` (§2.1): auth → playback API → manifest → licence → bookmark, one after another; segments are
 *   requested once all are done.
 * - `parallel` (§4.2): auth, then playback API, manifest, licence and bookmark at once; segments are requested as
 *   soon as the manifest is in ("Start downloading first segments while DRM initializes") and playback waits for
 *   the licence.
 *
 * Licence errors follow §5.2: LICENSE_EXPIRED → request a fresh licence; HDCP_ERROR → cap quality at 480p and
 * retry; LICENSE_SERVER_UNAVAILABLE → exponential back-off, at most 5 attempts; DEVICE_LIMIT_EXCEEDED → fatal,
 * with the reference's message to the user. Times come from the `Clock`, draws from the seeded `Rng`.
 */
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Rng } from '../../core/rng.js';

const range = (minMs: number, maxMs: number, what: string) =>
  z
    .object({ minMs: z.number().nonnegative(), maxMs: z.number().nonnegative() })
    .strict()
    .refine((r) => r.maxMs >= r.minMs, { message: 'maxMs must be >= minMs', path: ['maxMs'] })
    .default({ minMs, maxMs })
    .describe(`${what}: latency drawn uniformly in [minMs, maxMs], ms`);

export const startupFlowSchema = z
  .object({
    mode: z.enum(['parallel', 'sequential']).default('parallel').describe('Run the startup steps in parallel (reference §4.2) or one after another (§2.1)'),
    authMs: range(50, 100, 'Authentication (§2.1: 50–100 ms)'),
    playbackApiMs: range(100, 200, 'Playback API (§2.1: 100–200 ms)'),
    manifestMs: range(50, 100, 'Manifest download (§2.1: 50–100 ms)'),
    licenceMs: range(100, 200, 'DRM licence (§2.1: 100–200 ms)'),
    bookmarkMs: range(20, 40, 'Bookmark (§4.2: ~30 ms)'),
    licenceAttempts: z.number().int().positive().default(5).describe('Licence attempts while the server is unavailable (§5.2: max_attempts=5)'),
    licenceBackoffMs: z.number().nonnegative().default(1000).describe('First back-off after LICENSE_SERVER_UNAVAILABLE, doubling, ms'),
    hdcpFallbackHeightPx: z.number().int().positive().default(480).describe('Quality cap after an HDCP failure (§5.2: 480p)'),
  })
  .strict();

export type StartupFlowConfig = z.output<typeof startupFlowSchema>;
export type StartupFlowInput = z.input<typeof startupFlowSchema>;

export type LicenceErrorCode = 'LICENSE_EXPIRED' | 'DEVICE_LIMIT_EXCEEDED' | 'HDCP_ERROR' | 'LICENSE_SERVER_UNAVAILABLE';

/** §5.2's dialog text for DEVICE_LIMIT_EXCEEDED. */
export const DEVICE_LIMIT_MESSAGE = "You've reached the maximum number of devices. Please sign out of another device to continue.";

export type StartupStep = 'auth' | 'playbackApi' | 'manifest' | 'licence' | 'bookmark';

/** When each step started and ended (ms on the session clock); the licence spans all its attempts. */
export type StartupBreakdown = Partial<Record<StartupStep, { startMs: number; endMs: number }>> & {
  licenceAttempts: number;
  licenceErrors: LicenceErrorCode[];
};

export interface StartupHooks {
  /** The manifest is in and the player may request segments (parallel: now; sequential: after every step). */
  onSegmentsAllowed(atMs: number): void;
  /** A licence is in hand: playback may start. */
  onLicensed(atMs: number): void;
  /** Cap the quality at this frame height (HDCP fallback). */
  onCapHeight(heightPx: number, atMs: number): void;
  /** Startup cannot succeed. */
  onFatal(error: { code: LicenceErrorCode; message: string }, atMs: number): void;
  onStep?(step: StartupStep, startMs: number, endMs: number): void;
}

export class StartupFlow {
  readonly breakdown: StartupBreakdown = { licenceAttempts: 0, licenceErrors: [] };
  private manifestDone = false;
  private licenceDone = false;
  private bookmarkDone = false;
  private segmentsAllowed = false;
  private failed = false;
  private hdcpCapped = false;

  constructor(
    private readonly p: {
      clock: Clock;
      rng: Rng;
      config: StartupFlowConfig;
      /** Outcome of one licence request (faults); undefined: granted. */
      licenceOutcome: () => LicenceErrorCode | undefined;
      hooks: StartupHooks;
    },
  ) {}

  start(): void {
    const now = this.p.clock.nowMs();
    this.step('auth', now, () => {
      const t = this.p.clock.nowMs();
      if (this.p.config.mode === 'parallel') {
        this.step('playbackApi', t, () => {});
        this.step('manifest', t, () => {
          this.manifestDone = true;
          this.maybeAllowSegments();
        });
        this.requestLicence(t, t);
        this.step('bookmark', t, () => {
          this.bookmarkDone = true;
        });
      } else {
        this.step('playbackApi', t, () =>
          this.step('manifest', this.p.clock.nowMs(), () => {
            this.manifestDone = true;
            this.requestLicence(this.p.clock.nowMs(), this.p.clock.nowMs());
          }),
        );
      }
    });
  }

  /** Runs a step: its latency is drawn now, `then` runs at its end. */
  private step(step: StartupStep, startMs: number, then: () => void): void {
    const r = this.p.config[`${step}Ms`];
    const endMs = startMs + this.p.rng.uniform(r.minMs, r.maxMs);
    this.p.clock.setTimer(endMs, () => {
      if (this.failed) return;
      this.record(step, startMs, endMs);
      then();
    });
  }

  private record(step: StartupStep, startMs: number, endMs: number): void {
    this.breakdown[step] = { startMs, endMs };
    this.p.hooks.onStep?.(step, startMs, endMs);
  }

  /** One licence request at `atMs`; `firstMs` is when the licence step began (for the breakdown). */
  private requestLicence(atMs: number, firstMs: number): void {
    const r = this.p.config.licenceMs;
    const endMs = atMs + this.p.rng.uniform(r.minMs, r.maxMs);
    this.breakdown.licenceAttempts++;
    const outcome = this.p.licenceOutcome();
    this.p.clock.setTimer(endMs, () => {
      if (this.failed) return;
      if (outcome === undefined) return this.licensed(firstMs, endMs);
      this.breakdown.licenceErrors.push(outcome);
      this.onLicenceError(outcome, firstMs, endMs);
    });
  }

  private onLicenceError(code: LicenceErrorCode, firstMs: number, atMs: number): void {
    const cfg = this.p.config;
    // Every kind of retry counts against the same bound, so a licence server that keeps failing cannot hold the
    // player in startup for ever (the reference bounds only the unavailable case; we apply its 5 to all).
    const attempts = this.breakdown.licenceAttempts;
    if (code !== 'DEVICE_LIMIT_EXCEEDED' && attempts >= cfg.licenceAttempts) {
      return this.fail({ code, message: `licence failed ${attempts} times (last: ${code})` }, firstMs, atMs);
    }
    switch (code) {
      case 'LICENSE_EXPIRED':
        return this.requestLicence(atMs, firstMs);
      case 'HDCP_ERROR':
        // The SD fallback needs no HDCP: once capped, the retry's licence is granted.
        if (this.hdcpCapped) return this.licensed(firstMs, atMs);
        this.hdcpCapped = true;
        this.p.hooks.onCapHeight(cfg.hdcpFallbackHeightPx, atMs);
        return this.requestLicence(atMs, firstMs);
      case 'LICENSE_SERVER_UNAVAILABLE': {
        const unavailable = this.breakdown.licenceErrors.filter((e) => e === 'LICENSE_SERVER_UNAVAILABLE').length;
        const waitMs = cfg.licenceBackoffMs * 2 ** (unavailable - 1);
        this.p.clock.setTimer(atMs + waitMs, () => {
          if (!this.failed) this.requestLicence(this.p.clock.nowMs(), firstMs);
        });
        return;
      }
      case 'DEVICE_LIMIT_EXCEEDED':
        return this.fail({ code, message: DEVICE_LIMIT_MESSAGE }, firstMs, atMs);
    }
  }

  private fail(error: { code: LicenceErrorCode; message: string }, firstMs: number, atMs: number): void {
    this.record('licence', firstMs, atMs);
    this.failed = true;
    this.p.hooks.onFatal(error, atMs);
  }

  private licensed(firstMs: number, atMs: number): void {
    this.record('licence', firstMs, atMs);
    this.licenceDone = true;
    if (this.p.config.mode === 'sequential') {
      this.step('bookmark', atMs, () => {
        this.bookmarkDone = true;
        this.maybeAllowSegments();
        this.p.hooks.onLicensed(this.p.clock.nowMs());
      });
      return;
    }
    this.maybeAllowSegments();
    this.p.hooks.onLicensed(atMs);
  }

  private maybeAllowSegments(): void {
    if (this.segmentsAllowed || !this.manifestDone) return;
    if (this.p.config.mode === 'sequential' && !(this.licenceDone && this.bookmarkDone)) return;
    this.segmentsAllowed = true;
    this.p.hooks.onSegmentsAllowed(this.p.clock.nowMs());
  }
}
