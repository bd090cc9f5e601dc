import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { gitCli, installationClient, tempDir } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

const author = { name: 'Tester', email: 'tester@example.com', timestamp: 1700000000, timezoneOffset: 0 };

describe('github-sim git smart HTTP through git http-backend', () => {
  let sim: GitHubSim;
  const tmp = tempDir('sim-git-');
  let token: string;
  let mainTip: string;

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    await sim.createRepo({ owner: 'acme', name: 'widgets' });
    await sim.createRepo({ owner: 'acme', name: 'secret', private: true });
    mainTip = await sim.commitFiles('acme/widgets', {
      branch: 'main',
      files: { 'a.txt': 'a\n' },
      message: 'init',
    });
    await sim.commitFiles('acme/secret', { branch: 'main', files: { 's.txt': 's\n' }, message: 'init' });
    await sim.createBranch('acme/widgets', 'v1.2', 'main');
    sim.protectBranch('acme/widgets', 'v1.2');
    token = sim.createInstallationToken('acme');
  });
  afterAll(async () => {
    await sim.stop();
    tmp.remove();
  });

  const onAuth = (t: string) => () => ({ username: 'x-access-token', password: t });

  it('clones a public repository anonymously with isomorphic-git and counts the bytes sent', async () => {
    const dir = join(tmp.path, 'public');
    const before = sim.stats.gitUploadBytes;
    await git.clone({ fs, http, dir, url: sim.cloneUrl('acme/widgets'), singleBranch: true, ref: 'main' });
    expect(await git.resolveRef({ fs, dir, ref: 'HEAD' })).toBe(mainTip);
    expect(sim.stats.gitUploadBytes).toBeGreaterThan(before);
    expect(sim.requestLog.filter((r) => r.operationId === 'git/upload-pack').length).toBeGreaterThan(0);
  });

  it('needs the installation token for a private repository and refuses a bad one with 401', async () => {
    const url = sim.cloneUrl('acme/secret');
    const anonymous = await git
      .getRemoteInfo({ http, url })
      .catch((e: { data?: { statusCode?: number } }) => e);
    expect(anonymous).toMatchObject({ data: { statusCode: 401 } });
    const bad = await git
      .getRemoteInfo({ http, url, onAuth: onAuth('ghs_bad') })
      .catch((e: { data?: { statusCode?: number } }) => e);
    expect(bad).toMatchObject({ data: { statusCode: 401 } });
    const dir = join(tmp.path, 'secret');
    await git.clone({ fs, http, dir, url, onAuth: onAuth(token) });
    expect(fs.readFileSync(join(dir, 's.txt'), 'utf8')).toBe('s\n');
  });

  it('fetches and pushes a new branch with isomorphic-git; the push is logged with its installation', async () => {
    const dir = join(tmp.path, 'push');
    await git.clone({ fs, http, dir, url: sim.cloneUrl('acme/widgets'), ref: 'main', singleBranch: true });
    await git.fetch({ fs, http, dir, ref: 'v1.2', singleBranch: true, onAuth: onAuth(token) });
    await git.branch({ fs, dir, ref: 'backport/1-to-v1.2', checkout: true });
    fs.writeFileSync(join(dir, 'b.txt'), 'b\n');
    await git.add({ fs, dir, filepath: 'b.txt' });
    const sha = await git.commit({ fs, dir, message: 'backport', author });
    const result = await git.push({
      fs,
      http,
      dir,
      ref: 'backport/1-to-v1.2',
      remoteRef: 'refs/heads/backport/1-to-v1.2',
      onAuth: onAuth(token),
    });
    expect(result.ok).toBe(true);
    expect((await sim.refs('acme/widgets'))['refs/heads/backport/1-to-v1.2']).toBe(sha);
    expect(sim.pushLog.at(-1)).toMatchObject({
      repo: 'acme/widgets',
      ref: 'refs/heads/backport/1-to-v1.2',
      old: '0000000000000000000000000000000000000000',
      new: sha,
      accepted: true,
      installationId: sim.installationId('acme'),
    });
    expect(sim.stats.gitReceiveBytes).toBeGreaterThan(0);
  });

  it('refuses pushes without a token (401) and to protected branches (logged, not applied)', async () => {
    const dir = join(tmp.path, 'push');
    const anonymous = await git
      .push({ fs, http, dir, ref: 'backport/1-to-v1.2', remoteRef: 'refs/heads/anon' })
      .catch((e: { data?: { statusCode?: number } }) => e);
    expect(anonymous).toMatchObject({ data: { statusCode: 401 } });
    const rejected = await git
      .push({ fs, http, dir, ref: 'backport/1-to-v1.2', remoteRef: 'refs/heads/v1.2', onAuth: onAuth(token) })
      .catch((e: { code?: string }) => e);
    expect(rejected).toMatchObject({ code: 'GitPushError' });
    expect((await sim.refs('acme/widgets'))['refs/heads/v1.2']).toBe(mainTip);
    expect(sim.pushLog.at(-1)).toMatchObject({ ref: 'refs/heads/v1.2', accepted: false });
  });

  it('serves the real git binary (clone with token, push, protected branch message)', async () => {
    const url = sim.cloneUrl('acme/widgets').replace('http://', `http://x-access-token:${token}@`);
    const dir = join(tmp.path, 'cli');
    const run = async (...args: string[]) => {
      const r = await gitCli(dir, args, { HOME: tmp.path });
      if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    expect((await gitCli(tmp.path, ['clone', '--quiet', url, dir], { HOME: tmp.path })).code).toBe(0);
    fs.writeFileSync(join(dir, 'c.txt'), 'c\n');
    await run('add', 'c.txt');
    await run('-c', 'user.name=CLI', '-c', 'user.email=cli@example.com', 'commit', '--quiet', '-m', 'cli');
    await run('push', '--quiet', 'origin', 'HEAD:refs/heads/from-cli');
    expect(sim.pushLog.at(-1)).toMatchObject({
      ref: 'refs/heads/from-cli',
      accepted: true,
      new: await run('rev-parse', 'HEAD'),
    });
    const denied = await gitCli(dir, ['push', 'origin', 'HEAD:refs/heads/v1.2'], { HOME: tmp.path });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('GH006: Protected branch update failed for refs/heads/v1.2');
  });

  it('moves an open pull request when its head branch is pushed', async () => {
    const number = await sim.createPull({
      repo: 'acme/widgets',
      head: 'from-cli',
      base: 'main',
      title: 'CLI',
      user: 'alice',
    });
    const dir = join(tmp.path, 'cli');
    fs.writeFileSync(join(dir, 'd.txt'), 'd\n');
    await gitCli(dir, ['add', 'd.txt']);
    await gitCli(dir, [
      '-c',
      'user.name=CLI',
      '-c',
      'user.email=cli@example.com',
      'commit',
      '--quiet',
      '-m',
      'more',
    ]);
    expect(
      (await gitCli(dir, ['push', '--quiet', 'origin', 'HEAD:refs/heads/from-cli'], { HOME: tmp.path })).code,
    ).toBe(0);
    const newHead = (await gitCli(dir, ['rev-parse', 'HEAD'])).stdout;
    const { data } = await installationClient(sim, 'acme').rest.pulls.get({
      owner: 'acme',
      repo: 'widgets',
      pull_number: number,
    });
    expect(data.head.sha).toBe(newHead);
    expect(data.commits).toBe(2);
    expect((await sim.refs('acme/widgets'))[`refs/pull/${number}/head`]).toBe(newHead);
  });
});
