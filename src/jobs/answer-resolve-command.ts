import { createHash } from 'node:crypto';
import type { BackportConfig } from '../config/schema.js';
import { BackportError, isBackportError } from '../errors.js';
import type { ResolveRequest } from '../plan/parse-backport-command.js';
import { GitHubClient, type ClientDeps } from '../publish/github-client.js';
import { fetchBranch } from '../repo/git-remote.js';
import { RemoteSession } from '../repo/remote-session.js';
import { backportBranchName } from '../plan/targets.js';
import type { CachedRepository, RepoOpener } from '../repo/repo-cache.js';
import { renderResolveRefused, type ResolveProblem } from '../render/resolve-reply.js';
import { permissionOf, usableConfig } from './answer-backport-command.js';
import type { InstallationAccess } from './backport-request.js';
import { buildResolution } from './build-resolution.js';
import { prepareSource } from './prepare-source.js';
import { publishResolution } from './publish-resolution.js';
import { findResolveIssue, type ConflictMarker } from './resolve-issue.js';
import { loadSourcePull } from './source-pull.js';

/** A `/backport resolve` comment, as the event layer hands it over. */
export interface ResolveCommand {
  owner: string;
  repo: string;
  /** The repository's https clone URL (no credentials in it). */
  cloneUrl: string;
  /** Where the comment is: the conflict issue, or the original pull request. */
  number: number;
  isPull: boolean;
  commentId: number;
  login: string;
  request: ResolveRequest;
}

export interface ResolvePorts {
  access: InstallationAccess;
  readConfig(): Promise<{ rawConfig: unknown; configError?: string | undefined }>;
}

export interface ResolveDeps extends ClientDeps {
  repos: RepoOpener;
  committer: { name: string; email: string };
  now(): Date;
}

/** Codes whose sentence is the reply: the person's answer, patch or branch is the problem. */
const ANSWERED = ['bad-resolution', 'bad-patch', 'push-forbidden', 'missing-branch'] as const;

/**
 * Finishes a conflicted backport from a comment. Steps:
 *   1. only people with write access (it pushes a branch): anyone else gets a refusal;
 *   2. a usable configuration; the conflict issue the comment is about, which must be open;
 *   3. build the resolution in memory (the pick again, the choices, the patch): a bad answer
 *      or a patch that does not apply gets one reply naming the problem, and nothing is pushed;
 *   4. publish it: push the app's branch, open or update the backport PR, note it on the issue.
 * A rocket on the comment says it was done (also when the same answer was already published).
 */
export async function answerResolveCommand(
  command: ResolveCommand,
  ports: ResolvePorts,
  deps: ResolveDeps,
): Promise<void> {
  const gh = GitHubClient.forRepo(ports.access.request, command.owner, command.repo, deps);
  const reply = (problem: ResolveProblem) =>
    gh.write(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number: command.number, body: renderResolveRefused(command.request.answers, problem) },
      { idempotent: false },
    );
  const permission = await permissionOf(gh, command.login);
  if (!permission.writes)
    return void (await reply({ kind: 'permission', login: command.login, permission: permission.name }));
  const config = usableConfig(await ports.readConfig());
  if (!config) return void (await reply({ kind: 'config' }));
  const appLogin = await ports.access.appLogin();
  const found = await findResolveIssue(gh, command, config.conflictLabels[0], appLogin);
  if (!found.found) return void (await reply(found.problem));

  try {
    const published = await resolve(gh, command, config, found, ports, deps);
    if (published === 'clean') return void (await reply({ kind: 'clean', target: found.marker.target }));
  } catch (err) {
    if (!isBackportError(err) || !(ANSWERED as readonly string[]).includes(err.code)) throw err;
    return void (await reply({ kind: 'error', message: err.message }));
  }
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    { comment_id: command.commentId, content: 'rocket' },
    { idempotent: true },
  );
}

async function resolve(
  gh: GitHubClient,
  command: ResolveCommand,
  config: BackportConfig,
  found: Extract<Awaited<ReturnType<typeof findResolveIssue>>, { found: true }>,
  ports: ResolvePorts,
  deps: ResolveDeps,
): Promise<'clean' | 'done'> {
  const { marker, issue } = found;
  const pr = await loadSourcePull(gh, marker.source);
  const local = await deps.repos.open(command.owner, command.repo);
  const branch = marker.branch ?? marker.target;
  const remote = RemoteSession.forBranches({ url: command.cloneUrl, token: ports.access.token }, [
    pr.base,
    branch,
    backportBranchName(config, pr.number, marker.target),
  ]);
  const source = await prepareSource(local, remote, pr, config.mainline);
  const onto = await pickedOnto(local, remote, branch, marker, source.plan.commits[0]);
  const now = deps.now();
  const committer = { ...deps.committer, timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: 0 };
  const built = await buildResolution(local.store, {
    commits: source.plan.commits,
    onto,
    mainline: source.plan.mainline,
    targetName: branch,
    committer,
    answers: command.request.answers,
    patch: command.request.patch,
  });
  if (built.status === 'clean') {
    local.store.discard();
    return 'clean';
  }
  await publishResolution({
    job: {
      gh,
      appLogin: await ports.access.appLogin(),
      local,
      remote,
      config,
      pr,
      source,
      target: { label: '', target: marker.target, branch },
      committer: deps.committer,
      now: deps.now,
    },
    issue,
    commit: built.commit,
    onto,
    resolution: {
      failedCommit: built.failedCommit,
      answers: command.request.answers,
      choices: built.choices,
      patch: command.request.patch !== undefined,
      by: command.login,
      issueNumber: issue.number,
      issueUrl: issue.html_url,
      key: answerKey(command.request),
    },
  });
  return 'done';
}

/**
 * The commit the conflict issue's pick was made on, so the decisions are the ones it shows.
 * The target may have moved since: its history is fetched deeper until that commit is here;
 * an issue from before the marker named it is picked on the branch's tip.
 */
async function pickedOnto(
  local: CachedRepository,
  remote: RemoteSession,
  branch: string,
  marker: ConflictMarker,
  have: string | undefined,
): Promise<string> {
  for (const depth of [1, 16, 256]) {
    const tip = await fetchBranch(local.gitdir, remote, branch, { depth, ...(have ? { have } : {}) });
    if (tip === undefined) {
      throw new BackportError('missing-branch', `There is no branch ${branch} any more.`, { branch });
    }
    if (marker.onto === undefined || marker.onto === tip) return tip;
    if (
      await local.store.readCommit(marker.onto).then(
        () => true,
        () => false,
      )
    )
      return marker.onto;
  }
  throw new BackportError(
    'missing-branch',
    `${branch} no longer holds ${marker.onto!.slice(0, 7)}, where the conflict was found.`,
    { branch },
  );
}

/** The answer and its patch, normalised, as the PR's marker keeps it. */
function answerKey(request: ResolveRequest): string {
  const answers = request.answers.trim().replace(/\s+/g, ' ').toUpperCase();
  const patch =
    request.patch === undefined
      ? ''
      : ` patch:${createHash('sha256').update(request.patch).digest('hex').slice(0, 16)}`;
  return `${answers}${patch}`;
}
