/** `abrlab report DIR` end to end, and the interactive layer's escaping. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeScriptText } from '../../src/report/embed.js';
import { csvField } from '../../src/report/csv.js';
import { runCli } from '../helpers/cli.js';
import { sessionC, sessionD } from './fixtures.js';
import { writeSyntheticDir } from './synthetic.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'abrlab-report-cli-'));
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('abrlab report DIR', () => {
  it('re-renders index.html, results.csv and the charts from the directory alone', async () => {
    const dir = path.join(root, 'ok');
    await mkdir(dir);
    await writeFile(path.join(dir, 'results.jsonl'), `${JSON.stringify(sessionC)}\n${JSON.stringify(sessionD)}\n`);
    await writeFile(path.join(dir, 'summary.json'), JSON.stringify({ abrlab: '0.1.0', kind: 'run', scenario: 'two', seed: 3, command: 'abrlab run two.yaml' }));
    const { code, stdout, stderr } = await runCli(['report', dir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^2 sessions → .*index\.html \(\d+ KiB, interactive\)/);
    for (const f of ['index.html', 'results.csv', 'charts/qoe-cdf.svg', 'charts/tradeoff.svg', 'charts/switches.svg']) expect(existsSync(path.join(dir, f)), f).toBe(true);
    // Two sessions, one header line.
    expect((await readFile(path.join(dir, 'results.csv'), 'utf8')).trim().split('\n')).toHaveLength(3);

    const html = await readFile(path.join(dir, 'index.html'), 'utf8');
    // Every <script> element closes where it should: the bundles' own "</script" strings are escaped, so the
    // count of openings and closings match, and none has a src (nothing is fetched).
    const opens = html.match(/<script\b[^>]*>/g) ?? [];
    expect(opens.length).toBe(html.match(/<\/script>/g)?.length);
    expect(opens.filter((o) => / src=/.test(o))).toEqual([]);
    expect(opens.filter((o) => o.includes('type="text/plain"'))).toHaveLength(3);
  });

  it('exits 2 with one clear line for a missing directory or one that is not a results directory', async () => {
    const missing = path.join(root, 'missing');
    const a = await runCli(['report', missing]);
    expect(a.code).toBe(2);
    expect(a.stderr).toBe(`abrlab: ${missing}: no such results directory; give the --out directory of abrlab run, compare, ab or gate\n`);
    const b = await runCli(['report', root]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/no results\.jsonl here/);
    const c = await runCli(['report']);
    expect(c.code).toBe(2);
  });

  it('--no-interactive leaves every script out', async () => {
    const dir = path.join(root, 'plain');
    await writeSyntheticDir(dir, { sessions: 30, traces: 10 });
    const { code } = await runCli(['report', dir, '--no-interactive', '--quiet']);
    expect(code).toBe(0);
    expect(await readFile(path.join(dir, 'index.html'), 'utf8')).not.toMatch(/<script/i);
  });
});

describe('escaping', () => {
  it('escapes what would end or derail an HTML script element, and nothing else', () => {
    expect(escapeScriptText('a="</script>";b="</SCRIPT";c="<!--";d="<scriptx>"')).toBe('a="<\\/script>";b="<\\/SCRIPT";c="<\\!--";d="<scriptx>"');
  });

  it('quotes CSV fields per RFC 4180 only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(0.1)).toBe('0.1');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(undefined)).toBe('');
  });
});
