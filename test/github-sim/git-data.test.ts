import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { installationClient } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

type Client = ReturnType<typeof installationClient>;

describe('github-sim REST: the Git Database API writes real objects', () => {
  let sim: GitHubSim;
  let octokit: Client;
  let path: string;
  let tip: string;
  const repo = { owner: 'acme', repo: 'widgets' };
  const gitOut = (args: string[]) => execFileSync('git', args, { cwd: path, encoding: 'utf8' }).trim();

  beforeAll(async () => {
    sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    path = (await sim.createRepo({ owner: 'acme', name: 'widgets' })).path;
    tip = await sim.commitFiles('acme/widgets', {
      branch: 'main',
      files: { 'a.txt': 'a\n', 'src/b.txt': 'b\n', 'gone.txt': 'x\n' },
      message: 'init',
    });
    octokit = installationClient(sim, 'acme');
  });
  afterAll(() => sim.stop());

  it('builds blobs, a tree on base_tree and a signed commit that git reads back', async () => {
    const blob = await octokit.rest.git.createBlob({
      ...repo,
      content: Buffer.from('b2\n').toString('base64'),
      encoding: 'base64',
    });
    expect(blob.data.sha).toBe(gitOut(['rev-parse', `${blob.data.sha}^{blob}`]));
    const base = gitOut(['rev-parse', `${tip}^{tree}`]);
    const tree = await octokit.rest.git.createTree({
      ...repo,
      base_tree: base,
      tree: [
        { path: 'src/b.txt', mode: '100644', type: 'blob', sha: blob.data.sha },
        { path: 'src/new/c.txt', mode: '100755', type: 'blob', content: 'c\n' },
        { path: 'gone.txt', mode: '100644', type: 'blob', sha: null },
      ],
    });
    expect(gitOut(['ls-tree', '-r', '--name-only', tree.data.sha]).split('\n')).toEqual([
      'a.txt',
      'src/b.txt',
      'src/new/c.txt',
    ]);
    expect(gitOut(['show', `${tree.data.sha}:src/b.txt`])).toBe('b2');

    const signed = await octokit.rest.git.createCommit({
      ...repo,
      message: 'Fix b\n',
      tree: tree.data.sha,
      parents: [tip],
    });
    expect(signed.data.verification).toMatchObject({ verified: true, reason: 'valid' });
    expect(signed.data.author.name).toBe(sim.botLogin);
    expect(gitOut(['cat-file', 'commit', signed.data.sha])).toMatch(/^gpgsig -----BEGIN PGP SIGNATURE-----/m);
    expect(gitOut(['rev-parse', `${signed.data.sha}^`])).toBe(tip);
    gitOut(['fsck', '--no-dangling']);

    const authored = await octokit.rest.git.createCommit({
      ...repo,
      message: 'by alice',
      tree: tree.data.sha,
      parents: [tip],
      author: { name: 'Alice', email: 'alice@example.com', date: '2024-02-01T00:00:00Z' },
    });
    expect(authored.data.verification).toMatchObject({ verified: false, reason: 'unsigned' });
    expect(authored.data.committer).toMatchObject({ name: 'Alice', email: 'alice@example.com' });
    const read = await octokit.rest.git.getCommit({ ...repo, commit_sha: signed.data.sha });
    expect(read.data.tree.sha).toBe(tree.data.sha);

    const made = await octokit.rest.git.createRef({
      ...repo,
      ref: 'refs/heads/backport/1-to-v1',
      sha: signed.data.sha,
    });
    expect(made.status).toBe(201);
    expect((await sim.refs('acme/widgets'))['refs/heads/backport/1-to-v1']).toBe(signed.data.sha);
    const again = await octokit.rest.git
      .createRef({ ...repo, ref: 'refs/heads/backport/1-to-v1', sha: tip })
      .catch((e: { status: number }) => e);
    expect(again).toMatchObject({ status: 422 });
    const sideways = await octokit.rest.git
      .updateRef({ ...repo, ref: 'heads/backport/1-to-v1', sha: authored.data.sha })
      .catch((e: { status: number }) => e);
    expect(sideways).toMatchObject({ status: 422 });
    await octokit.rest.git.updateRef({
      ...repo,
      ref: 'heads/backport/1-to-v1',
      sha: authored.data.sha,
      force: true,
    });
    expect((await sim.refs('acme/widgets'))['refs/heads/backport/1-to-v1']).toBe(authored.data.sha);
    expect(sim.pushLog.map((p) => [p.ref, p.new])).toEqual([
      ['refs/heads/backport/1-to-v1', signed.data.sha],
      ['refs/heads/backport/1-to-v1', authored.data.sha],
    ]);

    sim.protectBranch('acme/widgets', 'main');
    const protectedRef = await octokit.rest.git
      .updateRef({ ...repo, ref: 'heads/main', sha: signed.data.sha })
      .catch((e: { status: number }) => e);
    expect(protectedRef).toMatchObject({ status: 422 });
    expect(sim.violations).toEqual([]);
  });
});
