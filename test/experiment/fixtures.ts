/** A small sweep for the runner tests: a 40 s title of 3 rungs and generated traces, written to a temp folder. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'abrlab-exp-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** 10 segments of 4 s at 400 / 1200 / 3000 kbps (heights 360 / 720 / 1080), sizes from the nominal bitrates. */
export function writeVideo(dir: string, name = 'video.json'): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      name: 'short',
      segmentDurationMs: 4000,
      durationMs: 40_000,
      representations: [
        { id: 'low', bitrateKbps: 400, width: 640, height: 360 },
        { id: 'mid', bitrateKbps: 1200, width: 1280, height: 720 },
        { id: 'high', bitrateKbps: 3000, width: 1920, height: 1080 },
      ],
    }),
  );
  return file;
}

/** A scenario over `traces` generated Markov traces, written next to the video; returns its path. */
export function writeScenario(dir: string, body: string, file = 'scenario.yaml'): string {
  writeVideo(dir);
  const path = join(dir, file);
  writeFileSync(path, body);
  return path;
}

export const SWEEP_YAML = `name: sweep-test
seed: 42
video: video.json
traces:
  - generate: { generator: markov, seed: 5, durationMs: 60000 }
    count: 4
policies: [reference, bba]
variants:
  - name: base
  - name: small-buffer
    buffer: { targetMs: 12000, lowWaterMs: 8000 }
replicates: 2
devices:
  - { name: phone, maxHeightPx: 720, weight: 1 }
  - { name: tv, weight: 1 }
behaviour:
  seeks: { meanCount: 1, earliestMs: 5000 }
  earlyExit: { probability: 0.5, meanWatchMs: 20000, minWatchMs: 4000 }
  randomTraceOffset: true
output: { segments: false }
report: { timelines: 4, html: false }
`;
