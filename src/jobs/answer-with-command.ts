import { backportBranchPrefix } from '../config/parse-config.js';
import { BackportError, isBackportError } from '../errors.js';
import { cherryPick } from '../pick/cherry-pick.js';
import { subjectOf } from '../pick/commit-message.js';
import type { Signature } from '../pick/types.js';
import type { WithRequest } from '../plan/parse-backport-command.js';
import { backportBranchName, labelForTarget, resolveTargets, type Target } from '../plan/targets.js';
import { findBackportPull } from '../publish/backport-pull.js';
import { GitHubClient } from '../publish/github-client.js';
import { StatusCommentStore } from '../publish/status-comment-store.js';
import { renderCommandRefused } from '../render/command-reply.js';
import type { StatusRow } from '../render/status-comment.js';
import { fetchBranch } from '../repo/git-remote.js';
import { assertOwnBranch } from '../repo/push-guard.js';
import { RemoteSession } from '../repo/remote-session.js';
import { permissionOf, usableConfig } from './answer-backport-command.js';
import type { ResolveDeps, ResolvePorts } from './answer-resolve-command.js';
import { prerequisiteGroups, type PickGroup } from './prerequisite-commits.js';
import { prepareSource } from './prepare-source.js';
import { publishBranch } from './publish-branch.js';
import { publishClean } from './publish-clean.js';
import { loadSourcePull } from './source-pull.js';
import type { TargetJob } from './target-job.js';

/** `/backport v1.2 with abc1234 #456` on a merged pull request, as the event layer hands it over. */
export interface WithCommand {
  owner: string;
  repo: string;
  cloneUrl: string;
  pullNumber: number;
  commentId: number;
  login: string;
  request: WithRequest;
}

/**
 * A backport that takes named prerequisites along. Steps:
 *   1. only people with write access (it pushes a branch); a usable configuration; a merged PR;
 *   2. each prerequisite becomes its commits: a sha prefix the commit on the PR's base branch,
 *      a PR number its merged commit(s) as the pipeline would pick them;
 *   3. pick them in the order given, then the PR's own commits, each with its `-x` trailer;
 *   4. push the app's branch and open the backport PR, whose body lists the prerequisites.
 * Bad input (an unknown word or sha, a PR not merged, a prerequisite or the PR that conflicts)
 * gets one reply, and nothing is pushed.
 */
export async function answerWithCommand(
  command: WithCommand,
  ports: ResolvePorts,
  deps: ResolveDeps,
): Promise<void> {
  const gh = GitHubClient.forRepo(ports.access.request, command.owner, command.repo, deps);
  const words = [command.request.target, 'with', ...describeRefs(command.request)];
  const reply = (body: string) =>
    gh.write(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number: command.pullNumber, body },
      { idempotent: false },
    );
  const refused = (why: string) =>
    reply(`\`/backport ${words.join(' ')}\` was not run: ${why} Nothing was pushed.`);
  const permission = await permissionOf(gh, command.login);
  if (!permission.writes)
    return void (await reply(
      renderCommandRefused({ login: command.login, targets: words, permission: permission.name }),
    ));
  if (command.request.unknown.length > 0)
    return void (await refused(
      `${command.request.unknown.map((w) => `\`${w.replace(/`/g, '')}\``).join(', ')} ${command.request.unknown.length === 1 ? 'is' : 'are'} neither a commit (7 to 40 hex digits) nor a pull request (\`#123\`).`,
    ));
  if (command.request.prerequisites.length === 0)
    return void (await refused(
      'name the commits (`abc1234`) or pull requests (`#123`) to take along after `with`.',
    ));
  const config = usableConfig(await ports.readConfig());
  if (!config)
    return void (await refused('`.github/backport.yml` cannot be used; see the comment about it.'));
  try {
    await run(gh, command, config, ports, deps);
  } catch (err) {
    if (!isBackportError(err) || !REPLIED.has(err.code)) throw err;
    return void (await refused(err.message));
  }
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    { comment_id: command.commentId, content: 'rocket' },
    { idempotent: true },
  );
}

/** Codes whose sentence is the reply: the request names something wrong. */
const REPLIED = new Set([
  'bad-prerequisite',
  'bad-argument',
  'invalid-ref-name',
  'target-is-base',
  'missing-branch',
  'push-forbidden',
  'too-many-commits',
]);

export function describeRefs(request: WithRequest): string[] {
  return [
    ...request.prerequisites.map((p) => ('pull' in p ? `#${p.pull}` : p.commit.slice(0, 12))),
    ...request.unknown.map((w) => w.slice(0, 40)),
  ];
}

