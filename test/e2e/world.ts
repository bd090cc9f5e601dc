/**
 * Building small worlds in the simulated GitHub and reading back what the app made. Each
 * scenario gets its own repository, so scenarios sharing one harness never see each other.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { findMarker } from '../../src/render/marker.js';
import { parseStatusComment, type StatusRow } from '../../src/render/status-comment.js';
import type { GitHubSim, SimComment, SimIssue } from '../../tools/github-sim/index.js';
import { hasObject } from '../support/git.js';
import { gitAsync } from './git-async.js';

export type Files = Record<string, string | Buffer | null>;

/** `n` numbered lines, some replaced: `lines(5, { 2: 'two' })`. */
export const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

export interface RepoSpec {
  /** Files of the first commit on main. */
  files: Files;
  /** `.github/backport.yml`, committed on the default branch. */
  config?: string;
  /** Branches made from that first commit, each with an optional commit of its own. */
  branches?: Record<string, Files | null>;
}

let counter = 0;

/** A repository `acme/<name>-<n>` with maint (maintain) and alice (write) as collaborators. */
export async function makeRepo(sim: GitHubSim, name: string, spec: RepoSpec): Promise<string> {
  const repo = `acme/${name}-${++counter}`;
  await sim.createRepo({ owner: 'acme', name: repo.split('/')[1]! });
  const files: Files = { ...spec.files };
  if (spec.config !== undefined) files['.github/backport.yml'] = spec.config;
  await sim.commitFiles(repo, { branch: 'main', files, message: 'initial' });
  for (const [branch, own] of Object.entries(spec.branches ?? {})) {
    await sim.createBranch(repo, branch, 'main');
    if (own) await sim.commitFiles(repo, { branch, files: own, message: `diverge ${branch}` });
  }
  sim.addCollaborator(repo, 'maint', 'maintain');
  sim.addCollaborator(repo, 'alice', 'write');
  return repo;
}

export interface PullSpec {
  branch: string;
  /** One entry per commit of the pull request. */
  commits: Files[];
  title?: string;
  labels?: string[];
  author?: string;
  /** Who adds `labels` after the PR is opened; absent: the author, as the PR is opened. */
  labeledBy?: string;
  headRepo?: string;
}

/** Opens a pull request from new commits on `branch` (no merge). */
export async function openPull(sim: GitHubSim, repo: string, spec: PullSpec): Promise<number> {
  const where = spec.headRepo ?? repo;
  await sim.commitSeries(
    where,
    spec.commits.map((files, i) => ({
      branch: spec.branch,
      files,
      message: `${spec.title ?? 'Fix'} part ${i + 1}\n\nDetails of part ${i + 1}.`,
      author: spec.author ?? 'alice',
    })),
  );
  const number = await sim.createPull({
    repo,
    head: spec.branch,
    base: 'main',
    title: spec.title ?? 'Fix',
    user: spec.author ?? 'alice',
    labels: spec.labeledBy ? [] : (spec.labels ?? []),
    ...(spec.headRepo ? { headRepo: spec.headRepo } : {}),
  });
  for (const label of spec.labeledBy ? (spec.labels ?? []) : []) {
    await sim.addLabel(repo, number, label, spec.labeledBy!);
  }
  return number;
}

/** Opens and merges a pull request; resolves once the webhooks were answered (not the jobs). */
export async function mergedPull(
  sim: GitHubSim,
  repo: string,
  spec: PullSpec & { method?: 'squash' | 'merge' | 'rebase' },
): Promise<{ number: number; mergeSha: string }> {
  const number = await openPull(sim, repo, spec);
  const mergeSha = await sim.mergePull({ repo, number, method: spec.method ?? 'squash', mergedBy: 'maint' });
  return { number, mergeSha };
}

/** The fix many suites backport: line 7 of `src/calc.c` (of `lines(20)`), from branch `fix`. */
export const fix = (labels: string[]) => ({
  branch: 'fix',
  title: 'Fix overflow',
  labels,
  commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) }],
});

export function botComments(sim: GitHubSim, repo: string, number: number): SimComment[] {
  return sim.comments(repo, number).filter((c) => c.user === sim.botLogin);
}

