// The dashboard as the running app serves it (Probot's server, addHandler), against the
// simulated GitHub: a public repository is open to anyone; a private one is a 404 unless the
// visitor signed in with GitHub and GitHub says they can read it. Over plain HTTP, then in a
// real headless Chromium through the whole sign-in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { repoJson } from '../../tools/github-sim/serialize-core.js';
import { examplePayload, withOverrides } from '../../tools/github-sim/index.js';
import { launchChromium } from '../dashboard/chromium.js';
import { decodePng, differingShare } from '../dashboard/png.js';
import { comparableLedger, startLedgerHarness, type LedgerHarness } from './ledger-harness.js';

const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

let h: LedgerHarness;

/** A repository with one merged backport to v1.2 (a point on its chart) and one open. */
async function repoWithBackports(name: string, isPrivate: boolean): Promise<void> {
  const { sim } = h;
  const repo = `acme/${name}`;
  await sim.createRepo({ owner: 'acme', name, private: isPrivate });
  await sim.commitFiles(repo, { branch: 'main', files: { 'a.c': lines(40) }, message: 'initial' });
  await sim.createBranch(repo, 'v1.2', 'main');
  sim.addCollaborator(repo, 'maint', 'maintain');
  for (const line of [5, 25]) {
    await sim.commitFiles(repo, {
      branch: `fix-${line}`,
      files: { 'a.c': lines(40, { [line]: `line ${line} fixed` }) },
      message: `fix: line ${line}`,
      author: 'maint',
    });
    const n = await sim.createPull({
      repo,
      head: `fix-${line}`,
      base: 'main',
      title: `Fix line ${line} of ${name}`,
      user: 'maint',
      labels: ['backport-to: v1.2'],
    });
    await sim.mergePull({ repo, number: n, method: 'squash', mergedBy: 'maint' });
    await h.settle();
  }
  const first = sim.pulls(repo).find((p) => p.pull?.baseRef === 'v1.2')!;
  await sim.mergePull({ repo, number: first.number, method: 'merge', mergedBy: 'maint' });
  await h.settle();
}

/** Signs in through the app's /login, GitHub's authorize page and the app's /callback. */
async function signIn(login: string, back = '/backport/'): Promise<string> {
  h.sim.oauthLoginAs = login;
  const start = await fetch(`${h.url}/backport/login?return=${encodeURIComponent(back)}`, {
    redirect: 'manual',
  });
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin + authorize.pathname).toBe(`${h.sim.apiUrl}/login/oauth/authorize`);
  const state = cookie(start, 'backport_oauth');
  const github = await fetch(authorize, { redirect: 'manual' });
  expect(github.status).toBe(302);
  const callback = await fetch(github.headers.get('location')!, {
    redirect: 'manual',
    headers: { cookie: state },
  });
  expect([callback.status, callback.headers.get('location')]).toEqual([303, back]);
  return cookie(callback, 'backport_session');
}

function cookie(res: Response, name: string): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!set) throw new Error(`no ${name} cookie`);
  return set.split(';')[0]!;
}

