import { isBackportError } from '../errors.js';
import type { ConflictResult } from '../pick/types.js';
import { resolveTargets } from '../plan/targets.js';
import type { GhPull } from '../common/github-types.js';
import { StatusCommentStore } from '../publish/status-comment-store.js';
import {
  renderPrerequisites,
  type PrerequisiteRow,
  type PrerequisiteVerdict,
} from '../render/conflict-prerequisites.js';
import { repositoryUrl } from '../render/links.js';
import { fetchBranch } from '../repo/git-remote.js';
import {
  findPrerequisites,
  type Prerequisite,
  type PrerequisiteResult,
} from '../resolve/prerequisites/find-prerequisites.js';
import type { TargetJob } from './target-job.js';

/**
 * How deep both branches are fetched for the search. The pipeline fetches only as deep as the
 * pick needs (the target at depth 1); blame needs the history since the fork. Commits and
 * trees only (blobs come when read), and the search itself stops at its own bounds.
 */
const HISTORY_DEPTH = 1_000;
/** The search's time bound: the issue must not wait long on its extras. */
const SEARCH_MS = 2_000;

/**
 * The conflict issue's "why it conflicts" section: the prerequisites the engine finds, each
 * with its pull request, whether that PR asked for this target and where its backport stands
 * (read from the app's status comment on it, not from the ledger, which may be off).
 * Also the PRs it names, whose own backports' merges retry this one.
 * Undefined when the search cannot run (a fetch or GitHub failure): the issue matters more.
 */
export async function prerequisitesSection(
  job: TargetJob,
  result: ConflictResult,
): Promise<{ text: string; needs: number[] } | undefined> {
  try {
    await deepen(job);
    const found = await findPrerequisites(job.local.store, {
      commit: result.commit,
      onto: result.onto,
      conflict: result,
      mainline: job.source.plan.mainline,
      limits: { maxMs: SEARCH_MS },
    });
    const rows: PrerequisiteRow[] = [];
    for (const p of found.tried) rows.push(await describe(job, p));
    const needs = [...new Set(rows.flatMap((r) => (r.pull ? [r.pull.number] : [])))];
    const text = renderPrerequisites({
      repo: repositoryUrl(job.pr.url),
      branch: job.target.branch,
      target: job.target.target,
      rows,
      verdict: verdictOf(found),
      onTarget: found.onTarget,
      more: found.more,
      truncated: found.truncated,
    });
    return { text, needs };
  } catch (err) {
    if (isBackportError(err)) return undefined;
    throw err;
  }
}

async function deepen(job: TargetJob): Promise<void> {
  for (const branch of [job.pr.base, job.target.branch]) {
    await fetchBranch(job.local.gitdir, job.remote, branch, { depth: HISTORY_DEPTH, partial: true });
  }
}

function verdictOf(found: PrerequisiteResult): PrerequisiteVerdict {
  if (found.clean) return { clean: true, commits: found.commits };
  const blocked = found.blocked ?? { reason: 'none-found' };
  return {
    clean: false,
    reason: blocked.reason,
    commit: blocked.reason === 'prerequisite-conflicts' ? blocked.commit : undefined,
  };
}

/** A prerequisite with its merged pull request and that PR's backport to this target. */
async function describe(job: TargetJob, p: Prerequisite): Promise<PrerequisiteRow> {
  const row: PrerequisiteRow = {
    commit: p.commit,
    subject: p.subject,
    files: p.files,
    added: p.added,
    deleted: p.deleted,
    survives: p.survives,
    labelled: false,
  };
  const pull = await pullOf(job, p.commit);
  if (!pull) return row;
  row.pull = { number: pull.number, url: pull.html_url };
  const { targets } = resolveTargets({ labels: pull.labels, config: job.config, baseBranch: pull.base.ref });
  row.labelled = targets.some((t) => t.target === job.target.target);
  const status = await StatusCommentStore.load(job.gh, pull.number, job.appLogin);
  const backport = status.row(job.target.target);
  if (backport) row.backport = { state: backport.state, ...(backport.link ? { link: backport.link } : {}) };
  return row;
}

/** The merged pull request that brought `sha` (into the source's base branch first). */
export async function pullOf(job: Pick<TargetJob, 'gh' | 'pr'>, sha: string): Promise<GhPull | undefined> {
  const pulls = await job.gh.get<GhPull[]>('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
    commit_sha: sha,
  });
  const merged = pulls.filter((p) => p.merged_at);
  return merged.find((p) => p.base.ref === job.pr.base) ?? merged[0];
}