/** The status comments the app wrote on a PR (there must be at most one). */
export function statusComments(sim: GitHubSim, repo: string, number: number): SimComment[] {
  return botComments(sim, repo, number).filter((c) => findMarker(c.body, 'status-comment'));
}

/** The rows of the PR's one status comment. */
export function statusRows(sim: GitHubSim, repo: string, number: number): StatusRow[] {
  const comments = statusComments(sim, repo, number);
  expect(comments).toHaveLength(1);
  return parseStatusComment(comments[0]!.body);
}

export function statusRow(sim: GitHubSim, repo: string, number: number, target: string): StatusRow {
  const row = statusRows(sim, repo, number).find((r) => r.target === target);
  if (!row) throw new Error(`no status row for ${target}`);
  return row;
}

/** Pull requests the app opened, optionally for one target branch. */
export function backportPulls(sim: GitHubSim, repo: string, base?: string): SimIssue[] {
  return sim
    .pulls(repo)
    .filter((p) => p.user === sim.botLogin && (base === undefined || p.pull!.baseRef === base));
}

/** Conflict issues the app filed, optionally for one target. */
export function conflictIssues(sim: GitHubSim, repo: string, target?: string): SimIssue[] {
  return sim.issues(repo).filter((i) => {
    const marker = findMarker(i.body, 'conflict-issue');
    return i.user === sim.botLogin && marker && (target === undefined || marker.target === target);
  });
}

/** Every body the app wrote anywhere in the repository: PRs, issues, comments. */
export function bodiesWritten(sim: GitHubSim, repo: string): string[] {
  const items = [...sim.pulls(repo), ...sim.issues(repo)];
  const bodies = items.filter((i) => i.user === sim.botLogin).map((i) => `${i.title}\n${i.body ?? ''}`);
  for (const i of items) bodies.push(...botComments(sim, repo, i.number).map((c) => c.body));
  return bodies;
}

/**
 * No installation token the simulator issued (nor anything shaped like one) in a line the
 * app logged or in a title, body or comment it wrote, in any repository.
 */
export function expectNoTokenLeak(sim: GitHubSim, logs: readonly string[]): void {
  const tokens = [...sim.state.tokens.keys()];
  expect(tokens.length).toBeGreaterThan(0);
  const written = [...sim.state.repos.values()].flatMap((r) => bodiesWritten(sim, r.fullName));
  expect(written.length).toBeGreaterThan(0);
  for (const text of [...logs, ...written]) {
    expect(text).not.toMatch(/ghs_/);
    for (const token of tokens) expect(text).not.toContain(token);
  }
}

