import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planPicks, type PullCommit } from '../../src/plan/pick-plan.js';
import { openRepository } from '../../src/repo/open-repository.js';
import { git, tempDir } from '../support/git.js';

// Builds a repository where one topic branch (3 commits) is merged into main by each of
// GitHub's three methods, done here with real git the way GitHub does them.
function setup(dir: string) {
  git(dir, ['init', '-q', '-b', 'main']);
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  git(dir, ['add', '.']);
  git(dir, ['commit', '-qm', 'base']);
  git(dir, ['switch', '-q', '-c', 'topic']);
  for (const n of [1, 2, 3]) {
    writeFileSync(join(dir, `t${n}.txt`), `${n}\n`);
    git(dir, ['add', '.']);
    git(dir, ['commit', '-qm', `topic commit ${n}\n\nbody ${n}`]);
  }
  git(dir, ['switch', '-q', 'main']);
  writeFileSync(join(dir, 'a.txt'), 'a2\n');
  git(dir, ['commit', '-qam', 'main moves on']);
  const mainTip = git(dir, ['rev-parse', 'HEAD']).trim();
  const prCommits: PullCommit[] = git(dir, [
    'log',
    '--reverse',
    '--format=%H%x00%an%x00%ae%x00%aI%x00%B%x01',
    'main..topic',
  ])
    .split('\x01')
    .map((r) => r.replace(/^\n/, ''))
    .filter(Boolean)
    .map((r) => {
      const [sha, name, email, date, message] = r.split('\0') as [string, string, string, string, string];
      return { sha, message, author: { name, email, date } };
    });

  git(dir, ['switch', '-q', '-c', 'merged', mainTip]);
  git(dir, ['merge', '-q', '--no-ff', '-m', 'Merge pull request #1', 'topic']);
  const mergeSha = git(dir, ['rev-parse', 'HEAD']).trim();

  git(dir, ['switch', '-q', '-c', 'squashed', mainTip]);
  git(dir, ['merge', '-q', '--squash', 'topic']);
  git(dir, ['commit', '-qm', 'Topic (#1)']);
  const squashSha = git(dir, ['rev-parse', 'HEAD']).trim();

  git(dir, ['switch', '-q', '-c', 'rebased', 'topic']);
  git(dir, ['rebase', '-q', '--committer-date-is-author-date', mainTip]);
  const rebaseSha = git(dir, ['rev-parse', 'HEAD']).trim();
  return { prCommits, mergeSha, squashSha, rebaseSha };
}

describe('planPicks', () => {
  let dir: ReturnType<typeof tempDir>;
  let facts: ReturnType<typeof setup>;
  beforeAll(() => {
    dir = tempDir('bpa-plan-');
    facts = setup(dir.path);
  });
  afterAll(() => dir.remove());

  it('picks the merge commit against the mainline parent for a merge', async () => {
    const { store } = await openRepository(dir.path);
    const plan = await planPicks(store, { mergeCommitSha: facts.mergeSha, commits: facts.prCommits }, 1);
    expect(plan).toEqual({ method: 'merge', commits: [facts.mergeSha], mainline: 1 });
  });

  it('picks the single squashed commit for a squash', async () => {
    const { store } = await openRepository(dir.path);
    const plan = await planPicks(store, { mergeCommitSha: facts.squashSha, commits: facts.prCommits }, 1);
    expect(plan).toEqual({ method: 'squash', commits: [facts.squashSha] });
  });

  it('picks the replayed commits in order for a rebase', async () => {
    const { store } = await openRepository(dir.path);
    const plan = await planPicks(store, { mergeCommitSha: facts.rebaseSha, commits: facts.prCommits }, 1);
    const expected = git(dir.path, ['rev-list', '--reverse', `${facts.rebaseSha}~3..${facts.rebaseSha}`])
      .trim()
      .split('\n');
    expect(plan).toEqual({ method: 'rebase', commits: expected });
    // Rebased commits are new objects, not the PR's own.
    expect(plan.commits).not.toContain(facts.prCommits[0]!.sha);
  });

  it('refuses a mainline the merge commit does not have', async () => {
    const { store } = await openRepository(dir.path);
    await expect(
      planPicks(store, { mergeCommitSha: facts.mergeSha, commits: facts.prCommits }, 3),
    ).rejects.toMatchObject({
      code: 'bad-mainline',
    });
  });
});
