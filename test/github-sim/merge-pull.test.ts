import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { installationClient } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

/** `sha parent...` lines of `git rev-list --parents` as arrays. */
function parentsOf(dir: string, rev: string, count: number): string[][] {
  return gitIn(dir, 'rev-list', '--parents', '-n', String(count), rev)
    .split('\n')
    .map((l) => l.split(' '));
}

describe('github-sim mergePull: GitHub merge, squash and rebase with real git', () => {
  let sim: GitHubSim;
  const R = 'acme/widgets';
  let dir: string;

  /** A PR with two commits on `topic`, while main gained an unrelated commit. */
  async function scenario(topic: string) {
    const c1 = await sim.commitFiles(R, {
      branch: topic,
      files: { [`${topic}-1.txt`]: '1\n' },
      message: `${topic} one`,
      author: 'alice',
    });
    const c2 = await sim.commitFiles(R, {
      branch: topic,
      files: { [`${topic}-2.txt`]: '2\n' },
      message: `${topic} two`,
      author: 'alice',
    });
    const base = await sim.commitFiles(R, {
      branch: 'main',
      files: { [`main-${topic}.txt`]: 'm\n' },
      message: `main moves (${topic})`,
    });
    const number = await sim.createPull({
      repo: R,
      head: topic,
      base: 'main',
      title: `Add ${topic}`,
      user: 'alice',
    });
    return { c1, c2, base, number };
  }

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    const info = await sim.createRepo({ owner: 'acme', name: 'widgets' });
    dir = info.path;
    await sim.commitFiles(R, { branch: 'main', files: { 'README.md': 'hi\n' }, message: 'init' });
  });
  afterAll(() => sim.stop());

  it('merge: a merge commit with parents (base tip, head tip) and GitHub message', async () => {
    const s = await scenario('merge-topic');
    const sha = await sim.mergePull({ repo: R, number: s.number, method: 'merge', mergedBy: 'bob' });
    expect(parentsOf(dir, 'main', 1)).toEqual([[sha, s.base, s.c2]]);
    expect(gitIn(dir, 'log', '-1', '--format=%s', sha)).toBe(
      `Merge pull request #${s.number} from acme/merge-topic`,
    );
    expect(gitIn(dir, 'log', '-1', '--format=%an|%cn', sha)).toBe('bob|GitHub');
    const { data } = await installationClient(sim, 'acme').rest.pulls.get({
      owner: 'acme',
      repo: 'widgets',
      pull_number: s.number,
    });
    expect(data).toMatchObject({ merged: true, merge_commit_sha: sha, state: 'closed', commits: 2 });
    expect(data.merged_by?.login).toBe('bob');
    expect(data.merged_at).toBe(data.closed_at);
  });

  it('squash: one commit on the base tip with the merged tree, authored by the PR author', async () => {
    const s = await scenario('squash-topic');
    const sha = await sim.mergePull({ repo: R, number: s.number, method: 'squash', mergedBy: 'bob' });
    expect(parentsOf(dir, 'main', 1)).toEqual([[sha, s.base]]);
    expect(gitIn(dir, 'log', '-1', '--format=%s', sha)).toBe(`Add squash-topic (#${s.number})`);
    expect(gitIn(dir, 'log', '-1', '--format=%an <%ae>|%cn', sha)).toMatch(
      /^alice <\d+\+alice@users\.noreply\.github\.com>\|GitHub$/,
    );
    expect(gitIn(dir, 'ls-tree', '--name-only', sha)).toContain('squash-topic-2.txt');
    expect(sim.pulls(R).find((p) => p.number === s.number)?.pull?.mergeCommitSha).toBe(sha);
  });

  it('rebase: each commit replayed on the base tip, authors kept, merge_commit_sha = last one', async () => {
    const s = await scenario('rebase-topic');
    const sha = await sim.mergePull({ repo: R, number: s.number, method: 'rebase', mergedBy: 'bob' });
    const [last, first] = parentsOf(dir, 'main', 2);
    expect(last).toEqual([sha, first![0]]);
    expect(first![1]).toBe(s.base);
    expect(gitIn(dir, 'log', '-2', '--format=%s|%an|%cn', 'main').split('\n')).toEqual([
      'rebase-topic two|alice|GitHub',
      'rebase-topic one|alice|GitHub',
    ]);
    expect([first![0], sha]).not.toContain(s.c1);
    const pr = sim.pulls(R).find((p) => p.number === s.number)!.pull!;
    expect(pr.landedCommits).toEqual([first![0], sha]);
    expect(pr.commits).toBe(2);
  });

  it('keeps refs/pull/N/head like GitHub and merges pull requests from forks', async () => {
    await sim.createRepo({ owner: 'alice', name: 'widgets', forkOf: R, ownerType: 'User' });
    const head = await sim.commitFiles('alice/widgets', {
      branch: 'patch-1',
      files: { 'fork.txt': 'f\n' },
      message: 'from fork',
      author: 'alice',
    });
    const number = await sim.createPull({
      repo: R,
      head: 'alice:patch-1',
      base: 'main',
      title: 'Fork fix',
      user: 'alice',
    });
    expect((await sim.refs(R))[`refs/pull/${number}/head`]).toBe(head);
    const { data } = await installationClient(sim, 'acme').rest.pulls.get({
      owner: 'acme',
      repo: 'widgets',
      pull_number: number,
    });
    expect(data.head).toMatchObject({
      label: 'alice:patch-1',
      sha: head,
      repo: { full_name: 'alice/widgets', fork: true },
    });
    const sha = await sim.mergePull({ repo: R, number, method: 'merge', mergedBy: 'bob' });
    expect(gitIn(dir, 'log', '-1', '--format=%s', sha)).toBe(
      `Merge pull request #${number} from alice/patch-1`,
    );
  });

  it('refuses a merge that conflicts (an error for the test author)', async () => {
    await sim.commitFiles(R, { branch: 'clash', files: { 'README.md': 'theirs\n' }, message: 'clash' });
    await sim.commitFiles(R, { branch: 'main', files: { 'README.md': 'ours\n' }, message: 'ours' });
    const number = await sim.createPull({
      repo: R,
      head: 'clash',
      base: 'main',
      title: 'Clash',
      user: 'alice',
    });
    await expect(sim.mergePull({ repo: R, number, method: 'merge', mergedBy: 'bob' })).rejects.toThrow(
      /conflicts/,
    );
    await expect(sim.mergePull({ repo: R, number, method: 'rebase', mergedBy: 'bob' })).rejects.toThrow(
      /conflicts/,
    );
    expect(sim.pulls(R).find((p) => p.number === number)?.pull?.merged).toBe(false);
  });

  it('kept every request and response on spec', () => {
    expect(sim.violations).toEqual([]);
  });
});
