/**
 * The missing-fix report of a GitHub repository, computed in the app's git cache:
 *
 * 1. Fetch the default branch and each supported branch, deeper and deeper until every
 *    branch's fork point (merge base) is in the cache.
 * 2. Walk the default branch's first-parent line since the fork point: one change per PR
 *    (a squash or rebase commit, or a merge commit standing for the commits it brought).
 * 3. Map each change to its PR through the merged PRs the caller knows (`mergeCommitSha`), for
 *    its labels and for the decisions taken on it.
 * 4. Hand it to the pure report (missing-fixes.ts), then ask the engine whether each missing
 *    fix would apply cleanly to the branch today; nothing is written, and a pick that turns
 *    out empty means the change is already there.
 */
import { BackportError } from '../errors.js';
import { cherryPick } from '../pick/cherry-pick.js';
import { fetchBranch, type RemoteAccess } from '../repo/git-remote.js';
import { entryKind } from '../pick/object-store.js';
import { TreeReader } from '../pick/tree-reader.js';
import { fetchOnDemand } from '../repo/fetch-missing-objects.js';
import type { GitObjectStore } from '../repo/storage/git-object-store.js';
import { pickGroups, prefetchTrees } from '../repo/prefetch-trees.js';
import { RemoteSession } from '../repo/remote-session.js';
import type { CachedRepository, RepoOpener } from '../repo/repo-cache.js';
import { cherryPickSources, fixedCommits, subjectOf } from './commit-trailers.js';
import type { LabelRules } from '../config/label-rules.js';
import type { LocalRepo, WalkedCommit } from '../repo/local-repo.js';
import { ancestorsOf, expandCommit, mergeBases, walkRange } from '../repo/local-repo.js';
import type { BranchMissingFixes, CandidateCommit, Decision } from './missing-fixes.js';
import { findMissingFixes } from './missing-fixes.js';

/** A pull request merged into the default branch: what its merge commit stands for. */
export interface MergedPull {
  number: number;
  title: string;
  labels: readonly string[];
  mergeCommitSha: string;
}

/**
 * What the report needs to know of GitHub besides git: the merged pull requests and the
 * decisions already taken. The app takes both from its ledger; this folder does not know
 * the ledger, so the ledger can show the report.
 */
export interface RepoMissingFixesInput {
  repo: string;
  remote: RemoteAccess;
  defaultBranch: string;
  branches: readonly string[];
  merged: readonly MergedPull[];
  decisions: readonly Decision[];
  rules: LabelRules;
}

/** Fetch depths tried in turn; the last that worked is where the next report starts. */
const DEPTHS = [64, 512, 4096, 32768];
/** Engine checks per branch and report: the rest say "not checked". */
const MAX_CHECKS = 40;

export class RepoMissingFixes {
  private readonly depthIndex = new Map<string, number>();

  constructor(private readonly cache: RepoOpener) {}

  /** Reports for the branches that exist; a branch without a fork point gets none. */
  async report(input: RepoMissingFixesInput): Promise<BranchMissingFixes[]> {
    const [owner, name] = input.repo.split('/') as [string, string];
    const opened = await this.cache.open(owner, name);
    try {
      return await this.reportIn(opened, input);
    } finally {
      await opened.release();
    }
  }

