import { Command, InvalidArgumentError, Option } from 'commander';
import { parseIntFlag, parseNonNegative } from './options.js';

export interface ServeFlags {
  catalog?: string;
  content?: string;
  trace?: string;
  port: number;
  ports?: number[];
  latencyMs?: number;
  faults: string[];
  shape: 'link' | 'connection';
  seed: string;
  /** Serve the catalog as a live event starting now. */
  live?: boolean;
  /** Live: publishing delay after a segment ends, s. */
  publishDelay?: number;
  /** Live: DVR window behind the edge, s. */
  dvrWindow?: number;
}

function parsePorts(value: string): number[] {
  const ports = value.split(',').map((p) => Number(p.trim()));
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 0 || p > 65535)) {
    throw new InvalidArgumentError(`expected comma-separated ports (0–65535), got "${value}"`);
  }
  return ports;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `abrlab serve`: a local origin on 127.0.0.1, shaped to a trace, with faults, on one port per CDN. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve synthetic (--catalog) or real (--content) DASH/HLS on 127.0.0.1, shaped to a trace')
    .option('--catalog <file>', 'video catalog JSON: synthetic DASH at /manifest.mpd and HLS at /master.m3u8')
    .option('--content <dir>', 'directory of real DASH/HLS files (e.g. from `abrlab content make`)')
    .option('--trace <file>', 'shape media bodies to this network trace (default: unshaped)')
    .option('--port <n>', 'port to listen on (0: any free port)', parseIntFlag, 8080)
    .option('--ports <a,b,...>', 'several ports, one CDN each (overrides --port)', parsePorts)
    .option('--latency-ms <ms>', 'delay before each response, ms', parseNonNegative)
    .option('--faults <[port:]spec>', 'faults on media requests, e.g. 503=0.2,reset=0.05 or 8081:timeout=1 (repeatable)', collect, [])
    .addOption(new Option('--shape <mode>', 'one bucket for the whole link, or one per connection').choices(['link', 'connection']).default('link'))
    .option('--seed <n>', 'seed of the fault draws', '1')
    .option('--live', 'with --catalog: serve the title as a live event starting now (dynamic MPD, sliding HLS window); it ends after the title\'s duration')
    .option('--publish-delay <s>', 'live: a segment is published this long after it ends, s (default 2)', parseNonNegative)
    .option('--dvr-window <s>', 'live: how far behind the edge segments stay available, s (default 4 h)', parseNonNegative)
    .action(async (flags: ServeFlags) => {
      const server = await startServeFromFlags(flags);
      const what = flags.catalog !== undefined ? `${flags.live ? 'live event of ' : ''}catalog ${flags.catalog}` : `directory ${flags.content}`;
      const lines = server.urls.map((u) => `  ${u}${flags.catalog !== undefined ? `manifest.mpd  ${u}master.m3u8` : ''}`);
      process.stdout.write(`abrlab serve: ${what}${flags.trace ? `, shaped to ${flags.trace}` : ''}\n${lines.join('\n')}\n(Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
    });
}

/** Validates the flags, loads the inputs and starts the origin (separate from the action so tests can drive it). */
export async function startServeFromFlags(flags: ServeFlags): Promise<import('../live/server/origin-server.js').OriginServer> {
  const { InputError } = await import('../core/errors.js');
  if ((flags.catalog === undefined) === (flags.content === undefined)) {
    throw new InputError('give exactly one of --catalog FILE (synthetic content) or --content DIR', { field: '--catalog/--content' });
  }
  if (flags.live && flags.catalog === undefined) {
    throw new InputError('--live serves a catalog as a live event: give --catalog FILE', { field: '--live' });
  }
  if (!flags.live && (flags.publishDelay !== undefined || flags.dvrWindow !== undefined)) {
    throw new InputError('--publish-delay and --dvr-window only apply to a live event: add --live', { field: '--live' });
  }
  const { parseFaultSpec } = await import('../live/server/faults.js');
  const { startOrigin } = await import('../live/server/origin-server.js');
  const ports = flags.ports ?? [flags.port];
  const faults = ports.map(() => ({}));
  for (const text of flags.faults) {
    const m = /^(\d+):(.*)$/.exec(text);
    const spec = parseFaultSpec(m === null ? text : (m[2] as string), '--faults');
    if (m === null) faults.fill(spec);
    else {
      const at = ports.indexOf(Number(m[1]));
      if (at < 0) throw new InputError(`port ${m[1]} is not one of the ports served (${ports.join(', ')})`, { field: '--faults' });
      faults[at] = spec;
    }
  }
  let content: import('../live/server/origin-server.js').OriginServerOptions['content'];
  if (flags.catalog !== undefined) {
    const { loadCatalogFile } = await import('../origin/load-catalog.js');
    const catalog = await loadCatalogFile(flags.catalog);
    if (flags.live) {
      const { sToMs } = await import('../core/units.js');
      const live = {
        ...(flags.publishDelay === undefined ? {} : { publishDelayMs: sToMs(flags.publishDelay) }),
        ...(flags.dvrWindow === undefined ? {} : { dvrWindowMs: sToMs(flags.dvrWindow) }),
      };
      content = { catalog, live };
    } else {
      content = { catalog };
    }
  } else {
    content = { dir: flags.content as string };
  }
  let trace;
  if (flags.trace !== undefined) {
    const { loadTraceFile } = await import('../net/formats/index.js');
    trace = await loadTraceFile(flags.trace);
  }
  try {
    return await startOrigin({
      content,
      ...(trace === undefined ? {} : { trace }),
      shape: flags.shape,
      ...(flags.latencyMs === undefined ? {} : { latencyMs: flags.latencyMs }),
      ports,
      faults,
      seed: flags.seed,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new InputError(`cannot listen (${code}); choose another port`, { field: '--port' });
    throw err;
  }
}
