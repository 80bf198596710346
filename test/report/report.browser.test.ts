/**
 * The full report (writeReport) in Debian's Chromium through playwright-core: no console error, no request but
 * the page, every chart with drawn marks, the interactive view working offline. Screenshots go to reports/
 * (git-ignored) for a look by eye. Skipped, saying why, where /usr/bin/chromium is absent.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { syntheticTimeline, writeSyntheticDir } from './synthetic.js';

/** Debian's Chromium (TOOLCHAIN.md §3); .ci/run installs it. playwright-core never downloads a browser. */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const suiteName = hasChromium
  ? 'report in headless Chromium'
  : `report in headless Chromium (SKIPPED: ${CHROMIUM} not found; install it with apt-get install -y chromium)`;
const WAIT_MS = 10_000;

/** Flags of TOOLCHAIN.md §3: no sandbox (CI containers), no GPU, and nothing that talks to the network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** page.evaluate has no timeout of its own (TOOLCHAIN.md §3b): race it. */
async function bounded<T>(what: string, work: Promise<T>, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Drawn marks per chart: path / rect / line / symbol elements inside Vega's data-mark groups (role-mark; axes and
 * legends have their own roles). A string, not a function, so tsx's __name helper never reaches the page (§3a).
 */
const COUNT_MARKS = `Array.from(document.querySelectorAll('figure.chart')).map((fig) => {
  const svg = fig.classList.contains('is-live') ? fig.querySelector('.live svg') : fig.querySelector(':scope > svg');
  return { id: fig.id, marks: svg ? svg.querySelectorAll('g.role-mark path, g.role-mark rect, g.role-mark line, g.role-mark symbol').length : 0 };
})`;

const REPORTS_DIR = path.resolve('reports');

describe.skipIf(!hasChromium)(suiteName, () => {
  let context: BrowserContext | undefined;
  let dir = '';
  let profile = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'abrlab-full-report-'));
    profile = await mkdtemp(path.join(tmpdir(), 'abrlab-chromium-profile-'));
    await mkdir(REPORTS_DIR, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: WAIT_MS,
      args: CHROMIUM_ARGS,
      viewport: { width: 1200, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    for (const d of [dir, profile]) if (d !== '') await rm(d, { recursive: true, force: true });
  });

  async function open(file: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    if (!context) throw new Error('browser did not start');
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.setDefaultNavigationTimeout(WAIT_MS);
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  it('three groups: every chart draws marks, the interactive view works offline, no console error', async () => {
    const out = path.join(dir, 'three');
    await writeSyntheticDir(out, { sessions: 900, traces: 300 });
    const written = await writeReport({ dir: out, resolveTimeline: syntheticTimeline });
    const { page, problems, requests } = await open(written.html);

    const charts = await bounded('count marks', page.evaluate(COUNT_MARKS) as Promise<{ id: string; marks: number }[]>);
    // CDF, scatter, switch histogram, cost, and best/median/worst of three groups.
    expect(charts.map((c) => c.id)).toEqual([
      'chart-qoe-cdf', 'chart-tradeoff', 'chart-switches', 'chart-cost',
      ...[1, 2, 3].flatMap((g) => ['best', 'median', 'worst'].map((k) => `chart-timeline-${g}-${['reference', 'bola', 'robust-mpc'][g - 1]}-${k}`)),
    ]);
    for (const c of charts) expect(c.marks, c.id).toBeGreaterThan(0);
    // The scatter's dots: one symbol per sampled session (300 per group) plus three group means.
    expect(charts[1]?.marks).toBeGreaterThanOrEqual(900 + 3);
    expect(await page.locator('table.summary:not(.pensieve) tbody.metric').count()).toBe(9);
    // The worst session's stalls are shaded: a visible band in the rate panel.
    const stall = await page.locator('#chart-timeline-1-reference-worst g.rate_stalls_marks path').first().boundingBox();
    expect(stall?.width ?? 0).toBeGreaterThan(1);
    await page.screenshot({ path: path.join(REPORTS_DIR, 'report-browser.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(REPORTS_DIR, 'report-browser-dark.png'), fullPage: false });
    await page.emulateMedia({ colorScheme: 'light' });

    // The live view: the bundles are evaluated on the first press, from the page itself.
    await page.locator('#chart-tradeoff button.interact').click();
    await page.locator('#chart-tradeoff[data-live="drawn"]').waitFor({ timeout: WAIT_MS });
    const live = await bounded('count live marks', page.evaluate(COUNT_MARKS) as Promise<{ id: string; marks: number }[]>);
    expect(live.find((c) => c.id === 'chart-tradeoff')?.marks).toBe(charts[1]?.marks);
    await page.locator('#chart-tradeoff').screenshot({ path: path.join(REPORTS_DIR, 'report-browser-live.png') });

    expect(requests).toEqual([pathToFileURL(written.html).href]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('two groups on the same traces: the A/B section draws its charts and shows the decision', async () => {
    const out = path.join(dir, 'two');
    await writeSyntheticDir(out, { sessions: 400, traces: 100, policies: 2, cost: false });
    const written = await writeReport({ dir: out, resolveTimeline: syntheticTimeline, interactive: false });
    const { page, problems, requests } = await open(written.html);
    const charts = await bounded('count marks', page.evaluate(COUNT_MARKS) as Promise<{ id: string; marks: number }[]>);
    expect(charts.map((c) => c.id)).toContain('chart-ab-metrics');
    expect(charts.map((c) => c.id)).toContain('chart-ab-per-trace');
    expect(charts.map((c) => c.id)).not.toContain('chart-cost');
    for (const c of charts) expect(c.marks, c.id).toBeGreaterThan(0);
    expect(await page.locator('#ab-decision strong').textContent()).toMatch(/^(Roll out the treatment|Keep the control)$/);
    await page.locator('#ab').screenshot({ path: path.join(REPORTS_DIR, 'report-browser-ab.png') });
    expect(requests).toEqual([pathToFileURL(written.html).href]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
