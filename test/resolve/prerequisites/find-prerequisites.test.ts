import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cherryPick } from '../../../src/pick/cherry-pick.js';
import type { ConflictResult } from '../../../src/pick/types.js';
import { findPrerequisites } from '../../../src/resolve/prerequisites/find-prerequisites.js';
import { openRepository, type LocalRepository } from '../../../src/repo/open-repository.js';
import { FastImport, git, gitStatus, tempDir } from '../../support/git.js';

const body = (x: string, y: string | null, z: string) =>
  `package a\n\nfunc a() {\n\tx := ${x}\n${y === null ? '' : `\ty := ${y}\n`}\tz := ${z}\n}\n`;

/**
 * One upstream history and three release branches forked from its root:
 * - P rewrites x, then U rewrites it again (U needs P);
 * - D deletes y, then U2 changes x and z around where y was (U2 needs D, which blame cannot see);
 * - release-picked carries P by `cherry-pick -x`, adapted, so U still conflicts there.
 */
function build(fi: FastImport) {
  const root = fi.commit('refs/heads/main', { 'a.go': body('1', '2', '3'), README: 'r\n' });
  const p = fi.commit(
    'refs/heads/main',
    { 'a.go': body('10', '2', '3') },
    { parents: [root], message: 'P\n' },
  );
  const other = fi.commit('refs/heads/main', { README: 'r2\n' }, { parents: [p] });
  const u = fi.commit(
    'refs/heads/main',
    { 'a.go': body('11', '2', '3') },
    { parents: [other], message: 'U\n' },
  );
  const d = fi.commit(
    'refs/heads/del',
    { 'a.go': body('1', null, '3') },
    { parents: [root], message: 'D\n' },
  );
  const u2 = fi.commit(
    'refs/heads/del',
    { 'a.go': body('5', null, '30') },
    { parents: [d], message: 'U2\n' },
  );
  const release = fi.commit('refs/heads/release', { 'b.txt': 'b\n' }, { parents: [root] });
  return { root, p, u, d, u2, release };
}

describe('findPrerequisites', () => {
  let dir: ReturnType<typeof tempDir>;
  let repo: LocalRepository;
  let ids: Record<string, string>;
  const gitdir = () => `${dir.path}/r.git`;

  async function conflictOf(commit: string, onto: string): Promise<ConflictResult> {
    const r = await cherryPick(repo.store, { commits: [commit], onto });
    if (r.status !== 'conflict') throw new Error(`expected a conflict picking ${commit}`);
    return r;
  }

  /** What git says of picking `commits` in order onto `onto`, in a scratch worktree. */
  function gitPicksCleanly(onto: string, commits: string[]): boolean {
    const wt = `${dir.path}/wt-${commits.join('-').slice(0, 20)}`;
    git(gitdir(), ['worktree', 'add', '-q', '--detach', wt, onto]);
    return gitStatus(wt, ['cherry-pick', ...commits]).status === 0;
  }

  beforeAll(async () => {
    dir = tempDir('prerequisites-');
    git(dir.path, ['init', '-q', '--bare', 'r.git']);
    const fi = new FastImport();
    const marks = build(fi);
    const oids = fi.run(gitdir());
    ids = Object.fromEntries(Object.entries(marks).map(([k, m]) => [k, oids.get(m)!]));
    const fj = new FastImport();
    // Carried by -x, then adapted on the branch: the trailer still names P.
    fj.commit(
      'refs/heads/release-picked',
      { 'a.go': body('10 // release', '2', '3') },
      {
        parents: [ids.release!],
        message: `P\n\n(cherry picked from commit ${ids.p})\n`,
      },
    );
    fj.run(gitdir());
    repo = await openRepository(gitdir());
  });
  afterAll(() => dir.remove());

  it('names the commit that last wrote the expected lines, and the pick then applies as with git', async () => {
    const result = await findPrerequisites(repo.store, {
      commit: ids.u!,
      onto: ids.release!,
      conflict: await conflictOf(ids.u!, ids.release!),
    });
    expect(result.commits).toEqual([ids.p]);
    expect(result.clean).toBe(true);
    // P's "x := 10" is what U replaces: none of its lines survive the fix.
    expect(result.tried).toEqual([
      { commit: ids.p, subject: 'P', reason: 'blame', files: 1, added: 1, deleted: 1, survives: false },
    ]);
    expect(result.truncated).toBeUndefined();
    expect(gitPicksCleanly(ids.release!, [ids.u!])).toBe(false);
    expect(gitPicksCleanly(ids.release!, [ids.p!, ids.u!])).toBe(true);
  });

  it('finds a commit that only deleted lines inside the region, which blame cannot see', async () => {
    const result = await findPrerequisites(repo.store, {
      commit: ids.u2!,
      onto: ids.release!,
      conflict: await conflictOf(ids.u2!, ids.release!),
    });
    expect(result.tried.map((t) => [t.commit, t.reason])).toEqual([[ids.d, 'deletion']]);
    expect(result).toMatchObject({ commits: [ids.d], clean: true });
    expect(gitPicksCleanly(ids.release!, [ids.d!, ids.u2!])).toBe(true);
  });

  it('drops a commit the target already carries under a cherry-pick trailer', async () => {
    const onto = await repo.resolveCommit('release-picked');
    const result = await findPrerequisites(repo.store, {
      commit: ids.u!,
      onto,
      conflict: await conflictOf(ids.u!, onto),
    });
    expect(result).toMatchObject({
      commits: [],
      clean: false,
      tried: [],
      onTarget: [{ commit: ids.p, reason: 'trailer' }],
      blocked: { reason: 'none-found' },
    });
  });

  it('drops a commit the target carries as the same patch, picked without -x', async () => {
    const wt = `${dir.path}/wt-patch-id`;
    git(gitdir(), ['worktree', 'add', '-q', '-b', 'release-patch', wt, ids.release!]);
    git(wt, ['cherry-pick', ids.p!]);
    writeFileSync(`${wt}/a.go`, body('10 // release', '2', '3'));
    git(wt, ['commit', '-qam', 'release tweak']);
    const onto = git(wt, ['rev-parse', 'HEAD']).trim();
    const result = await findPrerequisites(repo.store, {
      commit: ids.u!,
      onto,
      conflict: await conflictOf(ids.u!, onto),
    });
    expect(result).toMatchObject({
      clean: false,
      tried: [],
      onTarget: [{ commit: ids.p, reason: 'patch-id' }],
    });
  });

  it('stops at its bound and says so', async () => {
    const result = await findPrerequisites(repo.store, {
      commit: ids.u!,
      onto: ids.release!,
      conflict: await conflictOf(ids.u!, ids.release!),
      limits: { maxCommits: 2 },
    });
    expect(result.truncated).toBe('commits');
    expect(result.clean).toBe(false);
  });

  it('stops at the edge of a shallow history and says so', async () => {
    const shallow = `${dir.path}/shallow.git`;
    git(dir.path, [
      'clone',
      '-q',
      '--bare',
      '--depth',
      '2',
      '--no-single-branch',
      `file://${gitdir()}`,
      shallow,
    ]);
    const store = (await openRepository(shallow)).store;
    const picked = await cherryPick(store, { commits: [ids.u!], onto: ids.release! });
    // U's parent is there but nothing older is: the commits P wrote cannot be found.
    expect(picked.status).toBe('conflict');
    const result = await findPrerequisites(store, {
      commit: ids.u!,
      onto: ids.release!,
      conflict: picked as ConflictResult,
    });
    expect(result).toMatchObject({ clean: false, truncated: 'shallow' });
  });
});