async function run(
  gh: GitHubClient,
  command: WithCommand,
  config: NonNullable<ReturnType<typeof usableConfig>>,
  ports: ResolvePorts,
  deps: ResolveDeps,
): Promise<void> {
  const pr = await loadSourcePull(gh, command.pullNumber);
  if (!pr.merged)
    throw new BackportError('bad-prerequisite', `#${pr.number} is not merged yet.`, {
      ref: `#${pr.number}`,
      reason: 'not-merged',
    });
  const target = targetOf(config, command.request.target, pr.base);
  const branch = backportBranchName(config, pr.number, target.target);
  assertOwnBranch(branch, backportBranchPrefix(config));
  const existing = await findBackportPull(gh, branch);
  if (existing)
    throw new BackportError(
      'push-forbidden',
      `the backport pull request #${existing.number} exists already.`,
      {
        branch,
      },
    );
  const appLogin = await ports.access.appLogin();
  const local = await deps.repos.open(command.owner, command.repo);
  const remote = RemoteSession.forBranches({ url: command.cloneUrl, token: ports.access.token }, [
    pr.base,
    target.branch,
    branch,
  ]);
  const source = await prepareSource(local, remote, pr, config.mainline);
  const status = await StatusCommentStore.load(gh, pr.number, appLogin);
  const job: TargetJob = {
    gh,
    local,
    remote,
    config,
    pr,
    source,
    target,
    previous: status.row(target.target),
    committer: deps.committer,
    appLogin,
    now: deps.now,
  };
  const groups = await prerequisiteGroups(job, command.request.prerequisites);
  const tip = await fetchBranch(local.gitdir, remote, target.branch, { depth: 1, partial: true });
  if (tip === undefined)
    throw new BackportError('missing-branch', `there is no branch \`${target.branch}\`.`, {
      branch: target.branch,
    });
  const now = Math.floor(deps.now().getTime() / 1000);
  const committer = { ...deps.committer, timestamp: now, timezoneOffset: 0 };
  const own: PickGroup = {
    name: `#${pr.number}`,
    commits: source.plan.commits,
    mainline: source.plan.mainline,
  };
  const { onto, beforeOwn } = await pickInOrder(job, [...groups, own], tip, committer);
  await local.store.flush();
  await publishBranch(job, { branch, commit: onto, onto: tip });
  await status.record(await openPull(job, groups, branch, onto, beforeOwn));
  await status.settle();
}

/** The backport PR for the picked commits, its body listing the prerequisites taken along. */
async function openPull(
  job: TargetJob,
  groups: readonly PickGroup[],
  branch: string,
  onto: string,
  beforeOwn: string,
): Promise<StatusRow> {
  const taken = await Promise.all(
    groups.flatMap((g) =>
      g.commits.map(async (sha) => ({
        sha,
        subject: subjectOf((await job.local.store.readCommit(sha)).message),
        pull: g.pull,
      })),
    ),
  );
  const row = await publishClean(
    { ...job, prerequisites: taken },
    branch,
    onto,
    undefined,
    (fields) => ({
      target: job.target.target,
      ...(job.target.branch !== job.target.target ? { branch: job.target.branch } : {}),
      ...fields,
      at: job.now().toISOString(),
    }),
    beforeOwn,
  );
  return row;
}

/**
 * Picks each group on the last, in order (each commit with its own `-x` trailer); the last
 * group is the PR's own. A conflict anywhere is the reply, and nothing is kept.
 */
async function pickInOrder(
  job: TargetJob,
  groups: readonly PickGroup[],
  tip: string,
  committer: Signature,
): Promise<{ onto: string; beforeOwn: string }> {
  const own = groups.at(-1)!;
  let onto = tip;
  let beforeOwn = tip;
  for (const group of groups) {
    if (group === own) beforeOwn = onto;
    const result = await cherryPick(job.local.store, {
      commits: group.commits,
      onto,
      mainline: group.mainline,
      committer,
      targetName: job.target.branch,
    });
    if (result.status === 'conflict') {
      job.local.store.discard();
      const files = result.conflicts.map((c) => `\`${c.path.replace(/`/g, '')}\``).join(', ');
      const what = group === own ? `${group.name} itself` : group.name;
      const after = group === own ? ' after the prerequisites' : '';
      throw new BackportError(
        'bad-prerequisite',
        `${what} (commit \`${result.commit.slice(0, 7)}\`) conflicts on \`${job.target.branch}\`${after}, in ${files.slice(0, 500)}.`,
        { ref: group.name, reason: 'conflicts' },
      );
    }
    onto = result.commit;
  }
  return { onto, beforeOwn };
}

function targetOf(config: NonNullable<ReturnType<typeof usableConfig>>, name: string, base: string): Target {
  const label = labelForTarget(config, name);
  const { targets, rejected } = resolveTargets({ labels: [label], config, baseBranch: base, declines: [] });
  const target = targets[0];
  if (!target)
    throw new BackportError('bad-argument', rejected[0]?.reason ?? `\`${name}\` is not a target.`, {
      target: name,
    });
  return target;
}
