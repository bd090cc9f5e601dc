import { isApp } from '../common/is-app.js';
import type { AuthoredPull, ChecksState, LedgerGitHub, RepoSnapshot } from '../ledger/ledger-ports.js';
import { combineChecks } from './combine-checks.js';
import type { GitHubClient } from './github-client.js';
import type { GhComment, GhIssue } from '../common/github-types.js';
import { createTrackingIssueApi, LIST_PAGES } from './tracking-issue-api.js';

interface GhRepository {
  full_name: string;
  private: boolean;
  html_url: string;
  default_branch: string;
  clone_url: string;
}

/**
 * The reads the ledger makes for one repository (a rebuild, the checks of open backport
 * PRs) and its tracking issue, on the retrying GitHub client: lists are read page by page
 * (100 a page), and rate limits are waited out within the client's bound, then reported.
 */
export function createLedgerGitHub(gh: GitHubClient, appLogin: string): LedgerGitHub {
  return {
    async repository(): Promise<RepoSnapshot> {
      const r = await gh.get<GhRepository>('GET /repos/{owner}/{repo}');
      return {
        repo: r.full_name,
        private: r.private,
        htmlUrl: r.html_url,
        defaultBranch: r.default_branch,
        cloneUrl: r.clone_url,
      };
    },
    pulls: () =>
      gh.paginate<AuthoredPull>(
        'GET /repos/{owner}/{repo}/pulls',
        { state: 'all', sort: 'created', direction: 'desc' },
        LIST_PAGES,
      ),
    async appIssues() {
      // `creator` keeps other people's issues (and most pull requests) out of the listing.
      const issues = await gh.paginate<GhIssue>(
        'GET /repos/{owner}/{repo}/issues',
        { state: 'all', creator: appLogin, sort: 'created', direction: 'desc' },
        LIST_PAGES,
      );
      return issues.filter((i) => !i.pull_request);
    },
    async appComments(number) {
      const comments = await gh.paginate<GhComment>(
        'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
        {
          issue_number: number,
        },
      );
      return comments.filter((c) => isApp(c.user, appLogin)).map((c) => c.body ?? '');
    },
    async checks(sha): Promise<ChecksState> {
      const runs = await gh.get<{
        check_runs: Array<{
          status?: string | null;
          conclusion?: string | null;
          app?: { slug?: string } | null;
        }>;
      }>('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ref: sha, per_page: 100 });
      const status = await gh.get<{ statuses: Array<{ state: string }> }>(
        'GET /repos/{owner}/{repo}/commits/{ref}/status',
        { ref: sha },
      );
      // The app's own marker check passing says nothing about CI: counted, it would make a
      // head whose CI has not reported yet look settled. Failing, it is a real failure.
      const others = runs.check_runs.filter(
        (r) => !(isApp({ login: `${r.app?.slug ?? ''}[bot]` }, appLogin) && r.conclusion === 'success'),
      );
      return combineChecks([...others, ...status.statuses]);
    },
    tracking: createTrackingIssueApi(gh, appLogin),
  };
}
