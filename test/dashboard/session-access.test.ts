import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isBackportError } from '../../src/errors.js';
import { githubAccess } from '../../src/dashboard/repo-access.js';
import { cookie, openSession, parseCookies, seal, unseal } from '../../src/dashboard/session-cookie.js';
import { FakeGitHub } from './fake-github.js';

describe('sealed session cookies', () => {
  const session = { token: 'tok-amy-1', login: 'amy', expiresAt: 2_000 };

  it('round-trip, and hide the token from the browser', () => {
    const sealed = seal(session, 'secret', 'session');
    expect(sealed).not.toContain('tok');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('tok-amy');
    expect(openSession(sealed, 'secret', 1_000)).toEqual(session);
  });

  it('are refused when expired, tampered with, sealed for another purpose or under another secret', () => {
    const sealed = seal(session, 'secret', 'session');
    expect(openSession(sealed, 'secret', 2_000)).toBeNull();
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    expect(openSession(bytes.toString('base64url'), 'secret', 1_000)).toBeNull();
    expect(unseal(seal(session, 'secret', 'oauth-state'), 'secret', 'session')).toBeUndefined();
    expect(openSession(sealed, 'other secret', 1_000)).toBeNull();
    expect(openSession('garbage', 'secret', 1_000)).toBeNull();
  });

  it('parses and writes cookie headers', () => {
    expect(parseCookies('a=1; b=x=y;c ; a=2')).toEqual({ a: '1', b: 'x=y' });
    expect(cookie('n', 'v', { path: '/backport', secure: true, maxAge: 60 })).toBe(
      'n=v; Path=/backport; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
  });
});

describe('GitHub access checks', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await new FakeGitHub().start();
    github.readers.set('acme/secret', new Set(['amy']));
  });
  afterAll(() => github.stop());

  it('asks GitHub with the person’s token, and reuses the answer for a minute', async () => {
    let now = 0;
    const access = githubAccess({ apiUrl: `${github.url}/api/v3`, isPublic: () => false, now: () => now });
    const before = github.requests.length;
    expect(await access.canRead('tok-amy-1', 'acme/secret')).toBe(true);
    expect(await access.canRead('tok-eve-2', 'acme/secret')).toBe(false);
    expect(await access.canRead('tok-amy-1', 'acme/secret')).toBe(true);
    expect(github.requests.length - before).toBe(2);
    now = 60_001;
    expect(await access.canRead('tok-amy-1', 'acme/secret')).toBe(true);
    expect(github.requests.length - before).toBe(3);
  });

  it('reports outages and rate limits instead of answering', async () => {
    const access = githubAccess({ apiUrl: `${github.url}/api/v3`, isPublic: () => false });
    for (const [status, code] of [
      [500, 'github-error'],
      [429, 'rate-limited'],
    ] as const) {
      github.failRepos = status;
      let caught: unknown;
      await access.canRead(`tok-amy-${status}`, 'acme/secret').catch((err: unknown) => (caught = err));
      expect(isBackportError(caught, code)).toBe(true);
    }
    github.failRepos = null;
  });
});
