/**
 * The test-facing half of the simulator: build repositories, commits and pull requests, act as
 * users (label, comment, close, merge) with the matching webhook delivered to the app, and
 * inspect the result. Every mutation goes through the same rules as the REST API.
 */
import { revParse } from './git.js';
import { openPull, setState } from './issue-ops.js';
import { mergePullRequest, type MergeMethod } from './merge-pull.js';
import { identityOf, type CommitFilesOptions } from './repo-store.js';
import { HttpError, type ApiEvent } from './rest-types.js';
import { SimQueries } from './sim-queries.js';
import type { Permission, SimRepo } from './state.js';
import { buildPayload } from './webhook-events.js';
import type { Delivery } from './webhooks.js';

export interface CreateRepoOptions {
  owner: string;
  name: string;
  private?: boolean;
  defaultBranch?: string;
  /** A local repository (bare or not) to copy; it is never modified. */
  from?: string;
  /** Makes this repository a fork of another simulator repository (copied from it unless `from`). */
  forkOf?: string;
  /** Default 'Organization'; a 'User' owner is an implicit admin of the repository. */
  ownerType?: 'User' | 'Organization';
  /** The repository setting "Allow auto-merge" (default false, as on GitHub). */
  allowAutoMerge?: boolean;
}

export interface RepoInfo {
  fullName: string;
  id: number;
  path: string;
  cloneUrl: string;
  defaultBranch: string;
  installationId: number;
}

export interface CreatePullOptions {
  repo: string;
  /** Branch name (in `headRepo` when given), or "owner:branch" of a fork. */
  head: string;
  base: string;
  title: string;
  body?: string;
  user: string;
  labels?: string[];
  /** Full name of the fork the head branch lives in. */
  headRepo?: string;
  draft?: boolean;
}

/** Rethrows GitHub-style validation errors as plain errors naming GitHub's message. */
function plain<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch((err: unknown) => {
    if (err instanceof HttpError) {
      const errors =
        (err.body.errors as { message?: string; field?: string; code?: string }[] | undefined) ?? [];
      const detail = errors.map((e) => e.message ?? `${e.field} ${e.code}`).join('; ');
      throw new Error(`github-sim: ${err.message}${detail ? `: ${detail}` : ''}`);
    }
    throw err;
  });
}

export abstract class SimActions extends SimQueries {
  /** Delivers the event to the app when a webhook URL is set; resolves after the app answered. */
  protected async emit(e: ApiEvent): Promise<Delivery | undefined> {
    if (!this.sim.webhookUrl) return undefined;
    return this.sim.webhooks.deliver(e.event, await buildPayload(this.sim, e));
  }

  cloneUrl(fullName: string): string {
    return `${this.sim.urls.web}/${this.repo(fullName).fullName}.git`;
  }

  repoPath(fullName: string): string {
    return this.repo(fullName).path;
  }

  addUser(login: string, type: 'User' | 'Organization' = 'User'): void {
    this.sim.state.user(login, type);
  }

  async createRepo(opts: CreateRepoOptions): Promise<RepoInfo> {
    const fullName = `${opts.owner}/${opts.name}`;
    if (this.sim.state.repo(fullName)) throw new Error(`github-sim: ${fullName} exists`);
    const state = this.sim.state;
    state.user(opts.owner, opts.ownerType ?? 'Organization');
    const from = opts.from ?? (opts.forkOf ? this.repo(opts.forkOf).path : undefined);
    const path = await this.sim.store.create(fullName, { from, defaultBranch: opts.defaultBranch });
    const repo: SimRepo = {
      id: state.id(),
      owner: opts.owner,
      name: opts.name,
      fullName,
      private: opts.private ?? false,
      defaultBranch: await this.sim.store.defaultBranch(fullName),
      path,
      forkOf: opts.forkOf ? this.repo(opts.forkOf).fullName : null,
      createdAt: state.now(),
      collaborators: new Map(),
      labels: new Map(),
      protectedBranches: new Set(),
      allowAutoMerge: opts.allowAutoMerge ?? false,
      nextNumber: 1,
    };
    state.repos.set(fullName.toLowerCase(), repo);
    let inst = state.installations.get(opts.owner.toLowerCase());
    if (!inst) {
      inst = { id: 100 + state.installations.size, account: opts.owner, createdAt: state.now() };
      state.installations.set(opts.owner.toLowerCase(), inst);
    }
    return {
      fullName,
      id: repo.id,
      path,
      cloneUrl: this.cloneUrl(fullName),
      defaultBranch: repo.defaultBranch,
      installationId: inst.id,
    };
  }

