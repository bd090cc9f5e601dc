import { BackportError } from '../errors.js';
import type { PrerequisiteRef } from '../plan/parse-backport-command.js';
import { fetchBranch } from '../repo/git-remote.js';
import { pullOf } from './conflict-prerequisites.js';
import { prepareSource } from './prepare-source.js';
import { loadSourcePull } from './source-pull.js';
import type { TargetJob } from './target-job.js';

/** Commits picked as one step: a prerequisite as named, or the PR's own commits. */
export interface PickGroup {
  /** As the person wrote it (`abc1234`, `#456`). */
  name: string;
  commits: string[];
  mainline?: number | undefined;
  /** The merged PR the commits came from, when known. */
  pull?: number | undefined;
}

/** How far back a sha prefix is looked for on the PR's base branch. */
const SEARCH_DEPTH = 1_000;

/**
 * Each named prerequisite as the commits to pick: a sha prefix is the one commit of the PR's
 * base branch (its last SEARCH_DEPTH commits) that it names; `#456` is that PR's merged
 * commit(s), as the pipeline would pick them (squash, merge commit or rebase).
 */
export async function prerequisiteGroups(
  job: TargetJob,
  refs: readonly PrerequisiteRef[],
): Promise<PickGroup[]> {
  const groups: PickGroup[] = [];
  for (const ref of refs) {
    if ('pull' in ref) {
      const name = `#${ref.pull}`;
      const pull = await loadSourcePull(job.gh, ref.pull).catch(() => undefined);
      if (!pull?.merged)
        throw new BackportError('bad-prerequisite', `${name} is not a merged pull request.`, {
          ref: name,
          reason: pull ? 'not-merged' : 'unknown',
        });
      const source = await prepareSource(job.local, job.remote, pull, job.config.mainline);
      groups.push({ name, commits: source.plan.commits, mainline: source.plan.mainline, pull: ref.pull });
    } else {
      const sha = await commitByPrefix(job, ref.commit);
      const commit = await job.local.store.readCommit(sha);
      const mainline = commit.parents.length > 1 ? job.config.mainline : undefined;
      const pull = await pullOf(job, sha);
      groups.push({ name: `\`${ref.commit.slice(0, 12)}\``, commits: [sha], mainline, pull: pull?.number });
    }
  }
  return groups;
}

/** The one commit of the base branch's recent history whose id starts with `prefix`. */
async function commitByPrefix(job: TargetJob, prefix: string): Promise<string> {
  const tip = await fetchBranch(job.local.gitdir, job.remote, job.pr.base, {
    depth: SEARCH_DEPTH,
    partial: true,
  });
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = tip ? [tip] : [];
  while (queue.length > 0 && seen.size < SEARCH_DEPTH) {
    const oid = queue.shift()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    if (oid.startsWith(prefix)) found.add(oid);
    const commit = await job.local.store.readCommit(oid).catch(() => undefined);
    if (commit) queue.push(...commit.parents);
  }
  const name = `\`${prefix.slice(0, 12)}\``;
  if (found.size === 1) return [...found][0]!;
  throw new BackportError(
    'bad-prerequisite',
    found.size === 0
      ? `no commit ${name} on \`${job.pr.base}\` (its last ${SEARCH_DEPTH} commits).`
      : `${name} names ${found.size} commits; give more digits.`,
    { ref: prefix, reason: found.size === 0 ? 'unknown' : 'ambiguous' },
  );
}
