import { parseConfig } from '../config/parse-config.js';
import type { BackportConfig } from '../config/schema.js';
import { BackportError, errorForLog, isBackportError } from '../errors.js';
import { backportBranchName, resolveTargets, type Target } from '../plan/targets.js';
import { GitHubClient, type RetryPolicy } from '../publish/github-client.js';
import { writtenByApp, type GhComment } from '../common/github-types.js';
import { StatusCommentStore } from '../publish/status-comment-store.js';
import { RemoteSession } from '../repo/remote-session.js';
import type { CachedRepository, RepoOpener } from '../repo/repo-cache.js';
import { renderInvalidConfigComment } from '../render/invalid-config-comment.js';
import { findMarker } from '../render/marker.js';
import type { StatusRow } from '../render/status-comment.js';
import { backportTarget } from './backport-target.js';
import { allowedTargets, type LabelPermission } from './label-permission.js';
import type { BackportRequest, InstallationAccess, Logger } from './backport-request.js';
import { prepareSource, type PreparedSource } from './prepare-source.js';
import { loadSourcePull, type SourcePull } from './source-pull.js';
import { isTransient } from './transient.js';

export interface RunDeps {
  repos: RepoOpener;
  committer: { name: string; email: string };
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The clock rate-limit resets are measured against (ms since the epoch). */
  clock?: () => number;
  log: Logger;
  now(): Date;
  /** BACKPORT_LABEL_PERMISSION: who may start a backport by labelling (default write). */
  labelPermission?: LabelPermission | undefined;
  /**
   * The job's last try: a transient failure becomes a final "failed" row. Before it, a
   * transient failure leaves the target's row "in progress" and the job is tried again
   * later (see `retry-later`).
   */
  finalAttempt?: boolean;
}

/**
 * One backport request, end to end. Steps:
 *   1. read the configuration; if it is broken, say so on the PR and stop (no guessing);
 *   2. load the PR; labels on an unmerged PR wait for the merge;
 *   3. resolve targets from labels, reporting refused ones;
 *   4. fetch what the pick needs and plan it (once for all targets);
 *   5. run each target on its own: one failing target never stops the others, and every
 *      target gets a status row before work starts and after it ends.
 */
export async function runBackport(
  req: BackportRequest,
  access: InstallationAccess,
  deps: RunDeps,
): Promise<void> {
  const gh = GitHubClient.forRepo(access.request, req.owner, req.repo, deps);
  const log = (msg: string, extra: Record<string, unknown> = {}) =>
    deps.log.info({ repo: `${req.owner}/${req.repo}`, pull: req.pullNumber, ...extra }, msg);

  const appLogin = await access.appLogin();
  const config = await readConfigOrReport(req, gh, log, appLogin);
  if (!config) return;

  const pr = await loadSourcePull(gh, req.pullNumber);
  if (!pr.merged) {
    log('not merged yet: backport labels wait for the merge');
    return;
  }
  const labels = req.labels === 'all' ? pr.labels : req.labels.filter((l) => pr.labels.includes(l));
  const resolved = resolveTargets({ labels, config, baseBranch: pr.base, declines: pr.labels });
  const only = (t: { target: string }) => !req.targets || req.targets.includes(t.target);
  let targets = resolved.targets.filter(only);
  const rejected = resolved.rejected.filter(only);
  if (targets.length === 0 && rejected.length === 0) return;

  const status = await StatusCommentStore.load(gh, pr.number, appLogin);
  const at = () => deps.now().toISOString();
  // Status writes are recorded, not awaited for success: a comment that cannot be written
  // must not stop the backports it reports on. The job fails at the end if it stayed unwritten.
  for (const r of rejected) {
    await status.record({
      target: r.target,
      state: 'failed',
      error: { code: r.code, message: r.reason },
      at: at(),
    });
  }
  if (targets.length === 0) return status.settle();
  const allowed = await labelsAllowed(gh, req, pr.number, targets, deps, appLogin);
  for (const [t, err] of allowed.refused) await status.record(rowFor(t, failure(err), at()));
  targets = allowed.targets;
  if (targets.length === 0) return status.settle();

  const previous = new Map(targets.map((t) => [t.target, status.row(t.target)]));
  for (const t of targets) await status.record(rowFor(t, { state: 'in-progress' }, at()));

  // One ref discovery answers the whole job: the merged branch, the targets, the app's branches.
  const remote = RemoteSession.forBranches({ url: req.cloneUrl, token: access.token }, [
    pr.base,
    ...targets.flatMap((t) => [t.branch, backportBranchName(config, pr.number, t.target)]),
  ]);
  let local: CachedRepository;
  let source: PreparedSource;
  try {
    // Inside the try: rows already say "in progress", so any failure here must replace them.
    local = await deps.repos.open(req.owner, req.repo);
    source = await prepareSource(local, remote, pr, config.mainline);
  } catch (err) {
    if (retryLater(err, deps))
      throw retryError(
        targets.map((t) => t.target),
        err,
      );
    for (const t of targets) await status.record(rowFor(t, failure(err), at()));
    throw err;
  }
  log('picking', {
    method: source.plan.method,
    commits: source.plan.commits,
    targets: targets.map((t) => t.branch),
  });

  const again: string[] = [];
  let cause: unknown;
  for (const target of targets) {
    const row = await runTarget(
      { gh, appLogin, local, remote, config, pr, source, deps, req, at },
      target,
      previous,
    );
    if ('retry' in row) {
      // Left "in progress": the job's next try picks this target up again.
      again.push(target.target);
      cause ??= row.retry;
      continue;
    }
    await status.record(row);
    log('target done', { target: target.branch, state: row.state });
  }
  status.settle();
  if (again.length > 0) throw retryError(again, cause);
}

