/**
 * The one place where units are converted. Conventions (DESIGN.md): time in ms, sizes in bytes or bits,
 * rates in kbps. 1 kbps = 1 bit per ms, so `bits / ms` is kbps and `kbps * ms` is bits.
 */

export const BITS_PER_BYTE = 8;
export const MS_PER_S = 1000;

export const bytesToBits = (bytes: number): number => bytes * BITS_PER_BYTE;
export const bitsToBytes = (bits: number): number => bits / BITS_PER_BYTE;
export const sToMs = (s: number): number => s * MS_PER_S;
export const msToS = (ms: number): number => ms / MS_PER_S;
/** Mbit/s (decimal, 1e6 bits) to kbps. */
export const mbpsToKbps = (mbps: number): number => mbps * 1000;
export const kbpsToMbps = (kbps: number): number => kbps / 1000;
/** bits/s to kbps. */
export const bpsToKbps = (bps: number): number => bps / 1000;

/** Rate achieved when `bytes` arrive in `ms` milliseconds, in kbps. */
export const rateKbps = (bytes: number, ms: number): number => (bytes * BITS_PER_BYTE) / ms;

/** Bits delivered in `ms` milliseconds at `kbps`. */
export const bitsAt = (kbps: number, ms: number): number => kbps * ms;

/** Bytes a segment of `durationMs` has at a nominal `bitrateKbps`. */
export const nominalSegmentBytes = (bitrateKbps: number, durationMs: number): number =>
  (bitrateKbps * durationMs) / BITS_PER_BYTE;
