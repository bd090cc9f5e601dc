/**
 * Issue, comment, label, assignee and reaction endpoints. As on GitHub they accept pull request
 * numbers too, and the issues list includes pull requests.
 */
import { addComment, addLabels, assign, openIssue, removeLabel, setState, touch } from './issue-ops.js';
import { labelJson } from './serialize-core.js';
import { commentJson, issueEventJson, issueJson, reactionJson } from './serialize-issue.js';
import { notFound, paginate, sortBy, type Handler, type RestRequest, type SimCore } from './rest-types.js';
import type { SimIssue, SimRepo } from './state.js';

type Body = Record<string, unknown>;

function issueOf(sim: SimCore, repo: SimRepo, req: RestRequest): SimIssue {
  const issue = sim.state.issuesOf(repo.fullName).get(Number(req.params.issue_number));
  if (!issue) throw notFound();
  return issue;
}

function commentOf(sim: SimCore, repo: SimRepo, req: RestRequest) {
  const c = sim.state.comments.get(Number(req.params.comment_id));
  if (!c || c.repo.toLowerCase() !== repo.fullName.toLowerCase()) throw notFound();
  return c;
}

/** GitHub takes label names as strings or `{ name }` objects. */
function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : ((body as Body | undefined)?.labels ?? []);
  return (list as unknown[]).map((l) => (typeof l === 'string' ? l : String((l as Body).name)));
}

/** Who a request acts as: a person with their own token, else the app's bot. */
function actorOf(sim: SimCore, req: RestRequest): string {
  return req.auth.kind === 'user' ? req.auth.login : sim.botLogin;
}

function eventOf(issue: SimIssue): 'pull_request' | 'issues' {
  return issue.pull ? 'pull_request' : 'issues';
}

