import { BackportError } from '../errors.js';
import type { LocalRepository } from '../repo/open-repository.js';

/**
 * The target revision. `--onto` names a branch more often than not, and in a fresh clone
 * often one that exists only as `origin/<name>`: then, as `git switch <name>` does, a single
 * remote-tracking branch of that name is taken (and `notice` says so), several are listed
 * for the person to choose, and none gives a plain "no such branch".
 */
export async function resolveOnto(
  repo: LocalRepository,
  rev: string,
  opts: {
    label: string;
    notice: (line: string) => void;
    /** With no candidate, keep the `unknown-revision` error rather than say "no such branch". */
    keepUnknown?: boolean;
  },
): Promise<string> {
  let unknown: BackportError;
  try {
    return await repo.resolveCommit(rev);
  } catch (err) {
    if (!(err instanceof BackportError) || err.code !== 'unknown-revision') throw err;
    unknown = err;
  }
  const candidates = await repo.remoteBranchesNamed(rev);
  if (candidates.length === 1) {
    const [only] = candidates as [string];
    opts.notice(`${opts.label}: no local branch ${rev}; using the remote-tracking branch ${only}.`);
    return repo.resolveCommit(only);
  }
  if (candidates.length > 1) {
    throw new BackportError(
      'missing-branch',
      `${opts.label}: there is no local branch ${rev}, and ${candidates.length} remote-tracking ` +
        `branches match: did you mean ${candidates.join(' or ')}?`,
      { branch: rev },
    );
  }
  if (opts.keepUnknown) throw unknown;
  throw new BackportError(
    'missing-branch',
    `${opts.label}: there is no branch, tag or commit of that name.`,
    {
      branch: rev,
    },
  );
}
