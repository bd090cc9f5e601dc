import type { InstallationAccess } from './backport-request.js';

/** `.github/backport.yml` as read from the default branch (null when absent). */
export interface ReadConfig {
  (): Promise<{ rawConfig: unknown; configError?: string | undefined }>;
}

/** One repository's GitHub access outside a webhook (a resumed job, reconciliation). */
export interface RepoConnection {
  access: InstallationAccess;
  readConfig: ReadConfig;
}

/**
 * What the pipeline needs from the event layer once no webhook is at hand: an installation's
 * access, and which repositories are installed. The event layer implements it with Probot's
 * app client; the tests may give any.
 */
export interface JobPorts {
  connect(installationId: number, owner: string, repo: string): Promise<RepoConnection>;
  installedRepos(): Promise<
    Array<{ installationId: number; repos: Array<{ fullName: string; cloneUrl: string }> }>
  >;
}
