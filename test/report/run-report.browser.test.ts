import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunReport } from '../../src/report/run-report.js';
import { sessionA, sessionB, sessionC, sessionD } from './fixtures.js';

/** Debian's Chromium (TOOLCHAIN.md §3); .ci/run installs it. playwright-core never downloads a browser. */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const suiteName = hasChromium
  ? 'run report in headless Chromium (smoke)'
  : `run report in headless Chromium (SKIPPED: ${CHROMIUM} not found; install it with apt-get install -y chromium)`;
const WAIT_MS = 10_000;

describe.skipIf(!hasChromium)(suiteName, () => {
  let browser: Browser | undefined;
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'abrlab-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: WAIT_MS,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('shows both charts and the table, requests nothing but the page and logs no error', async () => {
    if (!browser) throw new Error('browser did not start');
    const html = await renderRunReport({
      name: 'browser smoke',
      version: '0.1.0',
      command: 'abrlab run smoke.yaml',
      seed: 7,
      results: [sessionA, sessionB, sessionC, sessionD],
      timelines: [sessionA, sessionB],
    });
    const file = path.join(dir, 'index.html');
    await writeFile(file, html);
    const pageUrl = pathToFileURL(file).href;

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    page.setDefaultNavigationTimeout(WAIT_MS);
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(pageUrl, { waitUntil: 'load' });
    const charts = page.locator('figure.chart > svg');
    await expect.poll(() => charts.count(), { timeout: WAIT_MS }).toBe(2);
    for (let i = 0; i < 2; i++) {
      const box = await charts.nth(i).boundingBox();
      // Each chart is 720 px of plot plus axes and legend; the page is 1100 px wide, so it shows near full size.
      expect(box?.width ?? 0).toBeGreaterThan(700);
      expect(box?.height ?? 0).toBeGreaterThan(300);
    }
    expect(await page.locator('table.summary tbody tr').count()).toBe(2);
    expect(await page.locator('h1').textContent()).toBe('browser smoke');
    // The stall is visible: its rect is in the DOM with a non-zero rendered size.
    const stall = await page.locator('#timeline-1 g.rate_stalls_marks path').boundingBox();
    expect(stall?.width ?? 0).toBeGreaterThan(10);

    expect(requests).toEqual([pageUrl]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
