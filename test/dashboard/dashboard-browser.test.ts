// The dashboard in a real headless Chromium: pages render from a seeded store, links lead
// where they should (sign-in included), and the latency chart matches a checked-in picture.
//
// To accept a new chart picture after an intended change, run:
//   UPDATE_SCREENSHOTS=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/dashboard/dashboard-browser
// and commit test/dashboard/__screenshots__/latency-chart.png.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import type { RunningDashboard } from './dashboard-server.js';
import { startSeededDashboard } from './dashboard-server.js';
import { decodePng, differingShare } from './png.js';
import { PRIVATE_REPO } from '../ledger/seed.js';

const BASELINE = join(dirname(fileURLToPath(import.meta.url)), '__screenshots__', 'latency-chart.png');
/** Anti-aliasing may move a few edge pixels between Chromium builds; layout changes move many. */
const TOLERANCE = 0.001;

let dash: RunningDashboard;
let stop: (() => Promise<void>) | undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ dash, stop } = await startSeededDashboard());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
});
afterAll(async () => {
  await browser?.close();
  await stop?.();
});

describe('dashboard in Chromium', () => {
  it('renders the repository list and follows a link to a repository page', async () => {
    await page.goto(`${dash.url}/backport/`);
    expect(await page.title()).toBe('Backport status');
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'acme/widgets' }).click();
    await page.waitForURL(`${dash.url}/backport/acme/widgets`);
    expect(await page.locator('h1').innerText()).toBe('acme/widgets');
    expect(await page.locator('section.branch h2').allInnerTexts()).toEqual(['Branch v1.2', 'Branch v1.3']);
    const chart = page.getByRole('img', { name: 'Backport latency per branch' });
    const box = await chart.boundingBox();
    expect(box?.width).toBe(720);
    expect(await page.locator('figure svg g.series').count()).toBe(2);
  });

  it('links PRs, issues and commits to GitHub and branches to their sections', async () => {
    await page.goto(`${dash.url}/backport/acme/widgets`);
    const v12 = page.locator('#branch-v1\\.2');
    const openPrs = v12.locator('table', { has: page.locator('caption', { hasText: 'Open backport PRs' }) });
    expect(await openPrs.getByRole('link', { name: '#41' }).getAttribute('href')).toBe(
      'https://github.com/acme/widgets/pull/41',
    );
    expect(await openPrs.locator('.checks').innerText()).toBe('failing');
    expect(await v12.getByRole('link', { name: '#43' }).first().getAttribute('href')).toBe(
      'https://github.com/acme/widgets/issues/43',
    );
    await page.getByRole('navigation', { name: 'Branches' }).getByRole('link', { name: 'v1.3' }).click();
    expect(page.url()).toBe(`${dash.url}/backport/acme/widgets#branch-v1.3`);
    expect(await page.locator('#branch-v1\\.3').isVisible()).toBe(true);
    // Every link of ours answers; GitHub links are well-formed (the test has no internet).
    const hrefs = await page
      .locator('a')
      .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    for (const href of new Set(hrefs)) {
      const url = new URL(href);
      if (url.origin === dash.url && !url.pathname.endsWith('/login')) {
        expect([href, (await page.request.get(href, { maxRedirects: 0 })).status()]).toEqual([
          href,
          expect.any(Number),
        ]);
        expect((await page.request.get(href, { maxRedirects: 0 })).status()).toBeLessThan(400);
      } else if (url.origin !== dash.url) {
        expect(url.origin).toBe('https://github.com');
      }
    }
  });

  it('signs in with GitHub and then shows the private repository', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(`${dash.url}/backport/${PRIVATE_REPO}`);
    expect(await p.locator('h1').innerText()).toBe('Not found');
    await p.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await p.waitForURL(`${dash.url}/backport/${PRIVATE_REPO}`);
    expect(await p.locator('h1').innerText()).toBe(`${PRIVATE_REPO} private`);
    expect(await p.locator('header').innerText()).toContain('Signed in as amy');
    await p.getByRole('link', { name: 'Backport status' }).click();
    expect(await p.locator('tbody tr').count()).toBe(2);
    await context.close();
  });

  it('draws the latency chart as in the checked-in screenshot', async () => {
    await page.goto(`${dash.url}/backport/acme/widgets`);
    const shot = await page.locator('figure svg').screenshot();
    if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(BASELINE)) {
      if (process.env.UPDATE_SCREENSHOTS !== '1') {
        throw new Error(`No baseline at ${BASELINE}; run with UPDATE_SCREENSHOTS=1 to create it.`);
      }
      mkdirSync(dirname(BASELINE), { recursive: true });
      writeFileSync(BASELINE, shot);
    }
    const share = differingShare(decodePng(shot), decodePng(readFileSync(BASELINE)));
    if (share > TOLERANCE) {
      const actual = join(mkdtempSync(join(tmpdir(), 'latency-chart-')), 'actual.png');
      writeFileSync(actual, shot);
      throw new Error(
        `The chart differs from ${BASELINE} in ${(share * 100).toFixed(2)}% of pixels; see ${actual}. ` +
          'If the change is intended, rerun with UPDATE_SCREENSHOTS=1.',
      );
    }
    // The comparison can tell charts apart: a branch's line gone missing is beyond the tolerance.
    await page
      .locator('figure svg g.series')
      .last()
      .evaluate((g: { setAttribute(name: string, value: string): void }) =>
        g.setAttribute('display', 'none'),
      );
    const changed = await page.locator('figure svg').screenshot();
    expect(differingShare(decodePng(changed), decodePng(readFileSync(BASELINE)))).toBeGreaterThan(TOLERANCE);
  });
});
