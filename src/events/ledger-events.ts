import type { Context, Probot } from 'probot';
import type { GhIssue } from '../common/github-types.js';
import type { AuthoredPull, RepoRef } from '../ledger/ledger-ports.js';
import type { LedgerService } from '../ledger/ledger-service.js';

/**
 * Webhooks → the release managers' ledger. Do not add logic here: each handler names the
 * repository and hands the payload's pull request, issue or comment to the ledger service,
 * which turns it into facts. Which events feed which facts:
 *   pull_request (opened, closed, reopened, edited, synchronize, labeled, unlabeled):
 *     the PR as a source (labels, merge), and as a backport PR when the app opened it;
 *     `labeled` also records when a backport was (re-)requested;
 *   issues (opened, closed, reopened, edited, assigned, unassigned): the app's conflict issues;
 *   issue_comment (created, edited): the app's status comment (requests still pending).
 * Checks of open backport PRs are read through REST in the debounced update rather than
 * subscribed to. A failure here is logged and never reaches the backport handlers.
 */
export function onLedgerEvents(app: Probot, ledger: LedgerService): void {
  app.on(
    [
      'pull_request.opened',
      'pull_request.closed',
      'pull_request.reopened',
      'pull_request.edited',
      'pull_request.synchronize',
      'pull_request.labeled',
      'pull_request.unlabeled',
    ],
    (context) =>
      guard(context, () => {
        const { payload } = context;
        const label =
          payload.action === 'labeled' && payload.label
            ? { name: payload.label.name, added: true }
            : undefined;
        return ledger.onPull(repoRef(context), payload.pull_request as AuthoredPull, label);
      }),
  );

  app.on(
    [
      'issues.opened',
      'issues.closed',
      'issues.reopened',
      'issues.edited',
      'issues.assigned',
      'issues.unassigned',
    ],
    (context) => guard(context, () => ledger.onIssue(repoRef(context), context.payload.issue as GhIssue)),
  );

  app.on(['issue_comment.created', 'issue_comment.edited'], (context) =>
    guard(context, () => ledger.onComment(repoRef(context), context.payload.comment)),
  );
}

type RepoContext = Context<'pull_request' | 'issues' | 'issue_comment' | 'repository'>;

export function repoRef(context: RepoContext): RepoRef {
  const r = context.payload.repository;
  return {
    repo: r.full_name,
    private: r.private,
    htmlUrl: r.html_url,
    defaultBranch: r.default_branch,
    // Some events (e.g. issues.demilestoned) are typed without it; every app delivery has it.
    installationId: (context.payload as { installation?: { id: number } }).installation?.id,
  };
}

export async function guard(context: Context, work: () => Promise<void> | void): Promise<void> {
  try {
    await work();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    context.log.error({ event: context.name, code: e.code, message: e.message }, 'ledger update failed');
  }
}
