/**
 * The simulator's in-memory world: users, repositories, issues and pull requests (one number
 * space per repository, as on GitHub), comments, installations and tokens. Git data itself lives
 * in bare repositories on disk; this file only keeps what GitHub keeps beside git.
 */
export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface SimUser {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
}

export interface SimLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface SimRepo {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  /** The bare repository on disk. */
  path: string;
  forkOf: string | null;
  createdAt: string;
  collaborators: Map<string, Permission>;
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, SimLabel>;
  protectedBranches: Set<string>;
  /** The repository setting "Allow auto-merge" (off by default, as on GitHub). */
  allowAutoMerge: boolean;
  nextNumber: number;
}

export interface SimPullData {
  headRepo: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** Tip of the base branch when the PR was opened or last merged against. */
  baseSha: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** The last test merge of an open PR (refs/pull/N/merge) and the tips it was made from; sha null: it conflicts. */
  testMerge?: { base: string; head: string; sha: string | null };
  /** Auto-merge as enabled through GraphQL (`enablePullRequestAutoMerge`). */
  autoMerge?: {
    method: 'merge' | 'squash' | 'rebase';
    enabledAt: string;
    enabledBy: string;
    commitTitle: string;
    commitMessage: string;
  };
  /** Commits that a merge put on the base branch (the merge, squash or replayed commits). */
  landedCommits: string[];
  requestedReviewers: string[];
  commits: number;
}

export interface SimIssue {
  id: number;
  number: number;
  repo: string;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  /** Label names as attached (original case). */
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  pull: SimPullData | null;
  /** `labeled` and `unlabeled` events, oldest first (GET …/issues/{n}/events). */
  events?: SimIssueEvent[];
}

export interface SimIssueEvent {
  id: number;
  event: 'labeled' | 'unlabeled';
  label: string;
  actor: string;
  createdAt: string;
}

export interface SimReaction {
  id: number;
  user: string;
  content: string;
  createdAt: string;
}

export interface SimComment {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
  reactions: SimReaction[];
}

export interface SimInstallation {
  id: number;
  account: string;
  createdAt: string;
}

export interface SimToken {
  token: string;
  installationId: number;
  expiresAt: number;
}

/** A person's token from the OAuth web flow: it acts with that person's own access. */
export interface SimUserToken {
  token: string;
  login: string;
  expiresAt: number;
}

/** A code the authorize page handed out, exchanged once for a user token. */
export interface SimOAuthCode {
  login: string;
  clientId: string;
  redirectUri: string | null;
  expiresAt: number;
}

export interface SimCheckRun {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion:
    | 'success'
    | 'failure'
    | 'neutral'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | 'stale'
    | null;
  /** Given when the run is made (through REST, or by a test's setCheckRuns). */
  id?: number;
  /** Set when the run came through REST: the app that made it (else the simulated CI app). */
  byApp?: boolean;
  output?: { title: string | null; summary: string | null; text: string | null };
  detailsUrl?: string | null;
  externalId?: string;
  startedAt?: string;
  completedAt?: string | null;
}

export interface SimStatus {
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description?: string | null;
  targetUrl?: string | null;
}

/** Everything GitHub keeps beside git, plus the id counters that make its ids. */
export class SimState {
  readonly users = new Map<string, SimUser>();
  readonly repos = new Map<string, SimRepo>();
  readonly issues = new Map<string, Map<number, SimIssue>>();
  readonly comments = new Map<number, SimComment>();
  readonly installations = new Map<string, SimInstallation>();
  readonly tokens = new Map<string, SimToken>();
  readonly userTokens = new Map<string, SimUserToken>();
  readonly oauthCodes = new Map<string, SimOAuthCode>();
  readonly checkRuns = new Map<string, SimCheckRun[]>();
  readonly statuses = new Map<string, SimStatus[]>();
  private nextId = 1000;
  /** GitHub timestamps have second precision; a fixed epoch keeps dumps comparable. */
  private tick = Date.UTC(2024, 0, 1);
  /** Set by `setTime`: the clock then moves only as scripted, never with the wall clock. */
  private scriptedClock = false;

  id(): number {
    return this.nextId++;
  }