  private async reportIn(
    opened: CachedRepository,
    input: RepoMissingFixesInput,
  ): Promise<BranchMissingFixes[]> {
    const local: LocalRepo = { gitdir: opened.gitdir, store: opened.store };
    const { defaultTip, tips, bases } = await this.fetchForkPoints(local, input);
    const byMerge = new Map(input.merged.map((p) => [p.mergeCommitSha, p]));
    const reports: BranchMissingFixes[] = [];
    for (const branch of input.branches) {
      const tip = tips.get(branch);
      const forks = bases.get(branch);
      if (!tip || !forks?.length) continue;
      const upstream = await walkRange(local, defaultTip, forks);
      const own = await walkRange(local, tip, forks);
      const candidates = await changesOf(local, upstream, defaultTip, byMerge);
      const picked = new Set(own.flatMap((c) => cherryPickSources(c.message)));
      const ownIds = new Set(own.map((c) => c.oid));
      const upstreamIds = new Set(upstream.map((c) => c.oid));
      const contains = new Map<string, boolean | undefined>();
      const onBranch = ancestorsOf(local, tip);
      for (const short of new Set(candidates.flatMap((c) => fixedCommits(c.message)))) {
        const oid = await expandCommit(local, short);
        if (oid === undefined) contains.set(short, undefined);
        else if (picked.has(oid) || ownIds.has(oid)) contains.set(short, true);
        // A commit of the default branch since the fork point is not on the branch.
        else if (upstreamIds.has(oid)) contains.set(short, false);
        else contains.set(short, await onBranch(oid).catch(() => undefined));
      }
      const [report] = findMissingFixes({
        branches: [{ branch, forkPoint: forks[0] ?? null, commits: candidates }],
        decisions: input.decisions,
        isPresent: (sha) => picked.has(sha) || ownIds.has(sha),
        branchContains: (sha) => contains.get(sha),
        rules: input.rules,
      });
      reports.push(await this.withApplyChecks(input, report as BranchMissingFixes, tip));
    }
    return reports;
  }

  private async fetchForkPoints(local: LocalRepo, input: RepoMissingFixesInput) {
    const { gitdir } = local;
    const tips = new Map<string, string | undefined>();
    const bases = new Map<string, string[]>();
    let defaultTip: string | undefined;
    const start = this.depthIndex.get(input.repo) ?? 0;
    for (let d = start; d < DEPTHS.length; d++) {
      const depth = DEPTHS[d];
      defaultTip = await fetchBranch(gitdir, input.remote, input.defaultBranch, { depth, partial: true });
      if (!defaultTip) {
        throw new BackportError('missing-branch', `The default branch ${input.defaultBranch} is missing.`, {
          branch: input.defaultBranch,
        });
      }
      let missing = false;
      for (const branch of input.branches) {
        if (bases.get(branch)?.length) continue;
        const tip = await fetchBranch(gitdir, input.remote, branch, {
          depth,
          have: defaultTip,
          partial: true,
        });
        tips.set(branch, tip);
        if (!tip) continue;
        // Beyond a shallow edge the walk cannot meet: no base yet, so fetch deeper.
        const found = await mergeBases(local, defaultTip, tip).catch(() => []);
        if (found.length > 0) bases.set(branch, found);
        else missing = true;
      }
      this.depthIndex.set(input.repo, d);
      if (!missing) break;
    }
    return { defaultTip: defaultTip as string, tips, bases };
  }

  private async withApplyChecks(
    input: RepoMissingFixesInput,
    report: BranchMissingFixes,
    tip: string,
  ): Promise<BranchMissingFixes> {
    const [owner, name] = input.repo.split('/') as [string, string];
    // A fresh store sees the packs fetched just now.
    const local = await this.cache.open(owner, name);
    try {
      return await this.checkIn(local, input, report, tip);
    } finally {
      await local.release();
    }
  }

