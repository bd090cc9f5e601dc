/**
 * What the ledger service needs from outside, as interfaces: GitHub reads and writes for one
 * repository (implemented in publish/ on the retrying GitHub client), its configuration
 * (read through Probot by the event layer) and a token for git. ledger/ stays free of Probot
 * and of HTTP, so the service can be driven by webhooks, by the demo or by a test alike.
 */
import type { GhIssue } from '../common/github-types.js';
import type { GitHubPull } from './facts-from-github.js';
import type { ChecksState } from './ledger-facts.js';
import type { TrackingIssueApi } from './tracking/tracking-issue-sync.js';

// The whole contract in one file: publish/ implements it and may import only this file's types.
export type { ChecksState } from './ledger-facts.js';
export type { IssueRecord, TrackingIssueApi } from './tracking/tracking-issue-sync.js';

/** What GitHub says about a repository now. */
export interface RepoSnapshot {
  /** `owner/name` as GitHub spells it. */
  repo: string;
  private: boolean;
  htmlUrl: string;
  defaultBranch: string;
  /** The https clone URL, without credentials. */
  cloneUrl: string;
}

/** Who wrote a pull request, issue or comment: the ledger trusts only the app's own. */
export interface Author {
  user?: { login: string; type?: string } | null;
}

export type AuthoredPull = GitHubPull & Author;

/** GitHub reads (for a rebuild and the checks) and the tracking issue, for one repository. */
export interface LedgerGitHub {
  repository(): Promise<RepoSnapshot>;
  /** Every pull request, open and closed, all pages. */
  pulls(): Promise<AuthoredPull[]>;
  /** Issues the app opened, open and closed, all pages (pull requests left out). */
  appIssues(): Promise<GhIssue[]>;
  /** The bodies of the app's own comments on one issue or pull request. */
  appComments(number: number): Promise<string[]>;
  /** Check runs and commit statuses of a commit, in one word. */
  checks(sha: string): Promise<ChecksState>;
  tracking: TrackingIssueApi;
}

/** Access to one repository through its installation. */
export interface RepoConnection {
  github: LedgerGitHub;
  /** `.github/backport.yml` as parsed YAML; null when the repository has none. */
  readConfig(): Promise<unknown>;
  /** An installation token for git over HTTPS; asked for when needed, never logged. */
  token(): Promise<string>;
}

/** A repository as a webhook names it. */
export interface RepoRef {
  repo: string;
  private: boolean;
  htmlUrl: string;
  defaultBranch: string;
  /** The installation the webhook came through (absent on hand-made deliveries). */
  installationId?: number | undefined;
}

export interface LedgerLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}