  /** A monotonically increasing ISO time, one second per call. */
  now(): string {
    this.tick = this.scriptedClock
      ? this.tick + 1000
      : Math.max(this.tick + 1000, Math.floor(Date.now() / 1000) * 1000);
    return new Date(this.tick).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /**
   * The latest time handed out, without moving the clock: with one second per call the
   * simulated GitHub runs ahead of the wall clock in a busy test, so an app under test that
   * compares its own times with GitHub's should read its clock from here (see `appTime`).
   */
  latest(): number {
    return this.tick;
  }

  /** Whether `setTime` has taken the clock off the wall clock. */
  get scripted(): boolean {
    return this.scriptedClock;
  }

  /**
   * Moves the clock forward to `ms` (whole seconds) and keeps it scripted from then on: the
   * next record is dated `ms`, later ones a second apart, until the next `setTime`. A history
   * played this way (the demo's weeks of pull requests) gets the same dates on every run.
   * The clock never goes back: GitHub's times only grow, and the app relies on it.
   */
  setTime(ms: number): void {
    const at = Math.floor(ms / 1000) * 1000;
    if (!Number.isFinite(at)) throw new Error(`github-sim: ${ms} is no time to set the clock to`);
    if (at <= this.tick) {
      throw new Error(
        `github-sim: the clock cannot go back to ${new Date(ms).toISOString()}; ` +
          `it already handed out ${new Date(this.tick).toISOString()}`,
      );
    }
    this.tick = at - 1000;
    this.scriptedClock = true;
  }

  /**
   * What an app under test should take as the time: a second past the latest time GitHub
   * handed out and, unless the clock is scripted, never behind the wall clock.
   */
  appTime(): Date {
    const next = this.tick + 1000;
    return new Date(this.scriptedClock ? next : Math.max(Date.now(), next));
  }

  user(login: string, type?: SimUser['type']): SimUser {
    let u = this.users.get(login.toLowerCase());
    if (!u) {
      u = { id: this.id(), login, type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User') };
      this.users.set(login.toLowerCase(), u);
    }
    return u;
  }

  findUser(login: string): SimUser | undefined {
    return this.users.get(login.toLowerCase());
  }

  repo(fullName: string): SimRepo | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  issuesOf(fullName: string): Map<number, SimIssue> {
    let m = this.issues.get(fullName.toLowerCase());
    if (!m) {
      m = new Map();
      this.issues.set(fullName.toLowerCase(), m);
    }
    return m;
  }

  commentsOf(fullName: string, issueNumber: number): SimComment[] {
    return [...this.comments.values()].filter(
      (c) => c.repo.toLowerCase() === fullName.toLowerCase() && c.issueNumber === issueNumber,
    );
  }

  /** GitHub's role for a user on a repository, or null when the user is no collaborator. */
  roleOf(repo: SimRepo, login: string): Permission | null {
    const role = repo.collaborators.get(login.toLowerCase());
    if (role) return role;
    const owner = this.findUser(repo.owner);
    if (owner?.type === 'User' && owner.login.toLowerCase() === login.toLowerCase()) return 'admin';
    return null;
  }

  /** Creates the label on the repository if needed (GitHub does so when a label is applied). */
  label(repo: SimRepo, name: string): SimLabel {
    let l = repo.labels.get(name.toLowerCase());
    if (!l) {
      l = { id: this.id(), name, color: 'ededed', description: null };
      repo.labels.set(name.toLowerCase(), l);
    }
    return l;
  }

  /** A plain-object snapshot for inspection and for the demo's JSON dump. */
  snapshot(): Record<string, unknown> {
    const plain = (v: unknown): unknown =>
      v instanceof Map
        ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]))
        : v instanceof Set
          ? [...v]
          : Array.isArray(v)
            ? v.map(plain)
            : v && typeof v === 'object'
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
              : v;
    return {
      users: plain(this.users),
      repos: plain(this.repos),
      issues: plain(this.issues),
      comments: plain(this.comments),
      installations: plain(this.installations),
      checkRuns: plain(this.checkRuns),
      statuses: plain(this.statuses),
    };
  }
}