  private async checkIn(
    local: CachedRepository,
    input: RepoMissingFixesInput,
    report: BranchMissingFixes,
    tip: string,
  ): Promise<BranchMissingFixes> {
    const { store } = local;
    // The cache may be partial (backports fetch without blobs): the checks fetch what they read.
    fetchOnDemand(local, new RemoteSession(input.remote));
    // The trees the checks read, for every fix in one level-wise walk: a cache a cold backport
    // left treeless lacks most of them, and reading them one by one costs a request each.
    const checked = report.missing.slice(0, MAX_CHECKS).map((f) => f.sha);
    await prefetchTrees(store, await pickGroups(store, { commits: checked }, tip))
      .then(() => prefetchLineMerges(store, checked, tip))
      .catch(() => {
        // Advice only: a check that then fails to read says "unknown" for its own fix.
      });
    const missing: BranchMissingFixes['missing'] = [];
    let present = report.counts.present;
    for (const [i, fix] of report.missing.entries()) {
      if (i >= MAX_CHECKS) {
        missing.push({ ...fix, applies: 'unknown' });
        continue;
      }
      try {
        const parents = (await store.readCommit(fix.sha)).parents.length;
        const result = await cherryPick(store, {
          commits: [fix.sha],
          onto: tip,
          mainline: parents > 1 ? 1 : undefined,
        });
        // An empty pick: the branch already has the change (applied by hand, without -x).
        if (result.status === 'applied' && result.empty) present++;
        else missing.push({ ...fix, applies: result.status === 'applied' ? 'clean' : 'conflict' });
      } catch {
        // The column is advice; a failed check must not hide the missing fix itself.
        missing.push({ ...fix, applies: 'unknown' });
      } finally {
        store.discard();
      }
    }
    return { ...report, missing, counts: { ...report.counts, present } };
  }
}

/**
 * The changes that landed on the default branch since the fork point, newest first: the
 * first-parent line, where a merge commit stands for the commits it brought in (their
 * messages are added to its own, so their trailers count).
 */
async function changesOf(
  local: LocalRepo,
  upstream: readonly WalkedCommit[],
  tip: string,
  byMerge: Map<string, MergedPull>,
): Promise<CandidateCommit[]> {
  const inRange = new Map(upstream.map((c) => [c.oid, c]));
  const byNumber = new Map([...byMerge.values()].map((f) => [f.number, f]));
  const changes: CandidateCommit[] = [];
  for (let c = inRange.get(tip); c; c = c.parents[0] ? inRange.get(c.parents[0]) : undefined) {
    const pr = byMerge.get(c.oid) ?? byNumber.get(prNumberOf(subjectOf(c.message)) ?? -1);
    let message = c.message;
    if (c.parents.length > 1) {
      const brought = await walkRange(local, c.parents[1] as string, [c.parents[0] as string]);
      const body = message.split('\n').slice(1).join('\n');
      message = [pr?.title ?? subjectOf(message), body, ...brought.map((b) => b.message)].join('\n');
    }
    changes.push({ sha: c.oid, message, labels: pr?.labels ?? [], pr: pr?.number ?? null });
  }
  return changes;
}

/** The PR number GitHub writes into a squash-merge subject: `Fix the parser (#123)`. */
function prNumberOf(subject: string): number | undefined {
  const m = /\(#(\d+)\)\s*$/.exec(subject);
  return m?.[1] ? Number(m[1]) : undefined;
}

/**
 * The blobs the checks' line merges read, for every fix in one batch: where a fix and the
 * branch both changed a file, its versions at the fix's parent, the fix and the branch (the
 * same rule as the engine's own batch per pick, which would cost a request per fix). Rename
 * detection's candidates still come per pick.
 */
async function prefetchLineMerges(
  store: GitObjectStore,
  fixes: readonly string[],
  tip: string,
): Promise<void> {
  const reader = new TreeReader(store);
  const onto = (await store.readCommit(tip)).tree;
  const oids: string[] = [];
  for (const sha of fixes) {
    const commit = await store.readCommit(sha);
    const parent = commit.parents[0];
    const base = parent === undefined ? null : (await store.readCommit(parent)).tree;
    for (const change of await reader.diff(base, commit.tree)) {
      const ours = await reader.file(onto, change.path);
      const [a, b] = [change.a, change.b];
      if (!a || !b || !ours || ours.oid === a.oid || ours.oid === b.oid) continue;
      if (![a, b, ours].every((e) => entryKind(e.mode) === 'file')) continue;
      oids.push(a.oid, b.oid, ours.oid);
    }
  }
  await store.prefetchBlobs(oids);
}
