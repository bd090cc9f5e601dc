import { BackportError } from '../errors.js';
import { subjectOf } from '../pick/commit-message.js';
import { commitsInRange } from '../repo/commit-range.js';
import type { LocalRepository } from '../repo/open-repository.js';

/**
 * The commits to pick, as `git cherry-pick` reads its arguments: commits named one by one are
 * picked in the order given; a range `A..B` (or `^A B`) is every commit reachable from B and
 * not from A, oldest first, as `git rev-list --reverse A..B` lists them, and all the
 * arguments then make one walk. An empty side means HEAD (`A..` is `A..HEAD`).
 */
export async function resolveRevisions(repo: LocalRepository, revs: readonly string[]): Promise<string[]> {
  const include: string[] = [];
  const exclude: string[] = [];
  let walk = false;
  for (const rev of revs) {
    if (rev.includes('...')) {
      throw new BackportError(
        'bad-argument',
        `'${rev}': a symmetric difference picks commits of both sides; name a range A..B instead.`,
      );
    }
    const range = /^(.*?)\.\.(.*)$/.exec(rev);
    if (range) {
      walk = true;
      exclude.push(await repo.resolveCommit(range[1] || 'HEAD'));
      include.push(await repo.resolveCommit(range[2] || 'HEAD'));
    } else if (rev.length > 1 && rev.startsWith('^')) {
      walk = true;
      exclude.push(await repo.resolveCommit(rev.slice(1)));
    } else {
      include.push(await repo.resolveCommit(rev));
    }
  }
  if (!walk) return include;
  const commits = await commitsInRange(repo.store, include, exclude);
  const named = revs.join(' ');
  if (commits.length === 0) {
    throw new BackportError(
      'bad-argument',
      `'${named}' names no commit: everything it reaches is also reachable from the excluded side.`,
    );
  }
  const merges = commits.filter((c) => c.parents.length > 1);
  if (merges.length > 0 && merges.length < commits.length) {
    const merge = merges[0]!;
    throw new BackportError(
      'merge-needs-mainline',
      `'${named}' includes the merge ${merge.oid} ("${subjectOf(merge.message)}") among plain ` +
        'commits: git cherry-pick stops at it without -m, and with -m refuses the others. Pick ' +
        `the commits on either side of it, or the merge alone with --mainline.`,
      { commit: merge.oid, parents: merge.parents.length },
    );
  }
  return commits.map((c) => c.oid);
}
