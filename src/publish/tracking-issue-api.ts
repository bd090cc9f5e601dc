import { isApp } from '../common/is-app.js';
import type { IssueRecord, TrackingIssueApi } from '../ledger/ledger-ports.js';
import type { GitHubClient } from './github-client.js';
import type { GhIssue } from '../common/github-types.js';

/**
 * The GitHub calls behind the "Backport status" issue of one repository. Only issues the app
 * itself opened count, so a person cannot make the app adopt (and rewrite) their issue by
 * pasting its marker. Creating is not retried blindly (a 502 may hide an issue that was
 * made): the next update finds it by its marker instead of opening a second one.
 */
export function createTrackingIssueApi(gh: GitHubClient, appLogin: string): TrackingIssueApi {
  const record = (i: GhIssue): IssueRecord => ({ number: i.number, state: i.state, body: i.body ?? null });
  const own = (i: GhIssue) => !i.pull_request && isApp(i.user, appLogin);
  return {
    async getIssue(number) {
      const issue = await gh.find<GhIssue>('GET /repos/{owner}/{repo}/issues/{issue_number}', {
        issue_number: number,
      });
      return issue && own(issue) ? record(issue) : null;
    },
    async listOwnIssues() {
      const issues = await gh.paginate<GhIssue>(
        'GET /repos/{owner}/{repo}/issues',
        { state: 'all', creator: appLogin, sort: 'created', direction: 'desc' },
        LIST_PAGES,
      );
      return issues.filter(own).map(record);
    },
    async createIssue(title, body) {
      return record(
        await gh.write<GhIssue>('POST /repos/{owner}/{repo}/issues', { title, body }, { idempotent: false }),
      );
    },
    async updateIssue(number, body) {
      await gh.write(
        'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
        { issue_number: number, body },
        {
          idempotent: true,
        },
      );
    },
  };
}

/** Up to 30,000 issues or pull requests per listing, 100 a page. */
export const LIST_PAGES = 300;
