/**
 * `--repo <path> [--commit <rev>]`: the demo on a repository of the user's. The repository is
 * copied into the simulator (`git clone --bare --no-hardlinks`) and only the copy changes.
 *
 * The commit is treated as merged into the default branch. GitHub cannot merge a pull request
 * whose change is already on its base, so in the copy:
 *   1. the default branch goes back to the commit's (first) parent;
 *   2. a branch `demo/pick-<sha>` points at the commit itself, and becomes the PR's head;
 *   3. the squash merge then makes one commit on the parent with the commit's tree: exactly
 *      the commit's change, landed the way most PRs land.
 * Commits the default branch had after the commit are left out of the copy's default branch
 * (the target branches are untouched); the notes say how many.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { BackportError } from '../../src/errors.js';
import type { GitHubSim } from '../../tools/github-sim/index.js';
import type { DemoPull } from './demo-pull.js';
import { runGit } from './run-git.js';

export const DEMO_OWNER = 'demo';

/** A local repository and commit, checked before anything is started or copied. */
export interface LocalSource {
  /** The work tree (or the bare repository): names the copy. */
  top: string;
  gitdir: string;
  sha: string;
  parent: string;
  targets: string[];
}

export async function inspectLocalRepo(opts: {
  path: string;
  commit?: string | undefined;
  targets: string[];
}): Promise<LocalSource> {
  const path = resolve(opts.path);
  const gitdir = existsSync(path) ? await runGit(path, ['rev-parse', '--absolute-git-dir']) : undefined;
  if (!gitdir) {
    throw new BackportError('not-a-repository', `${path} is not a git repository.`, { path });
  }
  // A folder inside a work tree names its repository; the name comes from the work tree.
  const top = (await runGit(path, ['rev-parse', '--show-toplevel'])) || gitdir;
  const rev = opts.commit ?? 'HEAD';
  const sha = await runGit(gitdir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (!sha) throw new BackportError('unknown-revision', `${top} has no commit '${rev}'.`, { rev });
  for (const target of opts.targets) {
    if (!(await runGit(gitdir, ['rev-parse', '--verify', '--quiet', `refs/heads/${target}`]))) {
      throw new BackportError('missing-branch', `${top} has no branch '${target}' to backport to.`, {
        branch: target,
      });
    }
  }
  const parent = await runGit(gitdir, ['rev-parse', '--verify', '--quiet', `${sha}^1`]);
  if (!parent) {
    throw new BackportError(
      'bad-argument',
      `${sha.slice(0, 10)} is a root commit: it has no parent to show its change against.`,
      { sha },
    );
  }
  return { top, gitdir, sha, parent, targets: opts.targets };
}

/** Copies the repository into the simulator and sets up the PR that lands the commit. */
export async function prepareLocalRepo(sim: GitHubSim, source: LocalSource): Promise<DemoPull> {
  const { top, sha, parent } = source;
  const info = await sim.createRepo({ owner: DEMO_OWNER, name: repoName(top), from: source.gitdir });
  const repo = info.fullName;
  const copy = sim.repoPath(repo);
  const base = info.defaultBranch;
  const oldTip = (await sim.resolve(repo, `refs/heads/${base}`)) ?? undefined;
  const onBase =
    oldTip !== undefined && (await runGit(copy, ['merge-base', '--is-ancestor', sha, oldTip])) !== undefined;
  const dropped = oldTip
    ? Number((await runGit(copy, ['rev-list', '--count', `${sha}..${oldTip}`])) ?? 0)
    : 0;

  const head = `demo/pick-${sha.slice(0, 10)}`;
  await sim.createBranch(repo, head, sha);
  await sim.createBranch(repo, base, parent);

  const message = (await runGit(copy, ['log', '-1', '--format=%B', sha])) ?? '';
  const [subject = '', ...rest] = message.split('\n');
  const later = dropped === 1 ? 'the one later commit' : `the ${dropped} later commits`;
  const where = !onBase
    ? ` (${sha.slice(0, 10)} was not on ${base}; the copy's ${base} now starts from its parent)`
    : dropped > 0
      ? `; ${later} of ${base} are left out of the copy's ${base}`
      : '';
  return {
    repo,
    head,
    base,
    title: subject.trim() || sha.slice(0, 10),
    body: rest.join('\n').trim(),
    author: 'demo-author',
    targets: source.targets,
    notes: [
      `copied ${top} into the simulator as ${repo} (the original is not modified)`,
      `${sha.slice(0, 10)} is treated as merged into ${base}: in the copy, ${base} was moved back to its parent ` +
        `${parent.slice(0, 10)} and a PR from ${head} (the commit itself) is squash-merged into it, so the merge ` +
        `commit carries exactly that commit's change${where}`,
    ],
  };
}

/** A GitHub-like repository name from a path: `/x/widgets.git` → `widgets`. */
function repoName(path: string): string {
  const raw = basename(path).replace(/\.git$/, '');
  const cleaned = raw.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return cleaned || 'repository';
}
