import { resolvePeople } from '../config/resolve-people.js';
import { isBackportError } from '../errors.js';
import type { ConflictResult } from '../pick/types.js';
import { conflictChoices } from '../resolve/index.js';
import type { ChoicesInput } from '../render/conflict-choices.js';
import { applyMetadata, openBackportPull } from '../publish/backport-pull.js';
import { upsertConflictIssue } from '../publish/conflict-issue-store.js';
import type { GhPull } from '../common/github-types.js';
import { transportError, type MoveGuard } from '../repo/git-remote.js';
import { renderBackportPrBody } from '../render/backport-pr-body.js';
import { renderConflictIssueBody, renderConflictIssueTitle } from '../render/conflict-issue.js';
import type { StatusRow } from '../render/status-comment.js';
import { prerequisitesSection } from './conflict-prerequisites.js';
import { gateMarkers } from './marker-gate.js';
import { publishBranch, type PushedThenMoved } from './publish-branch.js';
import { forRendering } from './source-pull.js';
import { committerNow, type MakeRow, type TargetJob } from './target-job.js';

/**
 * A conflicting pick becomes what the configuration asks for: an issue that shows every
 * conflicting hunk (filed once, refreshed after), a draft PR holding the conflict markers,
 * or both. With `unlessMoved`, a draft's push that sees the target elsewhere sends nothing
 * and the answer is `'moved'`; one that sees it move beside the push (`lookAgain`) answers
 * `pushedThenMoved` with the draft's commit. An issue with no draft pushed now looks at the
 * target before it is written, and answers `'moved'` when the target has left `onto`. Either
 * way nothing else is published (no draft PR, no issue): the caller picks again, and the
 * new pick files the issue on the new tip, or opens a PR if it now applies.
 */
export async function publishConflict(
  job: TargetJob,
  branch: string,
  result: ConflictResult,
  existingDraft: GhPull | undefined,
  row: MakeRow,
  onto: string,
  unlessMoved?: MoveGuard,
): Promise<StatusRow | 'moved' | PushedThenMoved> {
  const { gh, config, pr, target, source } = job;
  const rendering = forRendering(pr, source.plan.method);
  let draft: GhPull | undefined;
  let pushedNow = false;
  if (config.conflict === 'draft-pr' || config.conflict === 'both') {
    pushedNow = existingDraft?.state !== 'open';
    const pushed = pushedNow ? await pushDraft(job, branch, result, unlessMoved) : existingDraft!;
    if (pushed === 'moved' || 'pushedThenMoved' in pushed) return pushed;
    draft = pushed;
  }
  let issue;
  if (config.conflict === 'issue' || config.conflict === 'both') {
    // A draft pushed now was checked by its push; otherwise the target is looked at here,
    // beside the choices' work, so the look is no round trip on the issue's way.
    const moved = unlessMoved && !pushedNow ? targetMoved(job, unlessMoved) : undefined;
    moved?.catch(() => undefined);
    const people = resolvePeople(config.assignOnConflict, { author: pr.author, merger: pr.merger }).filter(
      (l) => !l.endsWith('[bot]'),
    );
    const { choices, needs } = await choicesFor(job, result);
    if (moved && (await moved)) return 'moved';
    ({ issue } = await upsertConflictIssue(gh, {
      appLogin: job.appLogin,
      source: pr.number,
      target: target.target,
      title: renderConflictIssueTitle({ source: pr, target: target.target }),
      body: renderConflictIssueBody({
        source: rendering,
        target: target.target,
        branch: target.branch,
        backportBranch: branch,
        commits: source.commits,
        result,
        onto,
        mainline: source.plan.mainline,
        choices,
        needs,
        draft: draft ? { branch, url: draft.html_url, number: draft.number } : undefined,
      }),
      labels: [...config.conflictLabels],
      assignees: people,
      known: job.previous?.link?.number,
    }));
  }
  const link = issue
    ? { url: issue.html_url, number: issue.number }
    : draft
      ? { url: draft.html_url, number: draft.number }
      : undefined;
  return row({
    state: 'conflict',
    ...(link ? { link } : {}),
    ...(draft ? { draft: { url: draft.html_url, number: draft.number } } : {}),
  });
}

/**
 * True when the target is no longer at the tip the pick was made on: one look at the target
 * alone (the guard's own look when it has one), made anew whatever the job's snapshot says.
 * An issue filed on a tip the target has left would show hunks and commands that no longer
 * hold; a move after this look is one after the job, as for a push.
 */
async function targetMoved(job: TargetJob, guard: MoveGuard): Promise<boolean> {
  try {
    const now = await (guard.lookAgain ?? (() => job.remote.look(guard.branch)))();
    return now !== guard.tip;
  } catch (err) {
    throw transportError('fetch-failed', `Could not list ${guard.branch}`, err);
  }
}

/**
 * The choices the issue offers. A pick whose choices cannot be computed (a file too large
 * for the line diff's budget, say) still gets its issue, without them: the hunks and the
 * commands to finish by hand are what it always had. The prerequisites (why it conflicts)
 * come with the choices, and are left out when their search cannot run.
 */
async function choicesFor(
  job: TargetJob,
  result: ConflictResult,
): Promise<{ choices?: ChoicesInput | undefined; needs?: number[] | undefined }> {
  try {
    const decisions = await conflictChoices(job.local.store, result);
    if (decisions.length === 0) return { choices: { decisions } };
    const prerequisites = await prerequisitesSection(job, result);
    return { choices: { decisions, prerequisites: prerequisites?.text }, needs: prerequisites?.needs };
  } catch (err) {
    if (isBackportError(err)) return {};
    throw err;
  }
}

/** A draft PR whose commit holds the conflict markers, for people who prefer to resolve in a PR. */
async function pushDraft(
  job: TargetJob,
  branch: string,
  result: ConflictResult,
  unlessMoved: MoveGuard | undefined,
): Promise<GhPull | 'moved' | PushedThenMoved> {
  const { gh, config, pr, target, source } = job;
  const committer = committerNow(job);
  const failed = await job.local.store.readCommit(result.commit);
  const commit = await job.local.store.writeCommit({
    tree: result.markerTree,
    parents: [result.onto],
    author: failed.author,
    committer,
    message: `WIP: backport #${pr.number} to ${target.branch} (conflict markers to resolve)\n\nPicking ${result.commit} left conflicts; see the pull request.\n`,
  });
  await job.local.store.flush();
  const head = await publishBranch(job, { branch, commit, onto: result.onto, unlessMoved });
  if (head === 'moved') return head;
  if (head === 'pushed-then-moved') return { pushedThenMoved: commit };
  const rendering = forRendering(pr, source.plan.method);
  const body = renderBackportPrBody({
    source: rendering,
    target: target.target,
    branch: target.branch,
    commits: source.commits,
    mainline: source.plan.mainline,
    copied: { labels: [...config.conflictLabels], assignees: [], reviewers: [] },
    conflict: { failedCommit: result.commit, conflicts: result.conflicts },
  });
  const title = `[${target.target}] DRAFT with conflicts: ${pr.title}`.slice(0, 256);
  const pull = await openBackportPull(gh, { title, body, head: branch, base: target.branch, draft: true });
  // The gate is what keeps a draft with markers from being merged by mistake.
  await gateMarkers(gh, job.local.store, { head, base: result.onto });
  await applyMetadata(gh, pull.number, { labels: [...config.conflictLabels], assignees: [], reviewers: [] });
  return pull;
}
