/**
 * The sweep's progress bar (cli-progress, on stderr): sessions done, rate and ETA. Only on a TTY — a log file or
 * a CI console gets nothing — and never with --quiet (the caller does not start one).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** A bar for `total` sessions of which `start` are already done, or undefined when stderr is not a terminal. */
export function startProgress(total: number, start: number, stream: NodeJS.WriteStream = process.stderr): Progress | undefined {
  if (stream.isTTY !== true || total === 0) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'sessions |{bar}| {value}/{total} {percentage}% | {rate}/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  // Rate over this process's sessions only (resumed ones took no time here); wall time is fine outside src/sim.
  const t0 = performance.now();
  bar.start(total, start, { rate: '-' });
  return {
    update(done) {
      const s = (performance.now() - t0) / 1000;
      bar.update(done, { rate: s > 0 ? Math.round((done - start) / s).toLocaleString('en-US') : '-' });
    },
    stop: () => bar.stop(),
  };
}
