import type { GitHubClient } from './github-client.js';

/** A finished check run as the app reports it on a commit. */
export interface CheckRunReport {
  /** The check's name on the PR page; GitHub shows the latest run of each name. */
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  /** Markdown, at most 65,535 characters (GitHub's limit). */
  summary: string;
}

const SUMMARY_LIMIT = 65_535;

/**
 * Reports a check run, finished, on a commit. Each report is a new run: GitHub shows and
 * counts only the latest run of a name, so a repeated report replaces the earlier one
 * rather than adding to it, and a retried create is harmless.
 */
export async function writeCheckRun(gh: GitHubClient, report: CheckRunReport): Promise<{ id: number }> {
  const summary =
    report.summary.length > SUMMARY_LIMIT
      ? `${report.summary.slice(0, SUMMARY_LIMIT - 2)}\n…`
      : report.summary;
  return gh.write<{ id: number }>(
    'POST /repos/{owner}/{repo}/check-runs',
    {
      name: report.name,
      head_sha: report.headSha,
      status: 'completed',
      conclusion: report.conclusion,
      output: { title: report.title.slice(0, 255), summary },
    },
    { idempotent: true },
  );
}
