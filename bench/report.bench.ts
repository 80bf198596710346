/**
 * The report at scale (issue 6): a synthetic 100,000-session results directory (3 groups on 1,000 traces, with
 * cost; made at run time in a temp dir by test/report/synthetic.ts) → writeReport. Prints the Node build time
 * and heap, the size of index.html (issue ceiling 10 MB) and Chromium's render time from navigation to every
 * chart drawn (issue ceiling 3 s), both with the page's own interactive layer present.
 *
 *   npx tsx bench/report.bench.ts [SESSIONS]      (or: npm run bench -- report)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { writeReport } from '../src/report/write-report.js';
import { syntheticTimeline, writeSyntheticDir } from '../test/report/synthetic.js';
import { machineLine } from './machine.js';

const SESSIONS = Number(process.argv[2] ?? 100_000);
const CHROMIUM = '/usr/bin/chromium';
const MAX_BYTES = 10_000_000;
const MAX_RENDER_MS = 3000;
const WAIT_MS = 30_000;

console.log(machineLine(`npx tsx bench/report.bench.ts ${SESSIONS}`));
const dir = await mkdtemp(path.join(tmpdir(), 'abrlab-report-bench-'));
try {
  let t0 = performance.now();
  await writeSyntheticDir(dir, { sessions: SESSIONS, traces: 1000 });
  const jsonl = (await stat(path.join(dir, 'results.jsonl'))).size;
  console.log(`synthetic directory: ${SESSIONS.toLocaleString('en-US')} sessions, results.jsonl ${(jsonl / 1e6).toFixed(1)} MB, made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const heapBefore = process.memoryUsage().heapUsed;
  t0 = performance.now();
  const written = await writeReport({ dir, resolveTimeline: syntheticTimeline });
  const buildMs = performance.now() - t0;
  const heapAfter = process.memoryUsage().heapUsed;
  const csv = (await stat(written.csv)).size;
  console.log(
    `writeReport (Node): ${(buildMs / 1000).toFixed(2)} s for ${written.sessions.toLocaleString('en-US')} sessions, ${written.charts.length} charts; ` +
      `heap ${(heapBefore / 2 ** 20).toFixed(0)} → ${(heapAfter / 2 ** 20).toFixed(0)} MiB (rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB)`,
  );
  console.log(
    `index.html: ${(written.htmlBytes / 1e6).toFixed(2)} MB (${written.interactive ? 'with' : 'without'} the interactive layer; ceiling ${MAX_BYTES / 1e6} MB) ${written.htmlBytes < MAX_BYTES ? 'OK' : 'OVER'}; results.csv ${(csv / 1e6).toFixed(1)} MB`,
  );

  if (!existsSync(CHROMIUM)) {
    console.log(`Chromium render: SKIPPED (${CHROMIUM} not found; apt-get install -y chromium)`);
  } else {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: WAIT_MS,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        page.setDefaultTimeout(WAIT_MS);
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const start = performance.now();
        await page.goto(pathToFileURL(written.html).href, { waitUntil: 'load' });
        // Every figure's SVG has drawn data marks (a string, so no tsx helper reaches the page).
        await page.waitForFunction(
          `Array.from(document.querySelectorAll('figure.chart > svg')).every((svg) => svg.querySelectorAll('g.role-mark path, g.role-mark rect, g.role-mark line').length > 0)`,
          undefined,
          { timeout: WAIT_MS },
        );
        // Layout and first paint of the whole page, not only the parse: ask for a frame after load.
        await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
        runs.push(performance.now() - start);
        const charts = await page.locator('figure.chart').count();
        if (i === 0) console.log(`Chromium: ${charts} charts on the page${errors.length > 0 ? `; page errors: ${errors.join('; ')}` : ''}`);
        await page.close();
      }
      const sorted = [...runs].sort((a, b) => a - b);
      const median = sorted[1] ?? Number.NaN;
      console.log(`Chromium render (navigation → all charts drawn → painted): ${runs.map((r) => `${r.toFixed(0)} ms`).join(', ')}; median ${median.toFixed(0)} ms (ceiling ${MAX_RENDER_MS} ms) ${median < MAX_RENDER_MS ? 'OK' : 'OVER'}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
