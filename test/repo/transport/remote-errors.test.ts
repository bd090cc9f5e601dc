import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isBackportError } from '../../../src/errors.js';
import { fetchBranch, pushBranch, remoteTip, type RemoteAccess } from '../../../src/repo/git-remote.js';
import { listRemoteBranches } from '../../../src/repo/remote-branches.js';
import { simWorld, type SimWorld } from './transport-world.js';

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

/** Every message along the cause chain, where a token could hide. */
function allText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    parts.push(String(e.message), JSON.stringify(e));
  }
  return parts.join('\n');
}

describe('git transport failures', () => {
  let w: SimWorld;
  let gitdir: string;
  let tip: string;
  const badToken = 'ghs_not-a-real-token-0123456789';
  const bad = (): RemoteAccess => ({ url: w.remote.url, token: async () => badToken });

  beforeAll(async () => {
    w = await simWorld('acme', 'guarded');
    tip = await w.sim.commitFiles(w.repo, { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'one' });
    gitdir = await w.emptyRepo();
  });
  afterAll(() => w.close());

  it('sends the token with the first request, in the Authorization header only', async () => {
    const from = w.sim.requestLog.length;
    expect(await fetchBranch(gitdir, w.remote, 'main', { depth: 1 })).toBe(tip);
    const git = w.sim.requestLog.slice(from);
    // Protocol v2: the capabilities, `ls-refs`, then `fetch`.
    expect(git.map((r) => [r.operationId, r.status])).toEqual([
      ['git/info-refs', 200],
      ['git/upload-pack', 200],
      ['git/upload-pack', 200],
    ]);
    const token = await w.remote.token();
    for (const r of git) expect(r.path).not.toContain(token);
  });

  it('a bad token: each operation says the server answered 401, and never shows the token', async () => {
    const cases: [Promise<unknown>, string, string][] = [
      [fetchBranch(gitdir, bad(), 'main', { depth: 1 }), 'fetch-failed', 'Could not fetch main'],
      [remoteTip(bad(), 'main'), 'fetch-failed', 'Could not list main'],
      [
        pushBranch(gitdir, bad(), { branch: 'backport/1-to-v1', commit: tip, base: 'main', force: true }),
        'push-rejected',
        'Could not push backport/1-to-v1',
      ],
    ];
    for (const [promise, code, what] of cases) {
      const err = await failure(promise);
      expect(isBackportError(err, code as 'fetch-failed')).toBe(true);
      expect(err.message).toBe(`${what}: the server answered 401 Unauthorized.`);
      expect(allText(err)).not.toContain(badToken);
    }
    const listed = await failure(listRemoteBranches(bad()));
    expect(listed.message).toBe('Could not list the branches: the server answered 401.');
  });

  it('a repository the token cannot see: 404; a push to another owner’s repository: 403', async () => {
    await w.sim.createRepo({ owner: 'other', name: 'open' });
    await w.sim.commitFiles('other/open', { branch: 'main', files: { 'b.txt': 'b\n' }, message: 'b' });
    const hidden: RemoteAccess = {
      url: w.sim.cloneUrl('acme/guarded').replace('guarded', 'missing'),
      token: w.remote.token,
    };
    expect((await failure(fetchBranch(gitdir, hidden, 'main'))).message).toBe(
      'Could not fetch main: the server answered 404 Not Found.',
    );
    const foreign: RemoteAccess = { url: w.sim.cloneUrl('other/open'), token: w.remote.token };
    // Reading a public repository works with any valid token; writing does not.
    const theirs = await fetchBranch(gitdir, foreign, 'main', { depth: 1 });
    expect(theirs).toBeDefined();
    const push = await failure(
      pushBranch(gitdir, foreign, {
        branch: 'backport/1-to-main',
        commit: theirs!,
        base: 'main',
        force: true,
      }),
    );
    expect(push).toMatchObject({
      code: 'push-rejected',
      message: 'Could not push backport/1-to-main: the server answered 403 Forbidden.',
    });
  });

  it('a server error on the pack request names the status', async () => {
    w.sim.faults.add({ operationId: 'git/upload-pack', status: 500, times: 1 });
    expect((await failure(fetchBranch(gitdir, w.remote, 'main', { depth: 2 }))).message).toBe(
      'Could not fetch main: the server answered 500 Internal Server Error.',
    );
  });

  it('nothing listening: the network error code', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const gone: RemoteAccess = { url: `http://127.0.0.1:${port}/acme/guarded.git`, token: w.remote.token };
    expect((await failure(remoteTip(gone, 'main'))).message).toBe('Could not list main: ECONNREFUSED.');
  });

  it('a server that is not a git server says so', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const web: RemoteAccess = { url: `http://127.0.0.1:${port}/acme/guarded.git`, token: w.remote.token };
      expect((await failure(fetchBranch(gitdir, web, 'main'))).message).toBe(
        'Could not fetch main: the server does not speak smart HTTP.',
      );
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('follows a redirect of the ref listing within the same server, and no further', async () => {
    const target = new URL(w.remote.url);
    const seen: { path: string; auth: boolean }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ path: req.url!, auth: req.headers.authorization !== undefined });
      if (req.url!.startsWith('/old/name.git/info/refs')) {
        res.writeHead(301, { location: req.url!.replace('/old/name.git', '/acme/guarded.git') });
        res.end();
        return;
      }
      if (req.url!.startsWith('/elsewhere.git/info/refs')) {
        res.writeHead(302, {
          location: `${target.origin}/acme/guarded.git/info/refs?service=git-upload-pack`,
        });
        res.end();
        return;
      }
      // Everything else goes on to the simulated GitHub, as is.
      const upstream = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode!, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const moved: RemoteAccess = { url: `http://127.0.0.1:${port}/old/name.git`, token: w.remote.token };
      const fresh = await w.emptyRepo();
      expect(await fetchBranch(fresh, moved, 'main', { depth: 1 })).toBe(tip);
      expect(seen.map((s) => s.path.split('?')[0])).toEqual([
        '/old/name.git/info/refs',
        '/acme/guarded.git/info/refs',
        // `ls-refs` and `fetch` go where the capabilities were found.
        '/acme/guarded.git/git-upload-pack',
        '/acme/guarded.git/git-upload-pack',
      ]);
      const away: RemoteAccess = { url: `http://127.0.0.1:${port}/elsewhere.git`, token: w.remote.token };
      const requests = w.sim.stats.gitRequests;
      expect((await failure(remoteTip(away, 'main'))).message).toBe(
        'Could not list main: the server answered 302 Found.',
      );
      // The other origin was never asked, so it never saw the token.
      expect(w.sim.stats.gitRequests).toBe(requests);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('lists the branches of a remote with one request', async () => {
    await w.sim.createBranch(w.repo, 'v1.2', 'main');
    const from = w.sim.stats.gitRequests;
    expect(await listRemoteBranches(w.remote)).toEqual(['main', 'v1.2']);
    expect(w.sim.stats.gitRequests - from).toBe(1);
  });
});
