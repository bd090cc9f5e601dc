import type { BackportConfig } from '../config/schema.js';
import { BackportError, errorForLog } from '../errors.js';
import { backportBranchName, resolveTargets, type Target } from '../plan/targets.js';
import { GitHubClient, type ClientDeps } from '../publish/github-client.js';
import type { GhPull } from '../common/github-types.js';
import { findBackportPull } from '../publish/backport-pull.js';
import { StatusCommentStore } from '../publish/status-comment-store.js';
import { askPushRefs, type AskedPushRefs } from '../repo/git-remote.js';
import { RemoteSession, type RemoteAccess } from '../repo/remote-session.js';
import type { CachedRepository, RepoOpener } from '../repo/repo-cache.js';
import type { StatusRow } from '../render/status-comment.js';
import { backportTarget } from './backport-target.js';
import { bringTargetTrees } from './bring-target-trees.js';
import type { ReadConfig } from './job-ports.js';
import { allowedTargets, type LabelPermission } from './label-permission.js';
import type { BackportRequest, InstallationAccess, Logger, MergedHint } from './backport-request.js';
import { mergeOf, openWithSource, prepareSource, type PreparedSource } from './prepare-source.js';
import { readConfigOrReport } from './read-backport-config.js';
import { loadSourcePull, type SourcePull } from './source-pull.js';
import { failure, rowFor } from './target-row.js';
import { isTransient } from './transient.js';

