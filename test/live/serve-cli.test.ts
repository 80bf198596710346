import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServeFromFlags, type ServeFlags } from '../../src/cli/serve.js';
import { runCli } from '../helpers/cli.js';

const base: ServeFlags = { port: 0, faults: [], shape: 'link', seed: '1' };

function catalogFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'abrlab-serve-cli-'));
  const file = join(dir, 'title.json');
  writeFileSync(file, JSON.stringify({ name: 't', segmentDurationMs: 1000, segmentCount: 2, representations: [{ id: 'a', bitrateKbps: 300, width: 640, height: 360 }] }));
  return file;
}

describe('abrlab serve: flags', () => {
  it('needs exactly one of --catalog and --content (exit 2)', async () => {
    const none = await runCli(['serve', '--port', '0']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/exactly one of --catalog FILE .* or --content DIR/);
    const both = await runCli(['serve', '--catalog', 'a.json', '--content', '.']);
    expect(both.code).toBe(2);
  });

  it('a bad fault spec or a fault on a port not served is a user mistake', async () => {
    await expect(startServeFromFlags({ ...base, catalog: catalogFile(), faults: ['503=2'] })).rejects.toThrow(/probability 2/);
    await expect(startServeFromFlags({ ...base, catalog: catalogFile(), ports: [0], faults: ['9999:503=1'] })).rejects.toThrow(/port 9999 is not one of the ports served/);
  });

  it('a missing content directory is named in the error', async () => {
    await expect(startServeFromFlags({ ...base, content: join(tmpdir(), 'no-such-abrlab-dir') })).rejects.toThrow(/no-such-abrlab-dir: cannot open content directory/);
  });

  it('a port-prefixed fault applies to that port only', async () => {
    const probe = await startServeFromFlags({ ...base, catalog: catalogFile(), ports: [0] });
    const free = probe.ports[0] as number;
    await probe.close();
    const server = await startServeFromFlags({ ...base, catalog: catalogFile(), ports: [free, 0], faults: [`${free}:503=1`] });
    try {
      const [a, b] = server.urls as [string, string];
      expect((await fetch(a + 'v/a/1.m4s')).status).toBe(503);
      expect((await fetch(b + 'v/a/1.m4s')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
