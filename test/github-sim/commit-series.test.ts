import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import type { CommitFilesOptions } from '../../tools/github-sim/repo-store.js';
import { installationClient, tempDir } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

/** The simulator's commit clock: 2024-01-01, one minute more per commit. */
const CLOCK_START = Date.UTC(2024, 0, 1) / 1000;

const STORY: CommitFilesOptions[] = [
  {
    branch: 'main',
    files: {
      'a.txt': 'a\n',
      'src/deep/b.c': 'int b;\n',
      'with space.txt': 's\n',
      'bin.dat': Buffer.from([0, 1, 255, 10]),
    },
    message: 'initial',
  },
  {
    branch: 'main',
    files: { 'a.txt': null, 'src/deep/b.c': 'int b = 2;\n' },
    message: 'no newline at the end',
    author: 'alice',
  },
  {
    branch: 'fix',
    files: { 'src/c.c': 'c\n' },
    message: 'fix\n\nbody\n',
    author: { name: 'Eve E', email: 'eve@example.com' },
  },
  { branch: 'fix', files: { 'src/c.c': 'c2\n' }, message: 'fix again' },
  { branch: 'fix-2', from: 'fix', files: { '"quoted".txt': 'q\n' }, message: 'from fix' },
];

async function withSim<T>(fn: (sim: GitHubSim) => Promise<T>): Promise<T> {
  const sim = await startGitHubSim({ appPrivateKey: testAppKey() });
  try {
    await sim.createRepo({ owner: 'acme', name: 'w' });
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

describe('the simulator writes commits', () => {
  const tmp = tempDir('sim-series-');
  afterAll(() => tmp.remove());

  it('as git plumbing writes them: the same blobs, trees and commit ids', async () => {
    const [first, second] = STORY;
    const { shas, alice } = await withSim(async (sim) => ({
      shas: [await sim.commitFiles('acme/w', first!), await sim.commitFiles('acme/w', second!)],
      alice: sim.state.user('alice').id,
    }));
    // The same two commits through a private index, hash-object, write-tree and commit-tree.
    const repo = join(tmp.path, 'plumbing.git');
    execFileSync('git', ['init', '--bare', '--quiet', repo]);
    const index = { ...process.env, GIT_INDEX_FILE: join(tmp.path, 'index') };
    const g = (args: string[], input: string | Buffer = '', env: NodeJS.ProcessEnv = index) =>
      execFileSync('git', args, { cwd: repo, input, env, encoding: 'utf8' }).trim();
    const commit = (
      files: CommitFilesOptions['files'],
      message: string,
      who: string,
      time: number,
      parent?: string,
    ) => {
      for (const [path, content] of Object.entries(files)) {
        if (content === null) g(['update-index', '--index-info'], `0 ${'0'.repeat(40)}\t${path}\n`);
        else
          g([
            'update-index',
            '--add',
            '--cacheinfo',
            `100644,${g(['hash-object', '-w', '--stdin'], content)},${path}`,
          ]);
      }
      const [name, email] = who.split('|');
      const date = `${time} +0000`;
      const env = { ...index, GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date };
      Object.assign(env, { GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: date });
      return g(
        ['commit-tree', g(['write-tree']), ...(parent ? ['-p', parent] : []), '-F', '-'],
        message,
        env,
      );
    };
    const one = commit(first!.files, first!.message, 'Sim Author|author@example.com', CLOCK_START + 60);
    const two = commit(
      second!.files,
      second!.message,
      `alice|${alice}+alice@users.noreply.github.com`,
      CLOCK_START + 120,
      one,
    );
    expect(shas).toEqual([one, two]);
  });

  it('in one series with the ids and branches of one commitFiles per commit', async () => {
    const oneByOne = await withSim(async (sim) => {
      const shas: string[] = [];
      for (const c of STORY) shas.push(await sim.commitFiles('acme/w', c));
      return { shas, refs: await sim.refs('acme/w') };
    });
    const series = await withSim(async (sim) => ({
      shas: await sim.commitSeries('acme/w', STORY),
      refs: await sim.refs('acme/w'),
    }));
    expect(series).toEqual(oneByOne);
    expect(new Set(series.shas).size).toBe(STORY.length);
    expect(series.refs).toEqual({
      'refs/heads/main': series.shas[1],
      'refs/heads/fix': series.shas[3],
      'refs/heads/fix-2': series.shas[4],
    });
  });
  it('rebase-merged onto a base that has not moved, as git cherry-pick writes them', async () => {
    const R = 'acme/w';
    const messages = ['no newline', 'blank lines\n\n\n', 'spaces  \n\nbody  ', '# hash\nx\n', 'ünïcode ✓\n'];
    const { repoPath, base, originals, landed } = await withSim(async (sim) => {
      await sim.commitFiles(R, { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'init' });
      const originals = await sim.commitSeries(
        R,
        messages.map((message, i) => ({
          branch: 'topic',
          files: { [`f${i}.txt`]: `${i}\n`, ...(i === 2 ? { 'a.txt': null } : {}) },
          message,
          author: i % 2 ? 'alice' : { name: 'Eve É', email: 'eve@example.com' },
        })),
      );
      const number = await sim.createPull({
        repo: R,
        head: 'topic',
        base: 'main',
        title: 'T',
        user: 'alice',
      });
      const base = (await sim.refs(R))['refs/heads/main']!;
      await sim.mergePull({ repo: R, number, method: 'rebase', mergedBy: 'bob' });
      const landed = sim.pulls(R).find((p) => p.number === number)!.pull!.landedCommits;
      // Kept past the simulator's stop: a copy of the repository.
      const repoPath = join(tmp.path, 'rebased.git');
      execFileSync('git', ['clone', '--quiet', '--bare', sim.repoPath(R), repoPath]);
      return { repoPath, base, originals, landed };
    });
    // The same replay with git's own cherry-pick, committed at the times the simulator chose.
    const work = join(tmp.path, 'picks');
    execFileSync('git', ['clone', '--quiet', repoPath, work]);
    const g = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
      execFileSync('git', args, { cwd: work, env, encoding: 'utf8' }).trim();
    g(['checkout', '--quiet', '--detach', base]);
    const times = landed.map((c) => Number(g(['log', '-1', '--format=%ct', c])));
    const picked = originals.map((c, i) => {
      const date = `${times[i]} +0000`;
      const env = { ...process.env, GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' };
      g(['cherry-pick', '--allow-empty', '--keep-redundant-commits', c], {
        ...env,
        GIT_COMMITTER_DATE: date,
      });
      return g(['rev-parse', 'HEAD']);
    });
    expect(landed).toEqual(picked);
    // One tick of the commit clock per replayed commit.
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([60, 60, 60, 60]);
  });
  it("listed as a pull request's commits with the messages and authors git has", async () => {
    await withSim(async (sim) => {
      const R = 'acme/w';
      await sim.commitFiles(R, { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'init' });
      const shas = await sim.commitSeries(
        R,
        ['plain', 'trailing  \n\n', 'ünïcode ✓\n\nbody\n', 'last'].map((message, i) => ({
          branch: 'topic',
          files: { [`f${i}.txt`]: `${i}\n` },
          message,
          author: i % 2 ? 'alice' : { name: 'Eve É', email: 'eve@example.com' },
        })),
      );
      const number = await sim.createPull({
        repo: R,
        head: 'topic',
        base: 'main',
        title: 'T',
        user: 'alice',
      });
      const listed = (
        await installationClient(sim, 'acme').rest.pulls.listCommits({
          owner: 'acme',
          repo: 'w',
          pull_number: number,
        })
      ).data;
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: sim.repoPath(R), encoding: 'utf8' });
      expect(listed.map((c) => c.sha)).toEqual(shas);
      for (const c of listed) {
        const raw = git('cat-file', 'commit', c.sha).trimEnd();
        expect(c.commit.message).toBe(raw.slice(raw.indexOf('\n\n') + 2));
        expect(`${c.commit.author!.name} <${c.commit.author!.email}>`).toBe(
          git('log', '-1', '--format=%an <%ae>', c.sha).trim(),
        );
      }
    });
  });
});
