/**
 * Pull request endpoints. Writes by the app are attributed to its bot user.
 */
import { commitsBetween, readCommits, revParse } from './git.js';
import { openPull, setState, touch } from './issue-ops.js';
import { commitJson } from './serialize-git.js';
import { pullJson } from './serialize-issue.js';
import {
  notFound,
  paginate,
  sortBy,
  validationFailed,
  type Handler,
  type RestRequest,
  type SimCore,
} from './rest-types.js';
import type { SimIssue, SimRepo } from './state.js';

type Body = Record<string, unknown>;

function pullOf(sim: SimCore, repo: SimRepo, req: RestRequest): SimIssue {
  const issue = sim.state.issuesOf(repo.fullName).get(Number(req.params.pull_number));
  if (!issue?.pull) throw notFound();
  return issue;
}

async function fullPull(
  sim: SimCore,
  repo: SimRepo,
  issue: SimIssue,
  mergeability: 'wait' | 'background' = 'wait',
) {
  await sim.refreshPull(repo, issue);
  return pullJson(repo, issue, sim.state, sim.urls, await sim.pullStats(repo, issue, mergeability));
}

export const pullHandlers: Record<string, Handler> = {
  'pulls/list': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const state = req.query.state ?? 'open';
    const head = typeof req.query.head === 'string' ? req.query.head : undefined;
    const all = [...sim.state.issuesOf(repo.fullName).values()].filter((i) => i.pull);
    for (const i of all) await sim.refreshPull(repo, i);
    const matching = all.filter((i) => {
      const pr = i.pull!;
      if (state !== 'all' && i.state !== state) return false;
      if (req.query.base !== undefined && pr.baseRef !== req.query.base) return false;
      if (head !== undefined) {
        const [owner, ref] = head.includes(':') ? head.split(/:(.*)/s) : [repo.owner, head];
        const headOwner = pr.headRepo.split('/')[0]!;
        if (headOwner.toLowerCase() !== owner!.toLowerCase() || pr.headRef !== ref) return false;
      }
      return true;
    });
    const direction =
      req.query.direction ?? (req.query.sort === undefined || req.query.sort === 'created' ? 'desc' : 'asc');
    const { page, headers } = paginate(req, sortBy(matching, req.query.sort, direction));
    return { status: 200, headers, body: page.map((i) => pullJson(repo, i, sim.state, sim.urls)) };
  },

  'pulls/create': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const body = req.body as Body;
    if (typeof body.title !== 'string' || body.title === '') {
      throw validationFailed([{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
    }
    const issue = await openPull(sim, repo, {
      head: String(body.head),
      headRepo: typeof body.head_repo === 'string' ? body.head_repo : undefined,
      base: String(body.base),
      title: body.title,
      body: typeof body.body === 'string' ? body.body : null,
      draft: body.draft === true,
      user: sim.botLogin,
    });
    sim.raise({ event: 'pull_request', action: 'opened', repo, issue, sender: sim.botLogin });
    // As GitHub: `mergeable: null` now, the test merge in the background; a later read has it.
    const json = await fullPull(sim, repo, issue, 'background');
    sim.startTestMerge(repo, issue);
    return { status: 201, body: json, headers: { location: String(json.url) } };
  },

  'pulls/get': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    return { status: 200, body: await fullPull(sim, repo, pullOf(sim, repo, req)) };
  },

  'pulls/update': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const issue = pullOf(sim, repo, req);
    const body = req.body as Body;
    if (typeof body.base === 'string' && body.base !== issue.pull!.baseRef) {
      if (!(await revParse(repo.path, `refs/heads/${body.base}`))) {
        throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      }
      issue.pull!.baseRef = body.base;
    }
    if (typeof body.title === 'string') issue.title = body.title;
    if (typeof body.body === 'string' || body.body === null)
      issue.body = (body.body as string | null) ?? null;
    touch(sim, issue);
    if ((body.state === 'open' || body.state === 'closed') && !issue.pull!.merged) {
      if (setState(sim, issue, body.state, sim.botLogin) && body.state === 'closed') {
        sim.raise({ event: 'pull_request', action: 'closed', repo, issue, sender: sim.botLogin });
      }
    }
    return { status: 200, body: await fullPull(sim, repo, issue) };
  },

  'pulls/list-commits': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const issue = pullOf(sim, repo, req);
    await sim.refreshPull(repo, issue);
    const pr = issue.pull!;
    const base = pr.merged
      ? pr.baseSha
      : ((await revParse(repo.path, `refs/heads/${pr.baseRef}`)) ?? pr.baseSha);
    const shas = (await commitsBetween(repo.path, base, pr.headSha)).slice(0, 250);
    const { page, headers } = paginate(req, shas);
    const body = [];
    await readCommits(repo.path, page);
    for (const sha of page) body.push(await commitJson(repo, sha, sim.state, sim.urls));
    return { status: 200, headers, body };
  },

  'pulls/request-reviewers': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const issue = pullOf(sim, repo, req);
    const reviewers = ((req.body as Body).reviewers as string[] | undefined) ?? [];
    for (const login of reviewers) {
      if (login.toLowerCase() === issue.user.toLowerCase()) {
        throw validationFailed([], 'Review cannot be requested from pull request author.');
      }
      if (!sim.state.findUser(login) || !sim.state.roleOf(repo, login)) {
        throw validationFailed(
          [],
          `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.fullName} repository.`,
        );
      }
    }
    for (const login of reviewers) {
      const user = sim.state.findUser(login)!;
      if (!issue.pull!.requestedReviewers.includes(user.login))
        issue.pull!.requestedReviewers.push(user.login);
    }
    touch(sim, issue);
    await sim.refreshPull(repo, issue);
    return { status: 201, body: pullJson(repo, issue, sim.state, sim.urls) };
  },
};