export const issueHandlers: Record<string, Handler> = {
  'issues/list-for-repo': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const state = req.query.state ?? 'open';
    const labels =
      typeof req.query.labels === 'string' && req.query.labels ? req.query.labels.split(',') : [];
    const { creator, assignee, since } = req.query;
    const matching = [...sim.state.issuesOf(repo.fullName).values()].filter((i) => {
      if (state !== 'all' && i.state !== state) return false;
      if (!labels.every((l) => i.labels.some((x) => x.toLowerCase() === l.trim().toLowerCase())))
        return false;
      if (typeof creator === 'string' && i.user.toLowerCase() !== creator.toLowerCase()) return false;
      if (assignee === 'none' && i.assignees.length > 0) return false;
      if (assignee === '*' && i.assignees.length === 0) return false;
      if (typeof assignee === 'string' && assignee !== 'none' && assignee !== '*') {
        if (!i.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase())) return false;
      }
      if (typeof since === 'string' && i.updatedAt < since) return false;
      return true;
    });
    const { page, headers } = paginate(req, sortBy(matching, req.query.sort, req.query.direction ?? 'desc'));
    return { status: 200, headers, body: page.map((i) => issueJson(repo, i, sim.state, sim.urls)) };
  },

  'issues/create': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const body = req.body as Body;
    const assignees = [...((body.assignees as string[] | undefined) ?? [])];
    if (typeof body.assignee === 'string') assignees.push(body.assignee);
    const issue = openIssue(sim, repo, {
      title: String(body.title),
      body: typeof body.body === 'string' ? body.body : null,
      user: sim.botLogin,
      labels: labelNames(body),
      assignees,
    });
    sim.raise({ event: 'issues', action: 'opened', repo, issue, sender: sim.botLogin });
    const json = issueJson(repo, issue, sim.state, sim.urls);
    return { status: 201, body: json, headers: { location: String(json.url) } };
  },

  'issues/get': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    return { status: 200, body: issueJson(repo, issueOf(sim, repo, req), sim.state, sim.urls) };
  },

  'issues/update': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const issue = issueOf(sim, repo, req);
    const body = req.body as Body;
    if (typeof body.title === 'string') issue.title = body.title;
    if (typeof body.body === 'string' || body.body === null)
      issue.body = (body.body as string | null) ?? null;
    if (body.labels !== undefined) {
      issue.labels = [];
      addLabels(sim, repo, issue, labelNames(body), actorOf(sim, req));
    }
    if (Array.isArray(body.assignees)) {
      const before = issue.assignees;
      issue.assignees = [];
      for (const assignee of assign(sim, repo, issue, body.assignees as string[])) {
        if (!before.some((a) => a.toLowerCase() === assignee.toLowerCase()))
          sim.raise({
            event: eventOf(issue),
            action: 'assigned',
            repo,
            issue,
            assignee,
            sender: sim.botLogin,
          });
      }
    }
    touch(sim, issue);
    if ((body.state === 'open' || body.state === 'closed') && !issue.pull?.merged) {
      const reason = (body.state_reason as SimIssue['stateReason'] | undefined) ?? undefined;
      if (setState(sim, issue, body.state, sim.botLogin, reason) && body.state === 'closed') {
        sim.raise({ event: eventOf(issue), action: 'closed', repo, issue, sender: sim.botLogin });
      }
    }
    return { status: 200, body: issueJson(repo, issue, sim.state, sim.urls) };
  },

  'issues/list-comments': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const issue = issueOf(sim, repo, req);
    const since = typeof req.query.since === 'string' ? req.query.since : '';
    const all = sim.state
      .commentsOf(repo.fullName, issue.number)
      .filter((c) => c.updatedAt >= since)
      .sort((a, b) => a.id - b.id);
    const { page, headers } = paginate(req, all);
    return { status: 200, headers, body: page.map((c) => commentJson(repo, c, sim.state, sim.urls)) };
  },

  'issues/list-events': async (req, sim) => {
    const repo = sim.repoFor(req, 'read');
    const issue = issueOf(sim, repo, req);
    const { page, headers } = paginate(req, issue.events ?? []);
    return { status: 200, headers, body: page.map((e) => issueEventJson(repo, e, sim.state, sim.urls)) };
  },

  'issues/create-comment': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const issue = issueOf(sim, repo, req);
    const comment = addComment(sim, repo, issue, String((req.body as Body).body), sim.botLogin);
    sim.raise({
      event: 'issue_comment',
      action: 'created',
      repo,
      issue,
      commentId: comment.id,
      sender: sim.botLogin,
    });
    const json = commentJson(repo, comment, sim.state, sim.urls);
    return { status: 201, body: json, headers: { location: String(json.url) } };
  },

  'issues/update-comment': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const comment = commentOf(sim, repo, req);
    comment.body = String((req.body as Body).body);
    comment.updatedAt = sim.state.now();
    const issue = sim.state.issuesOf(repo.fullName).get(comment.issueNumber)!;
    sim.raise({
      event: 'issue_comment',
      action: 'edited',
      repo,
      issue,
      commentId: comment.id,
      sender: sim.botLogin,
    });
    return { status: 200, body: commentJson(repo, comment, sim.state, sim.urls) };
  },

  'reactions/create-for-issue-comment': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const comment = commentOf(sim, repo, req);
    const content = String((req.body as Body).content);
    const existing = comment.reactions.find((r) => r.user === sim.botLogin && r.content === content);
    if (existing) return { status: 200, body: reactionJson(existing, sim.state, sim.urls) };
    const reaction = { id: sim.state.id(), user: sim.botLogin, content, createdAt: sim.state.now() };
    comment.reactions.push(reaction);
    return { status: 201, body: reactionJson(reaction, sim.state, sim.urls) };
  },

  'issues/add-labels': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const issue = issueOf(sim, repo, req);
    for (const label of addLabels(sim, repo, issue, labelNames(req.body), actorOf(sim, req))) {
      sim.raise({ event: eventOf(issue), action: 'labeled', repo, issue, label, sender: sim.botLogin });
    }
    return {
      status: 200,
      body: issue.labels.map((n) => labelJson(repo, sim.state.label(repo, n), sim.urls)),
    };
  },

  'issues/remove-label': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const issue = issueOf(sim, repo, req);
    const name = req.params.name!;
    if (!removeLabel(sim, issue, name, actorOf(sim, req))) throw notFound('Label does not exist');
    sim.raise({ event: eventOf(issue), action: 'unlabeled', repo, issue, label: name, sender: sim.botLogin });
    return {
      status: 200,
      body: issue.labels.map((n) => labelJson(repo, sim.state.label(repo, n), sim.urls)),
    };
  },

  'issues/add-assignees': async (req, sim) => {
    const repo = sim.repoFor(req, 'write');
    const issue = issueOf(sim, repo, req);
    const wanted = ((req.body as Body | undefined)?.assignees as string[] | undefined) ?? [];
    for (const assignee of assign(sim, repo, issue, wanted)) {
      sim.raise({ event: eventOf(issue), action: 'assigned', repo, issue, assignee, sender: sim.botLogin });
    }
    return { status: 201, body: issueJson(repo, issue, sim.state, sim.urls) };
  },
};