  addCollaborator(fullName: string, login: string, permission: Permission): void {
    const user = this.sim.state.user(login);
    this.repo(fullName).collaborators.set(user.login.toLowerCase(), permission);
  }

  protectBranch(fullName: string, branch: string): void {
    this.repo(fullName).protectedBranches.add(branch);
  }

  unprotectBranch(fullName: string, branch: string): void {
    this.repo(fullName).protectedBranches.delete(branch);
  }

  /** One commit on `branch` (created from `from` or the default branch if missing); returns its sha. */
  async commitFiles(fullName: string, opts: CommitFilesOptions): Promise<string> {
    const repo = this.repo(fullName);
    const author = identityOf(opts.author, (login) => this.sim.state.user(login).id);
    const sha = await this.sim.store.withLock(repo.fullName, () =>
      this.sim.store.commitFiles(repo.fullName, opts, author),
    );
    this.sim.refsChanged(repo);
    return sha;
  }

  /**
   * Commits in order, as `commitFiles` would write them one by one (the same ids), in one
   * git process: for a story's setup, where a process per commit was most of its time.
   */
  async commitSeries(fullName: string, commits: readonly CommitFilesOptions[]): Promise<string[]> {
    const repo = this.repo(fullName);
    const idOf = (login: string) => this.sim.state.user(login).id;
    const list = commits.map((opts) => ({ opts, author: identityOf(opts.author, idOf) }));
    const shas = await this.sim.store.withLock(repo.fullName, () =>
      this.sim.store.commitSeries(repo.fullName, list),
    );
    this.sim.refsChanged(repo);
    return shas;
  }

  async createBranch(fullName: string, branch: string, from: string): Promise<string> {
    const repo = this.repo(fullName);
    const sha = await revParse(repo.path, from);
    if (!sha) throw new Error(`github-sim: ${fullName} has no revision ${from}`);
    await this.sim.store.setRef(repo.fullName, `refs/heads/${branch}`, sha);
    this.sim.refsChanged(repo);
    return sha;
  }

  async createPull(opts: CreatePullOptions): Promise<number> {
    const repo = this.repo(opts.repo);
    const issue = await plain(() => openPull(this.sim, repo, { ...opts }));
    await this.emit({ event: 'pull_request', action: 'opened', repo, issue, sender: issue.user });
    for (const label of issue.labels) {
      await this.emit({ event: 'pull_request', action: 'labeled', repo, issue, label, sender: issue.user });
    }
    return issue.number;
  }

  /** Lands the PR with GitHub's method, delivers pull_request.closed (merged), returns merge_commit_sha. */
  async mergePull(opts: {
    repo: string;
    number: number;
    method: MergeMethod;
    mergedBy: string;
  }): Promise<string> {
    const repo = this.repo(opts.repo);
    const issue = this.issue(opts.repo, opts.number);
    const pr = issue.pull;
    if (!pr || issue.state !== 'open')
      throw new Error(`github-sim: #${opts.number} is not an open pull request`);
    await this.sim.refreshPull(repo, issue);
    const idOf = (login: string) => this.sim.state.user(login).id;
    const result = await this.sim.store.withLock(repo.fullName, () =>
      mergePullRequest(opts.method, {
        repoPath: repo.path,
        baseRef: pr.baseRef,
        baseSha: pr.baseSha,
        headSha: pr.headSha,
        number: issue.number,
        title: issue.title,
        headLabel: `${pr.headRepo.split('/')[0]}/${pr.headRef}`,
        prAuthor: identityOf(issue.user, idOf),
        mergedBy: identityOf(opts.mergedBy, idOf),
        clock: this.sim.store.clock,
      }),
    );
    const mergedBy = this.sim.state.user(opts.mergedBy).login;
    setState(this.sim, issue, 'closed', mergedBy);
    Object.assign(pr, {
      merged: true,
      mergedAt: issue.closedAt,
      mergedBy,
      mergeCommitSha: result.mergeCommitSha,
      landedCommits: result.landed,
    });
    this.sim.refsChanged(repo);
    await this.emit({ event: 'pull_request', action: 'closed', repo, issue, sender: mergedBy });
    return result.mergeCommitSha;
  }
}