export interface RunDeps extends ClientDeps {
  repos: RepoOpener;
  committer: { name: string; email: string };
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

/** A backport job's request; its configuration is read by the job (`ReadConfig`). */
export type BackportJobInput = Omit<BackportRequest, 'rawConfig' | 'configError'>;

/**
 * One backport request, end to end. Steps:
 *   1. read the configuration and load the PR, at once; if the configuration is broken, say
 *      so on the PR and stop (no guessing); labels on an unmerged PR wait for the merge;
 *      on a warm cache the merged commit is fetched (by id) at once when the webhook named
 *      it, else as soon as the PR answered;
 *   2. resolve targets from labels;
 *   3. start fetching what the pick needs (once for all targets), and meanwhile check who
 *      added the labels, read the status comment and look for the backport PRs an earlier
 *      run made; then one status write: refused targets, and "in progress" for the rest,
 *      which only a publish waits for, not the pick;
 *   4. plan the pick, and run each target on its own: one failing target never stops the
 *      others, and every target gets a status row before anything is published and after
 *      it ends.
 * Requests that do not need each other's answers are made side by side: a backport's time
 * is mostly round trips to GitHub one after another.
 */
export async function runBackport(
  req: BackportJobInput,
  access: InstallationAccess,
  deps: RunDeps,
  readConfig: ReadConfig,
): Promise<void> {
  const gh = GitHubClient.forRepo(access.request, req.owner, req.repo, deps);
  const log = (msg: string, extra: Record<string, unknown> = {}) =>
    deps.log.info({ repo: `${req.owner}/${req.repo}`, pull: req.pullNumber, ...extra }, msg);

  const appLogin = ahead(access.appLogin());
  const loaded = ahead(loadSourcePull(gh, req.pullNumber));
  const cloned: RemoteAccess = { url: req.cloneUrl, token: access.token };
  // The merged commit is known before the configuration: its fetch need not wait for it,
  // nor for the pull request when the webhook named it (`req.merged`). The PR decides: a
  // fetch of another commit is not used, and the PR's own is made. Both are always waited
  // for: they write into the cache repository (see `preparing` below).
  const hinted = req.merged ? ahead(openWithSource(deps.repos, req, cloned, req.merged)) : undefined;
  const opened = ahead(
    loaded.then(async (pr) => {
      const merge = mergeOf(pr);
      if (hinted && merge && sameMerge(merge, req.merged!)) return hinted;
      await hinted?.catch(() => undefined);
      return merge ? openWithSource(deps.repos, req, cloned, merge) : undefined;
    }),
  );
  try {
    return await backport({ req, gh, deps, log, appLogin, loaded, opened, cloned }, readConfig);
  } finally {
    await Promise.allSettled([opened, hinted]);
  }
}

function sameMerge(a: MergedHint, b: MergedHint): boolean {
  return a.mergeCommitSha === b.mergeCommitSha && a.base === b.base;
}

/** `runBackport` from the configuration on, with what was started before it answered. */
async function backport(
  s: {
    req: BackportJobInput;
    gh: GitHubClient;
    deps: RunDeps;
    log: (msg: string, extra?: Record<string, unknown>) => void;
    appLogin: Promise<string>;
    loaded: Promise<SourcePull>;
    opened: Promise<CachedRepository | undefined>;
    cloned: RemoteAccess;
  },
  readConfig: ReadConfig,
): Promise<void> {
  const { req, gh, deps, log, appLogin, loaded } = s;
  const config = await readConfigOrReport(req.pullNumber, readConfig, gh, log, appLogin);
  if (!config) return;

  const pr = await loaded;
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
  const login = await appLogin;
  const loadStatus = ahead(StatusCommentStore.load(gh, pr.number, login));
  const at = () => deps.now().toISOString();

  // One ref discovery answers the whole job: the merged branch, the targets, the app's branches.
  const remote = RemoteSession.forBranches(s.cloned, [
    pr.base,
    ...targets.flatMap((t) => [t.branch, backportBranchName(config, pr.number, t.target)]),
  ]);
  // Asked now, beside the source's fetch: the fetch (by id) no longer makes it first.
  if (targets.length > 0) ahead(remote.discovery());
  // So is the push's (receive-pack's): asked after the fetch, it would be a round trip on the
  // way to the PR. A target's first push uses it, and looks at the target again beside it.
  const pushRefs = targets.length > 0 && config.commits === 'push' ? ahead(askPushRefs(remote)) : undefined;
  // The fetch takes longest, so it starts first; nothing is published before the label
  // check below allows it. It is always waited for: it writes into the cache repository,
  // which the next job (or eviction) may touch once this one has ended.
  // An empty cache fetches the targets with the source, and their trees in the same walk.
  const onto = targets.map((t) => t.branch);
  const preparing =
    targets.length > 0
      ? ahead(
          (async () => {
            const local = (await s.opened) ?? (await deps.repos.open(req.owner, req.repo));
            return { local, source: await prepareSource(local, remote, pr, config.mainline, onto) };
          })(),
        )
      : undefined;
  let status: StatusCommentStore | undefined;
  try {
    const allowed =
      targets.length > 0
        ? await labelsAllowed(gh, req, pr.number, targets, deps, login)
        : { targets: [], refused: [] };
    targets = allowed.targets;
    const existing = new Map(
      targets.map((t) => [
        t.target,
        ahead(findBackportPull(gh, backportBranchName(config, pr.number, t.target))),
      ]),
    );
    status = await loadStatus;
    const loadedStatus = status;
    const previous = new Map(targets.map((t) => [t.target, loadedStatus.row(t.target)]));
    // Status writes are recorded, not awaited for success: a comment that cannot be written
    // must not stop the backports it reports on. The job fails at the end if it stayed unwritten.
    // This first one is awaited only before a target publishes (`statusWritten`): the pick
    // goes on meanwhile, and the store makes each later write after it.
    const statusWritten = status.recordAll(
      [
        ...rejected.map((r): StatusRow => ({
          target: r.target,
          state: 'failed',
          error: { code: r.code, message: r.reason },
          at: at(),
        })),
        ...allowed.refused.map(([t, err]) => rowFor(t, failure(err), at())),
        ...targets.map((t) => rowFor(t, { state: 'in-progress' }, at())),
      ],
      { asLoaded: true },
    );
    if (targets.length === 0) return await status.settle();

    let local: CachedRepository;
    let source: PreparedSource;
    try {
      // Rows already say "in progress", so any failure here must replace them.
      ({ local, source } = await preparing!);
    } catch (err) {
      if (retryLater(err, deps))
        throw retryError(
          targets.map((t) => t.target),
          err,
        );
      await status.recordAll(targets.map((t) => rowFor(t, failure(err), at())));
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
        { gh, appLogin: login, local, remote, config, pr, source, deps, req, at, statusWritten, pushRefs },
        target,
        previous,
        existing.get(target.target),
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
    await bringTargetTrees(
      local,
      source.plan,
      targets.map((t) => t.branch),
    );
    await status.settle();
    if (again.length > 0) throw retryError(again, cause);
  } finally {
    await preparing?.catch(() => undefined);
    // A job ends only once its rows are written (or failed to be): a write landing after the
    // job's next try read the comment would put back what that try replaced.
    await status?.idle();
  }
}

/**
 * `p`, already under way, for awaiting later: a failure surfaces where it is awaited, and is
 * nobody's when the job no longer needs the answer (an unhandled rejection otherwise).
 */
function ahead<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** `allowedTargets`, where a transient failure retries the job (nothing is "in progress" yet). */
async function labelsAllowed(
  gh: GitHubClient,
  req: BackportJobInput,
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

interface TargetContext {
  gh: GitHubClient;
  appLogin: string;
  local: CachedRepository;
  remote: RemoteSession;
  config: BackportConfig;
  pr: SourcePull;
  source: PreparedSource;
  deps: RunDeps;
  req: BackportJobInput;
  at: () => string;
  statusWritten: Promise<void>;
  pushRefs: Promise<AskedPushRefs> | undefined;
}

/**
 * One target: its final status row, whatever happens (a failure becomes a "failed" row),
 * or, for a transient failure before the job's last try, `{ retry }`.
 */
async function runTarget(
  ctx: TargetContext,
  target: Target,
  previous: Map<string, StatusRow | undefined>,
  existing: Promise<GhPull | undefined> | undefined,
): Promise<StatusRow | { retry: unknown }> {
  try {
    return await backportTarget({
      existing,
      gh: ctx.gh,
      local: ctx.local,
      remote: ctx.remote,
      config: ctx.config,
      pr: ctx.pr,
      source: ctx.source,
      target,
      statusWritten: ctx.statusWritten,
      pushRefs: ctx.pushRefs,
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