async function get(path: string, session?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${h.url}${path}`, {
    headers: session ? { cookie: session } : {},
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  h = await startLedgerHarness();
  await repoWithBackports('widgets', false);
  await repoWithBackports('secret', true);
  h.sim.addCollaborator('acme/secret', 'carol', 'read');
  h.sim.addUser('dave');
});
afterAll(() => h?.stop());

describe('dashboard access over HTTP', () => {
  it('shows a public repository to anyone, and hides a private one', async () => {
    const list = await get('/backport/');
    expect(list.status).toBe(200);
    expect(list.text).toContain('acme/widgets');
    expect(list.text).not.toContain('acme/secret');
    const page = await get('/backport/acme/widgets');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Fix line 25 of widgets');
    for (const path of [
      '/backport/acme/secret',
      '/backport/acme/secret/latency.svg',
      '/backport/acme/nothing',
    ]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.text).not.toContain('Fix line');
    }
  });

  it('keeps a private repository hidden from a signed-in person who cannot read it', async () => {
    const session = await signIn('dave');
    const list = await get('/backport/', session);
    expect(list.text).toContain('Signed in as dave');
    expect(list.text).not.toContain('acme/secret');
    const page = await get('/backport/acme/secret', session);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('Fix line');
  });

  it('shows it to a collaborator, and not to a forged or tampered cookie', async () => {
    const session = await signIn('carol', '/backport/acme/secret');
    const page = await get('/backport/acme/secret', session);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Fix line 25 of secret');
    expect(page.text).toContain('<span class="badge">private</span>');
    expect((await get('/backport/acme/secret/latency.svg', session)).status).toBe(200);

    const [name, value] = session.split('=') as [string, string];
    // One character changed in the middle, where each carries six bits of the sealed bytes.
    // (The last two, as before, could give the same cookie back: a value ending "…BA" was
    // turned into "…BA", and the final character also holds spare bits. A loaded run met it.)
    const at = Math.floor(value.length / 2);
    const tampered = `${name}=${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
    expect(Buffer.from(tampered.slice(name.length + 1), 'base64url')).not.toEqual(
      Buffer.from(value, 'base64url'),
    );
    expect((await get('/backport/acme/secret', tampered)).status).toBe(404);
    expect((await get('/backport/acme/secret', 'backport_session=not-a-session')).status).toBe(404);
    // Signed out again: hidden again.
    const out = await fetch(`${h.url}/backport/logout`, { redirect: 'manual', headers: { cookie: session } });
    expect(out.headers.getSetCookie()[0]).toMatch(/^backport_session=; .*Max-Age=0/);
  });

  it('refuses a sign-in whose code was already used, or that GitHub did not complete', async () => {
    h.sim.oauthLoginAs = 'carol';
    const start = await fetch(`${h.url}/backport/login`, { redirect: 'manual' });
    const state = cookie(start, 'backport_oauth');
    const github = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = github.headers.get('location')!;
    expect((await fetch(callback, { redirect: 'manual', headers: { cookie: state } })).status).toBe(303);
    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: state } });
    expect(replay.status).toBe(502);
    expect(replay.headers.getSetCookie()).toEqual([]);
    expect(await replay.text()).toContain('GitHub did not accept the sign-in');

    h.sim.oauthLoginAs = undefined;
    const again = await fetch(`${h.url}/backport/login`, { redirect: 'manual' });
    const page = await fetch(again.headers.get('location')!, { redirect: 'manual' });
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('Sign in to GitHub')]);
  });

  it('hides a repository as soon as GitHub says it was made private', async () => {
    expect((await get('/backport/acme/widgets')).status).toBe(200);
    const repo = h.sim.state.repo('acme/widgets')!;
    repo.private = true;
    const payload = withOverrides(examplePayload('repository', 'privatized'), {
      repository: repoJson(repo, h.sim.state, h.sim.urls),
      installation: { id: h.sim.installationId('acme') },
    });
    expect(await h.sim.deliver('repository', payload)).toBe(200);
    expect((await get('/backport/acme/widgets')).status).toBe(404);
    repo.private = false;
    const back = withOverrides(examplePayload('repository', 'publicized'), {
      repository: repoJson(repo, h.sim.state, h.sim.urls),
      installation: { id: h.sim.installationId('acme') },
    });
    expect(await h.sim.deliver('repository', back)).toBe(200);
    expect((await get('/backport/acme/widgets')).status).toBe(200);
  });

  it('forgets a repository the app is removed from, and reads it back when added again', async () => {
    const repo = h.sim.state.repo('acme/widgets')!;
    const change = (action: 'removed' | 'added') =>
      withOverrides(examplePayload('installation_repositories', action), {
        installation: { id: h.sim.installationId('acme') },
        repositories_added: action === 'added' ? [repoJson(repo, h.sim.state, h.sim.urls)] : [],
        repositories_removed: action === 'removed' ? [repoJson(repo, h.sim.state, h.sim.urls)] : [],
      });
    const before = comparableLedger(await h.ledger.store.ledger('acme/widgets'));
    expect(await h.sim.deliver('installation_repositories', change('removed'))).toBe(200);
    expect(await h.ledger.store.ledger('acme/widgets')).toEqual([]);
    expect((await get('/backport/acme/widgets')).status).toBe(404);
    expect(await h.sim.deliver('installation_repositories', change('added'))).toBe(200);
    await h.settle();
    expect(comparableLedger(await h.ledger.store.ledger('acme/widgets'))).toEqual(before);
    expect((await get('/backport/acme/widgets')).status).toBe(200);
  });

  it('asked GitHub who signed in once per completed sign-in, all on spec', () => {
    expect(h.sim.requestLog.filter((r) => r.operationId === 'users/get-authenticated')).toHaveLength(3);
    // Three sign-ins, and one replayed code GitHub refused.
    expect(h.sim.requestLog.filter((r) => r.operationId === 'oauth/access-token')).toHaveLength(4);
    expect(h.sim.violations).toEqual([]);
  });
});