/** `allowedTargets`, where a transient failure retries the job (nothing is "in progress" yet). */
async function labelsAllowed(
  gh: GitHubClient,
  req: BackportRequest,
  pullNumber: number,
  targets: Target[],
  deps: RunDeps,
  appLogin: string,
): Promise<{ targets: Target[]; refused: [Target, unknown][] }> {
  try {
    const setting = deps.labelPermission ?? 'write';
    return await allowedTargets(gh, { pullNumber, labeledBy: req.labeledBy, targets, setting, appLogin });
  } catch (err) {
    if (retryLater(err, deps))
      throw retryError(
        targets.map((t) => t.target),
        err,
      );
    return { targets: [], refused: targets.map((t) => [t, err]) };
  }
}

/** The configuration, or null after saying on the PR why it is invalid (no guessing). */
async function readConfigOrReport(
  req: BackportRequest,
  gh: GitHubClient,
  log: (msg: string, extra?: Record<string, unknown>) => void,
  appLogin: string,
): Promise<BackportConfig | null> {
  try {
    if (req.configError)
      throw new BackportError('invalid-config', req.configError, {
        problems: [{ key: '(file)', problem: req.configError }],
      });
    return parseConfig(req.rawConfig);
  } catch (err) {
    if (!isBackportError(err, 'invalid-config')) throw err;
    await reportInvalidConfig(gh, req.pullNumber, err, appLogin);
    log('configuration is invalid', { problem: err.message });
    return null;
  }
}

interface TargetContext {
  gh: GitHubClient;
  appLogin: string;
  local: CachedRepository;
  remote: RemoteSession;
  config: BackportConfig;
  pr: SourcePull;
  source: PreparedSource;
  deps: RunDeps;
  req: BackportRequest;
  at: () => string;
}

/**
 * One target: its final status row, whatever happens (a failure becomes a "failed" row),
 * or, for a transient failure before the job's last try, `{ retry }`.
 */
async function runTarget(
  ctx: TargetContext,
  target: Target,
  previous: Map<string, StatusRow | undefined>,
): Promise<StatusRow | { retry: unknown }> {
  try {
    return await backportTarget({
      gh: ctx.gh,
      local: ctx.local,
      remote: ctx.remote,
      config: ctx.config,
      pr: ctx.pr,
      source: ctx.source,
      target,
      previous: previous.get(target.target),
      committer: ctx.deps.committer,
      appLogin: ctx.appLogin,
      now: ctx.deps.now,
    });
  } catch (err) {
    // What a failed pick wrote to the object store is of no use to the next target.
    ctx.local.store.discard();
    if (retryLater(err, ctx.deps)) {
      ctx.deps.log.warn(
        {
          repo: `${ctx.req.owner}/${ctx.req.repo}`,
          pull: ctx.pr.number,
          target: target.branch,
          ...errorForLog(err),
        },
        'transient failure, the job will try again',
      );
      return { retry: err };
    }
    const row = rowFor(target, failure(err), ctx.at());
    ctx.deps.log.warn(
      {
        repo: `${ctx.req.owner}/${ctx.req.repo}`,
        pull: ctx.pr.number,
        target: target.branch,
        code: row.error?.code,
      },
      row.error?.message ?? 'failed',
    );
    return row;
  }
}

function retryLater(err: unknown, deps: RunDeps): boolean {
  return !deps.finalAttempt && isTransient(err);
}

function retryError(targets: string[], cause: unknown): BackportError {
  const said = (cause as Error | undefined)?.message ?? String(cause);
  return new BackportError(
    'retry-later',
    `A transient failure stopped ${targets.join(', ')}: ${said}`,
    { targets, cause: said },
    { cause },
  );
}

function rowFor(target: Target, fields: Omit<StatusRow, 'target' | 'at'>, at: string): StatusRow {
  return {
    target: target.target,
    ...(target.branch !== target.target ? { branch: target.branch } : {}),
    ...fields,
    at,
  };
}

/** A failure as a status row: our own errors keep their code and sentence; others say little. */
function failure(err: unknown): Omit<StatusRow, 'target' | 'at'> {
  if (err instanceof BackportError)
    return { state: 'failed', error: { code: err.code, message: err.message } };
  return {
    state: 'failed',
    error: {
      code: 'internal',
      message: 'An unexpected error stopped this backport; it was logged for the app owner.',
    },
  };
}

/** One comment per PR about a broken configuration, updated in place on later events. */
async function reportInvalidConfig(
  gh: GitHubClient,
  source: number,
  err: BackportError<'invalid-config'>,
  appLogin: string,
): Promise<void> {
  const body = renderInvalidConfigComment({ source, problems: err.data.problems, message: err.message });
  const comments = await gh.paginate<GhComment>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    issue_number: source,
  });
  const existing = comments.find((c) => writtenByApp(c, appLogin) && findMarker(c.body, 'config-error'));
  if (existing) {
    if (existing.body !== body)
      await gh.write(
        'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
        { comment_id: existing.id, body },
        { idempotent: true },
      );
    return;
  }
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { issue_number: source, body },
    { idempotent: false },
  );
}
