import type { RequestFn } from '../publish/github-client.js';

/**
 * What the event layer hands the pipeline: "backport PR #N of owner/repo", with the labels
 * to act on. Everything else is looked up fresh, so a late or repeated webhook acts on the
 * current state of the PR rather than on the payload's snapshot.
 */
export interface BackportRequest {
  owner: string;
  repo: string;
  /** The repository's https clone URL (no credentials in it). */
  cloneUrl: string;
  pullNumber: number;
  /** 'all': every label naming a target (the PR was just merged); else only these labels. */
  labels: 'all' | string[];
  /** Who added the label, when a `labeled` event asks: checked against BACKPORT_LABEL_PERMISSION. */
  labeledBy?: string | undefined;
  /** Only these targets (a retry of failed ones); absent: every target the labels name. */
  targets?: string[] | undefined;
  /** What the webhook said of the merge, when it said it (`MergedHint`). */
  merged?: MergedHint | undefined;
  /** `.github/backport.yml` as read by Probot (null when absent). */
  rawConfig: unknown;
  /** Set when the file exists but could not be read (a YAML syntax error). */
  configError?: string | undefined;
}

/**
 * The merge as a webhook's payload described it (`pull_request.closed`, `labeled` on a merged
 * PR): enough for a job on a warm cache to start fetching the merged commit by id at once,
 * beside its first requests, instead of after GitHub answered for the PR. A hint only: the
 * PR the job reads decides, and a fetch of another commit is simply not used.
 */
export interface MergedHint {
  mergeCommitSha: string;
  /** The branch it was merged into. */
  base: string;
  /** How many commits the PR had (how deep the fetch goes for a rebase merge). */
  commits: number;
}

/** How to talk to GitHub for this installation. */
export interface InstallationAccess {
  request: RequestFn;
  /** An installation token for git over HTTPS; asked for when needed, never logged. */
  token(): Promise<string>;
  /** The app's bot login (`slug[bot]`): only what it wrote carries a marker the app trusts. */
  appLogin(): Promise<string>;
}

export interface Logger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}