/** A scratch directory removed by the returned function. */
export function scratch(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * What real git makes of the same pick: `git cherry-pick -x [-m n] <commits>` onto the
 * target tip, in a clone of the simulator's bare repository. Returns the resulting tree and
 * the tip of each picked commit's message trailer, oldest first.
 */
export async function gitCherryPick(
  sim: GitHubSim,
  repo: string,
  onto: string,
  commits: string[],
  mainline?: number,
): Promise<{ tree: string; messages: string[] }> {
  const dir = scratch('bpa-expect-');
  try {
    await gitAsync(dir.path, ['clone', '--quiet', sim.repoPath(repo), 'w']);
    const w = join(dir.path, 'w');
    await gitAsync(w, ['checkout', '--quiet', '--detach', onto]);
    const m = mainline !== undefined ? ['-m', String(mainline)] : [];
    await gitAsync(w, ['cherry-pick', '-x', ...m, ...commits]);
    const tree = (await gitAsync(w, ['rev-parse', 'HEAD^{tree}'])).trim();
    const log = await gitAsync(w, ['log', '--format=%B%x00', `${onto}..HEAD`]);
    return { tree, messages: splitMessages(log) };
  } finally {
    dir.remove();
  }
}

/** The tree and messages (oldest first) of the commits `tip` has on top of `base`. */
export async function commitsOnTop(
  sim: GitHubSim,
  repo: string,
  base: string,
  tip: string,
): Promise<{ tree: string; messages: string[]; parents: string[] }> {
  const path = sim.repoPath(repo);
  const tree = (await gitAsync(path, ['rev-parse', `${tip}^{tree}`])).trim();
  const messages = splitMessages(await gitAsync(path, ['log', '--format=%B%x00', `${base}..${tip}`]));
  const parents = (await gitAsync(path, ['rev-list', '--parents', '-n', '1', tip]))
    .trim()
    .split(' ')
    .slice(1);
  return { tree, messages, parents };
}

function splitMessages(log: string): string[] {
  return log
    .split('\0')
    .map((m) => m.trim())
    .filter((m) => m !== '')
    .reverse();
}

/**
 * Runs `fn` before the simulator handles each of its requests (REST and git), e.g. to move a
 * branch at an exact point of the app's work. The simulator has no such hook, so this wraps
 * its request handler; the returned function restores it.
 */
export function beforeSimRequest(
  sim: GitHubSim,
  fn: (method: string, url: URL, headers: IncomingMessage['headers']) => Promise<void> | void,
): () => void {
  type Handle = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  const target = sim as unknown as { handle: Handle };
  const original = target.handle;
  target.handle = async (req, res) => {
    await fn(req.method ?? 'GET', new URL(req.url ?? '/', sim.apiUrl), req.headers);
    return original.call(sim, req, res);
  };
  return () => {
    target.handle = original;
  };
}

/**
 * Moves `branch` of `repo` by a commit of `files` right after the app fetched it (its cache
 * then holds origin/<branch>), before the simulator answers the next git request for `repo`
 * that `when` allows: the pick is made on the old tip. `moved()` is the new tip, once moved.
 */
export function moveAfterFetch(
  h: { sim: GitHubSim; cacheDir: string },
  repo: string,
  branch: string,
  files: Files,
  when: () => boolean = () => true,
): { restore: () => void; moved: () => string | undefined } {
  const [owner, name] = repo.split('/');
  const tracking = join(h.cacheDir, owner!, `${name}.git`, 'refs', 'remotes', 'origin', branch);
  let moved: string | undefined;
  const restore = beforeSimRequest(h.sim, async (_method, url) => {
    if (moved || !url.pathname.startsWith(`/${repo}.git/`) || !existsSync(tracking) || !when()) return;
    moved = await h.sim.commitFiles(repo, { branch, files, message: `meanwhile on ${branch}` });
  });
  return { restore, moved: () => moved };
}

/** Which of the simulator's requests a test means, by method and URL. */
export type RequestMatch = (method: string, url: URL) => boolean;

/**
 * Holds each simulator request that `held` matches until one that `awaited` matches has
 * arrived, or `limitMs` passed: a test's way to show the app sends the awaited request
 * without waiting for the held one's answer (were it waiting, the hold would time out).
 * `order` lists what happened, in order: `held`, `awaited`, then `released` or `timed out`
 * for each held request.
 */
export function holdUntilArrives(
  sim: GitHubSim,
  spec: { held: RequestMatch; awaited: RequestMatch; limitMs?: number },
): { order: string[]; restore: () => void } {
  const order: string[] = [];
  let arrived!: () => void;
  const arrival = new Promise<string>((resolve) => (arrived = () => resolve('released')));
  const restore = beforeSimRequest(sim, async (method, url) => {
    if (spec.awaited(method, url)) {
      order.push('awaited');
      arrived();
    } else if (spec.held(method, url)) {
      order.push('held');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<string>(
        (resolve) => (timer = setTimeout(() => resolve('timed out'), spec.limitMs ?? 10_000)),
      );
      order.push(await Promise.race([arrival, timedOut]));
      clearTimeout(timer);
    }
  });
  return { order, restore };
}

/** The upload-pack `fetch` requests made since `from` in the simulator's log. */
export function fetchesSince(sim: GitHubSim, from: number) {
  return sim.requestLog
    .slice(from)
    .filter((e) => e.operationId === 'git/upload-pack' && e.upload!.command === 'fetch')
    .map((e) => ({ filter: e.upload!.filter, wants: e.upload!.wants }));
}

/** The trees at `paths` on main that the app's cache holds (none, where nothing read them). */
export async function cachedTrees(
  sim: GitHubSim,
  cacheDir: string,
  repo: string,
  paths: readonly string[],
): Promise<string[]> {
  const oids = await Promise.all(paths.map((p) => gitAsync(sim.repoPath(repo), ['rev-parse', `main:${p}`])));
  const gitdir = join(cacheDir, 'acme', `${repo.split('/')[1]}.git`);
  return paths.filter((_, i) => hasObject(gitdir, oids[i]!.trim()));
}
