import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { seal } from '../../src/dashboard/session-cookie.js';
import type { RunningDashboard } from './dashboard-server.js';
import { startSeededDashboard } from './dashboard-server.js';
import type { FakeGitHub } from './fake-github.js';
import { PRIVATE_REPO } from '../ledger/seed.js';

let github: FakeGitHub;
let dash: RunningDashboard;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ dash, github, stop } = await startSeededDashboard());
});
afterAll(() => stop());
beforeEach(() => {
  github.signInAs = 'amy';
  github.failRepos = null;
});

const get = (path: string, cookie?: string, method = 'GET') =>
  fetch(`${dash.url}${path}`, { method, redirect: 'manual', headers: cookie ? { cookie } : {} });

/** Follows the OAuth web flow by hand, as a browser would, and returns the session cookie. */
async function signIn(returnTo = '/backport/'): Promise<{ cookie: string; location: string }> {
  const login = await get(`/backport/login?return=${encodeURIComponent(returnTo)}`);
  expect(login.status).toBe(303);
  const stateCookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const authorize = new URL(login.headers.get('location')!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${github.url}/login/oauth/authorize`);
  expect(authorize.searchParams.get('client_id')).toBe('cid');
  const atGitHub = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(atGitHub.headers.get('location')!);
  const done = await get(`${callback.pathname}${callback.search}`, stateCookie);
  expect(done.status).toBe(303);
  const session = done.headers.getSetCookie().find((c) => c.startsWith('backport_session='))!;
  expect(session).toMatch(/HttpOnly; SameSite=Lax/);
  return { cookie: session.split(';')[0]!, location: done.headers.get('location')! };
}

describe('dashboard handler', () => {
  it('lists only public repositories to an anonymous visitor', async () => {
    const res = await get('/backport/');
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toMatch(/<a href="\/backport\/acme\/widgets">acme\/widgets<\/a\s*>/);
    expect(body).not.toContain('secret-sauce');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('serves a public repository page and its chart without sign-in', async () => {
    const page = await (await get('/backport/acme/widgets')).text();
    expect(page).toMatch(/<h2>Branch <code>v1\.2<\/code><\/h2>/);
    expect(page).toContain('<svg');
    expect(page).toContain('Fix &lt;b&gt;bold&lt;/b&gt; | pipes @octocat');
    const svg = await get('/backport/ACME/Widgets/latency.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await svg.text()).toMatch(/^<svg[^>]*role="img"/);
  });

  it('answers a private repository exactly like a missing one when the visitor cannot read it', async () => {
    const hidden = await get(`/backport/${PRIVATE_REPO}`);
    const missing = await get('/backport/acme/no-such-repo');
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    // Identical but for the page's own path in the sign-in link.
    const same = (text: string, path: string) => text.replaceAll(encodeURIComponent(path), 'PATH');
    expect(same(await hidden.text(), `/backport/${PRIVATE_REPO}`)).toBe(
      same(await missing.text(), '/backport/acme/no-such-repo'),
    );
    expect((await get(`/backport/${PRIVATE_REPO}/latency.svg`)).status).toBe(404);

    github.signInAs = 'eve';
    const { cookie } = await signIn();
    const asEve = await get(`/backport/${PRIVATE_REPO}`, cookie);
    const missingAsEve = await get('/backport/acme/no-such-repo', cookie);
    expect(asEve.status).toBe(404);
    expect(await asEve.text()).toBe(await missingAsEve.text()); // signed in: no sign-in link
    expect(await (await get('/backport/', cookie)).text()).not.toContain('secret-sauce');
  });

  it('shows a private repository to a signed-in reader, checked with their own token', async () => {
    const { cookie, location } = await signIn(`/backport/${PRIVATE_REPO}`);
    expect(location).toBe(`/backport/${PRIVATE_REPO}`);
    const page = await get(location, cookie);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('Signed in as amy');
    expect(body).toContain('Secret fix');
    expect(await (await get('/backport/', cookie)).text()).toContain('secret-sauce');
    expect(github.requests).toContain('GET /api/v3/repos/acme/secret-sauce');
  });

  it('fails closed when GitHub cannot confirm access', async () => {
    const { cookie } = await signIn();
    github.failRepos = 500;
    // A fresh token, so no cached answer hides the outage.
    const other = await signIn();
    expect(other.cookie).not.toBe(cookie);
    const res = await get(`/backport/${PRIVATE_REPO}`, other.cookie);
    expect(res.status).toBe(404);
    expect(dash.errors.length).toBeGreaterThan(0);
  });

  it('rejects a callback whose state does not match, and a forged session', async () => {
    const res = await get('/backport/callback?code=code-amy&state=guess');
    expect(res.status).toBe(400);
    const forged = `backport_session=${seal({ token: 'tok-amy', login: 'amy', expiresAt: Date.now() + 1e6 }, 'wrong secret', 'session')}`;
    expect((await get(`/backport/${PRIVATE_REPO}`, forged)).status).toBe(404);
  });

  it('never redirects off-site after sign-in', async () => {
    expect((await signIn('https://evil.example/')).location).toBe('/backport/');
    expect((await signIn('//evil.example/backport/')).location).toBe('/backport/');
  });

  it('signs out', async () => {
    const res = await get('/backport/logout');
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie()[0]).toMatch(/^backport_session=; Path=\/backport; Max-Age=0/);
  });

  it('leaves other paths to other handlers, and only answers GET and HEAD', async () => {
    expect((await get('/backportx')).status).toBe(418);
    expect((await get('/')).status).toBe(418);
    expect((await get('/backport/', undefined, 'POST')).status).toBe(405);
    const head = await get('/backport/acme/widgets', undefined, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
