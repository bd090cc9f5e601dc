/**
 * Webhook payloads for the simulator's events: GitHub's example for the event and action, with
 * repository, installation, sender and the pull request / issue / label / comment replaced by
 * the simulator's current objects.
 */
import type { ApiEvent, SimCore } from './rest-types.js';
import { labelJson, nodeId, repoJson, userJson } from './serialize-core.js';
import { commentJson, issueJson, pullJson } from './serialize-issue.js';
import { examplePayload, withOverrides } from './webhooks.js';

type Json = Record<string, unknown>;

export async function buildPayload(sim: SimCore, e: ApiEvent): Promise<Json> {
  const { repo, issue, sender } = e;
  const inst = sim.state.installations.get(repo.owner.toLowerCase());
  const common: Json = {
    repository: repoJson(repo, sim.state, sim.urls),
    sender: userJson(sim.state.user(sender), sim.urls),
    installation: inst ? { id: inst.id, node_id: nodeId('Installation', inst.id) } : undefined,
  };
  if (e.event !== 'issue_comment' && e.label !== undefined) {
    common.label = labelJson(repo, sim.state.label(repo, e.label), sim.urls);
  }
  if (e.event !== 'issue_comment' && e.assignee !== undefined) {
    common.assignee = userJson(sim.state.user(e.assignee), sim.urls);
  }
  const example = examplePayload(e.event, e.action);
  if (e.event === 'pull_request') {
    await sim.refreshPull(repo, issue);
    // GitHub's payloads carry mergeability as far as its background job has got: never a
    // test merge made for the payload, and `null` in `opened`, sent before the job starts.
    const stats = await sim.pullStats(repo, issue, 'background');
    if (e.action === 'opened') stats.mergeable = null;
    const pull = pullJson(repo, issue, sim.state, sim.urls, stats);
    // Examples carry fields (e.g. `changes`) that belong to other actions; drop what we do not set.
    delete example.changes;
    if (e.action !== 'labeled' && e.action !== 'unlabeled') delete example.label;
    if (e.action !== 'assigned') delete example.assignee;
    if (e.action === 'synchronize') Object.assign(example, { after: issue.pull?.headSha });
    return withOverrides(example, { ...common, action: e.action, number: issue.number, pull_request: pull });
  }
  if (e.event === 'issues') {
    delete example.changes;
    if (e.action !== 'labeled' && e.action !== 'unlabeled') delete example.label;
    if (e.action !== 'assigned') delete example.assignee;
    return withOverrides(example, {
      ...common,
      action: e.action,
      issue: issueJson(repo, issue, sim.state, sim.urls),
    });
  }
  const comment = sim.state.comments.get(e.commentId)!;
  delete example.changes;
  return withOverrides(example, {
    ...common,
    action: e.action,
    issue: issueJson(repo, issue, sim.state, sim.urls),
    comment: commentJson(repo, comment, sim.state, sim.urls),
  });
}