describe('dashboard in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('signs in with GitHub, shows the private page, and its links work', async () => {
    const context = await browser.newContext({
      viewport: { width: 1200, height: 900 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    h.sim.oauthLoginAs = 'carol';
    await page.goto(`${h.url}/backport/acme/secret`);
    expect(await page.locator('h1').innerText()).toBe('Not found');
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await page.waitForURL(`${h.url}/backport/acme/secret`);
    expect(await page.locator('h1').innerText()).toBe('acme/secret private');
    expect(await page.locator('header').innerText()).toContain('Signed in as carol');
    expect(await page.locator('section.branch h2').allInnerTexts()).toEqual(['Branch v1.2']);

    const v12 = page.locator('#branch-v1\\.2');
    const openPrs = v12.locator('table', { has: page.locator('caption', { hasText: 'Open backport PRs' }) });
    const open = h.sim.pulls('acme/secret').find((p) => p.pull?.baseRef === 'v1.2' && p.state === 'open')!;
    expect(await openPrs.getByRole('link', { name: `#${open.number}` }).getAttribute('href')).toBe(
      `${h.sim.apiUrl}/acme/secret/pull/${open.number}`,
    );
    expect(await page.locator('ol.oldest li').count()).toBe(1);
    // Our own links answer; GitHub's point at the (simulated) GitHub.
    const hrefs = await page
      .locator('a')
      .evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    for (const href of new Set(hrefs)) {
      const url = new URL(href);
      if (url.origin === h.url && !/\/(login|logout)$/.test(url.pathname)) {
        expect([href, (await page.request.get(href, { maxRedirects: 0 })).status()]).toEqual([href, 200]);
      } else if (url.origin !== h.url) {
        expect(url.origin).toBe(h.sim.apiUrl);
      }
    }
    await page.getByRole('link', { name: 'Backport status' }).click();
    expect(await page.locator('tbody tr').count()).toBe(2);
    await context.close();
  });

  it('draws the latency of the merged backport on the chart', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(`${h.url}/backport/acme/widgets`);
    const chart = page.getByRole('img', { name: 'Backport latency per branch' });
    expect((await chart.boundingBox())?.width).toBe(720);
    expect(await page.locator('figure svg g.series[data-branch="v1.2"] circle').count()).toBe(1);
    const shot = decodePng(await page.locator('figure svg').screenshot());
    // The point is really painted: hiding the series changes the picture.
    await page
      .locator('figure svg g.series')
      .evaluate((g: { setAttribute(name: string, value: string): void }) =>
        g.setAttribute('display', 'none'),
      );
    const hidden = decodePng(await page.locator('figure svg').screenshot());
    expect(differingShare(shot, hidden)).toBeGreaterThan(0);
    await page.close();
  });
});
