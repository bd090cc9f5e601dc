import { cherryPick } from '../../pick/cherry-pick.js';
import { subjectOf } from '../../pick/commit-message.js';
import type { CommitObject, ObjectStore } from '../../pick/object-store.js';
import type { ConflictResult } from '../../pick/types.js';
import { OnTarget, type OnTargetReason } from './already-on-target.js';
import { commitRange } from './commit-range.js';
import { commitPatch, isTellingLine } from './commit-patch.js';
import { FileLines } from './file-lines.js';
import { regionHistory, type HistoryReason, type RegionQuery } from './region-history.js';
import { WalkBudget, type Truncation, type WalkLimits } from './walk-budget.js';

export interface PrerequisiteOptions {
  /** The upstream commit whose pick conflicted. */
  commit: string;
  /** What it was picked onto. */
  onto: string;
  conflict: ConflictResult;
  /** For a merge: the parent (1-based) its change is taken against. */
  mainline?: number;
  limits?: WalkLimits;
  /** How many commits are tried at most (default 5). */
  maxTried?: number;
}

export interface Prerequisite {
  commit: string;
  subject: string;
  /** It last wrote some of the lines the conflicting regions expected, or only deleted lines there. */
  reason: HistoryReason;
  files: number;
  added: number;
  deleted: number;
  /** Whether any line it added (with a letter or digit) is still in the picked commit's version of that file. */
  survives: boolean;
}

export type Blocked =
  | { reason: 'none-found' | 'still-conflicts' | 'bound' }
  | { reason: 'prerequisite-conflicts'; commit: string };

export interface PrerequisiteResult {
  /** The smallest prefix of `tried` after which the pick applies cleanly (empty when none does). */
  commits: string[];
  clean: boolean;
  /** The commits tried, oldest first. */
  tried: Prerequisite[];
  /** Commits of the regions' history the target already has in another form. */
  onTarget: { commit: string; reason: OnTargetReason }[];
  /** More commits were found than tried. */
  more: number;
  /** When not clean: why (nothing found, a prerequisite that conflicts itself, all applied and still a conflict, the bound). */
  blocked?: Blocked;
  /** Commits read, and why the search stopped early if it did. */
  walked: number;
  truncated?: Truncation;
}

/**
 * Why a pick conflicts, and what would make it apply:
 * 1. the commits only upstream has (reachable from the commit's parent, not from the target);
 * 2. among them, those that last wrote the lines each conflicting region expected, or only
 *    deleted lines there (blame and line history through the object store, renames followed);
 * 3. minus those the target already has (a trailer, the same patch, the same authored commit);
 * 4. the newest few, tried oldest first, each followed by the commit: the first prefix after
 *    which it applies is the answer.
 * Nothing is written outside the store's memory; every walk shares one bound.
 */
export async function findPrerequisites(
  store: ObjectStore,
  options: PrerequisiteOptions,
): Promise<PrerequisiteResult> {
  const budget = new WalkBudget(store, options.limits);
  const files = new FileLines(store);
  const result: PrerequisiteResult = {
    commits: [],
    clean: false,
    tried: [],
    onTarget: [],
    more: 0,
    walked: 0,
  };
  const finish = () => ({ ...result, walked: budget.walked, truncated: budget.truncated });
  const commit = await store.readCommit(options.commit);
  // A mainline names a merge's parent; a series may give one for commits that are not merges.
  const mainline = commit.parents.length > 1 ? (options.mainline ?? 1) : undefined;
  const base = commit.parents[(mainline ?? 1) - 1];
  if (!base) return finish();
  const range = await commitRange(base, options.onto, budget);
  const found = new Map<string, HistoryReason>();
  for (const query of regionQueries(options.conflict)) {
    const history = await regionHistory(files, budget, range.fromOnly, base, query);
    for (const [oid, { reason }] of history.commits) if (found.get(oid) !== 'blame') found.set(oid, reason);
  }
  const onTarget = new OnTarget(files, range.targetOnly);
  const candidates: { commit: CommitObject; reason: HistoryReason }[] = [];
  for (const [oid, reason] of found) {
    const c = await store.readCommit(oid);
    const patchId = async () =>
      (await commitPatch(files, c, (await store.readCommit(c.parents[0]!)).tree)).patchId;
    const why = await onTarget.reason(c, patchId);
    if (why) result.onTarget.push({ commit: oid, reason: why });
    else candidates.push({ commit: c, reason });
  }
  candidates.sort((a, b) => b.commit.committer.timestamp - a.commit.committer.timestamp);
  const chosen = candidates.slice(0, options.maxTried ?? 5).reverse();
  result.more = candidates.length - chosen.length;
  for (const { commit: c, reason } of chosen) result.tried.push(await describe(files, c, reason, commit));
  const prefix = await cleanPrefix(
    store,
    chosen.map((c) => c.commit.oid),
    { ...options, mainline },
    budget,
  );
  if ('prefix' in prefix) result.commits = prefix.prefix;
  else result.blocked = prefix.blocked;
  result.clean = 'prefix' in prefix;
  return finish();
}

/** Per path the upstream expected, the lines of every conflicting region (a region with no lines: its two neighbours). */
export function regionQueries(conflict: ConflictResult): RegionQuery[] {
  const byPath = new Map<string, Set<number>>();
  for (const file of conflict.conflicts) {
    const path = file.paths.base ?? file.path;
    for (const hunk of file.hunks) {
      const lines = byPath.get(path) ?? new Set<number>();
      const { start, count } = hunk.base;
      if (count === 0) [start - 2, start - 1].forEach((l) => l >= 0 && lines.add(l));
      for (let i = 0; i < count; i++) lines.add(start - 1 + i);
      byPath.set(path, lines);
    }
  }
  return [...byPath].map(([path, lines]) => ({ path, lines: [...lines].sort((a, b) => a - b) }));
}

async function describe(
  files: FileLines,
  c: CommitObject,
  reason: HistoryReason,
  fix: CommitObject,
): Promise<Prerequisite> {
  const parent = await files.store.readCommit(c.parents[0]!);
  const patch = await commitPatch(files, c, parent.tree);
  let survives = false;
  for (const [path, added] of patch.addedLines) {
    const blob = await files.blobAt(fix.tree, path);
    if (!blob) continue;
    const lines = new Set(await files.text(blob));
    if (added.some((l) => isTellingLine(l) && lines.has(l))) survives = true;
  }
  const { files: n, added, deleted } = patch;
  return { commit: c.oid, subject: subjectOf(c.message), reason, files: n, added, deleted, survives };
}

/** The shortest prefix of `commits` (oldest first) after which the pick applies, or why there is none. */
async function cleanPrefix(
  store: ObjectStore,
  commits: string[],
  options: PrerequisiteOptions,
  budget: WalkBudget,
): Promise<{ prefix: string[] } | { blocked: Blocked }> {
  if (commits.length === 0) return { blocked: { reason: 'none-found' } };
  let current = options.onto;
  for (let k = 0; k < commits.length && budget.ok(); k++) {
    const step = await cherryPick(store, { commits: [commits[k]!], onto: current });
    // A prerequisite that does not apply itself ends the search: longer prefixes include it.
    if (step.status !== 'applied')
      return { blocked: { reason: 'prerequisite-conflicts', commit: commits[k]! } };
    current = step.commit;
    const pick = await cherryPick(store, {
      commits: [options.commit],
      onto: current,
      mainline: options.mainline,
    });
    if (pick.status === 'applied') return { prefix: commits.slice(0, k + 1) };
  }
  return { blocked: { reason: budget.truncated ? 'bound' : 'still-conflicts' } };
}
