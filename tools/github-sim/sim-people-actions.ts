/**
 * The simulator's people acting on issues and pull requests: open an issue, label, comment,
 * close, and announce a push to a pull request, each delivering its webhook to the app.
 */
import { addComment, addLabels, openIssue, removeLabel, setState } from './issue-ops.js';
import { SimActions } from './sim-actions.js';
import type { Delivery } from './webhooks.js';

export abstract class SimPeopleActions extends SimActions {
  async createIssue(opts: {
    repo: string;
    title: string;
    body?: string;
    user: string;
    labels?: string[];
    assignees?: string[];
  }) {
    const repo = this.repo(opts.repo);
    const issue = openIssue(this.sim, repo, opts);
    await this.emit({ event: 'issues', action: 'opened', repo, issue, sender: issue.user });
    return issue.number;
  }

  async addLabel(
    fullName: string,
    number: number,
    label: string,
    sender: string,
  ): Promise<Delivery | undefined> {
    const repo = this.repo(fullName);
    const issue = this.issue(fullName, number);
    const [added] = addLabels(this.sim, repo, issue, [label], sender);
    if (added === undefined) return undefined;
    const event = issue.pull ? 'pull_request' : 'issues';
    return this.emit({ event, action: 'labeled', repo, issue, label: added, sender });
  }

  async removeLabel(
    fullName: string,
    number: number,
    label: string,
    sender: string,
  ): Promise<Delivery | undefined> {
    const repo = this.repo(fullName);
    const issue = this.issue(fullName, number);
    if (!removeLabel(this.sim, issue, label, sender))
      throw new Error(`github-sim: #${number} has no label ${label}`);
    const event = issue.pull ? 'pull_request' : 'issues';
    return this.emit({ event, action: 'unlabeled', repo, issue, label, sender });
  }

  /** Comments as `user` and delivers issue_comment.created; returns the comment id. */
  async comment(fullName: string, number: number, body: string, user: string): Promise<number> {
    const repo = this.repo(fullName);
    const issue = this.issue(fullName, number);
    const c = addComment(this.sim, repo, issue, body, user);
    await this.emit({
      event: 'issue_comment',
      action: 'created',
      repo,
      issue,
      commentId: c.id,
      sender: c.user,
    });
    return c.id;
  }

  async closeIssue(
    fullName: string,
    number: number,
    sender: string,
    reason: 'completed' | 'not_planned' = 'completed',
  ) {
    const repo = this.repo(fullName);
    const issue = this.issue(fullName, number);
    if (setState(this.sim, issue, 'closed', sender, reason)) {
      await this.emit({
        event: issue.pull ? 'pull_request' : 'issues',
        action: 'closed',
        repo,
        issue,
        sender,
      });
    }
  }

  /** Delivers pull_request.synchronize after a test pushed to the PR's head branch (GitHub sends it on push). */
  async synchronizePull(fullName: string, number: number, sender: string): Promise<void> {
    const repo = this.repo(fullName);
    const issue = this.issue(fullName, number);
    if (!issue.pull) throw new Error(`github-sim: #${number} is not a pull request`);
    await this.emit({ event: 'pull_request', action: 'synchronize', repo, issue, sender });
  }

  /** Reopens a pull request closed unmerged (pull_request.reopened). */
  async reopenPull(fullName: string, number: number, sender: string): Promise<void> {
    const repo = this.repo(fullName);
    const issue = this.issue(fullName, number);
    if (!issue.pull || issue.pull.merged)
      throw new Error(`github-sim: #${number} is not a closed, unmerged pull request`);
    if (setState(this.sim, issue, 'open', sender)) {
      await this.emit({ event: 'pull_request', action: 'reopened', repo, issue, sender });
    }
  }

  /** Closes without merging (pull_request.closed with merged false). */
  async closePull(fullName: string, number: number, sender: string): Promise<void> {
    if (!this.issue(fullName, number).pull) throw new Error(`github-sim: #${number} is not a pull request`);
    await this.closeIssue(fullName, number, sender);
  }
}
