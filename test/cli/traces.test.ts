import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors.js';
import { tracesCommand } from '../../src/cli/traces.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'abrlab-traces-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `traces ...argv`, capturing what it prints. */
async function run(...argv: string[]): Promise<string> {
  let out = '';
  const cmd = tracesCommand({ stdout: (s) => void (out += s) })
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (out += s), writeErr: () => undefined });
  for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeErr: () => undefined });
  await cmd.parseAsync(argv, { from: 'user' });
  return out;
}

describe('abrlab traces', () => {
  it('convert: cooked in, abrlab JSON out (re-based, units converted)', async () => {
    const input = join(dir, 'in.txt');
    writeFileSync(input, '180 0.5\n185 1.0\n');
    const doc = JSON.parse(await run('convert', input)) as Record<string, unknown>;
    // 5 s steps; 0.5 Mbit/s = 500 kbps; last sample lasts the mean spacing (5 s).
    expect(doc).toEqual({ format: 'abrlab-trace', name: 'in', durationsMs: [5000, 5000], ratesKbps: [500, 1000] });
  });

  it('import writes the requested format to --out', async () => {
    const input = join(dir, 'sabre.json');
    writeFileSync(input, '[{"duration_ms": 2000, "bandwidth_kbps": 1500, "latency_ms": 20}]');
    const out = join(dir, 'out.csv');
    await run('import', input, '--to', 'csv', '--out', out);
    expect(readFileSync(out, 'utf8')).toBe('start_ms,duration_ms,rate_kbps,latency_ms\n0,2000,1500,20\n');
  });

  it('gen: a preset is reproducible from its seed', async () => {
    const a = await run('gen', '4g', '--seed', '3', '--duration-s', '30');
    const b = await run('gen', '4g', '--seed', '3', '--duration-s', '30');
    expect(a).toBe(b);
    const doc = JSON.parse(a) as { durationsMs: number[] };
    expect(doc.durationsMs.reduce((x, y) => x + y, 0)).toBeCloseTo(30_000, 6);
  });

  it('gen: --set fills generator fields, --spec reads YAML', async () => {
    const csv = await run('gen', 'steps', '--set', 'ratesKbps=[100,200]', '--set', 'stepMs=1000', '--to', 'csv');
    expect(csv).toBe('start_ms,duration_ms,rate_kbps\n0,1000,100\n1000,1000,200\n');
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, 'generator: constant\nrateKbps: 750\ndurationMs: 4000\n');
    const doc = JSON.parse(await run('gen', '--spec', spec)) as { ratesKbps: number[]; durationsMs: number[] };
    expect(doc.ratesKbps).toEqual([750]);
    expect(doc.durationsMs).toEqual([4000]);
  });

  it('stats --json: time-weighted figures of a small trace', async () => {
    const input = join(dir, 'st.csv');
    // 1 s at 0 and 3 s at 2000 kbps (periods layout): mean = 6e6 bits / 4000 ms = 1500 kbps.
    writeFileSync(input, 'duration_ms,rate_kbps\n1000,0\n3000,2000\n');
    const s = JSON.parse(await run('stats', '--json', input)) as Record<string, number>;
    expect(s['meanKbps']).toBe(1500);
    expect(s['outageCount']).toBe(1);
    expect(s['longestOutageMs']).toBe(1000);
    expect(s['shareBelow']).toBe(0.25);
  });

  it('stats prints a table by default', async () => {
    const input = join(dir, 'tab.txt');
    writeFileSync(input, '0 1\n1 2\n');
    expect(await run('stats', input)).toMatch(/^trace\s+dur_s\s+mean_kbps/);
  });

  it('plot writes an SVG', async () => {
    const input = join(dir, 'p.txt');
    writeFileSync(input, '0 1\n1 2\n2 0.5\n');
    const out = join(dir, 'p.svg');
    await run('plot', input, '--out', out, '--title', 'test plot');
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('test plot');
  });

  it('bad files and flags are InputErrors naming the problem', async () => {
    await expect(run('convert', join(dir, 'missing.txt'))).rejects.toThrow(InputError);
    const input = join(dir, 'ok.txt');
    writeFileSync(input, '0 1\n1 2\n');
    await expect(run('convert', input, '--from', 'bogus')).rejects.toThrow(/--from must be one of/);
    await expect(run('stats', input, '--below-kbps', '-5')).rejects.toThrow(/--below-kbps/);
    await expect(run('convert', input, '--bin-ms', '0.5')).rejects.toThrow(/--bin-ms must be a positive integer/);
    await expect(run('gen', 'warp-drive')).rejects.toThrow(/unknown generator "warp-drive"/);
    await expect(run('gen')).rejects.toThrow(InputError);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '0 1\n0 2\n');
    await expect(run('stats', bad)).rejects.toThrow(/bad\.txt:2/);
  });
});
