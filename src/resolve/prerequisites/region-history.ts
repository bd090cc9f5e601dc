import type { CommitObject } from '../../pick/object-store.js';
import { parentLineOf, type FileLines } from './file-lines.js';
import type { WalkBudget } from './walk-budget.js';

/** Lines of one file at the start commit, 0-based, whose history is wanted. */
export interface RegionQuery {
  path: string;
  lines: number[];
}

/** Why a commit is named: it wrote some of the lines, or it only deleted lines among them. */
export type HistoryReason = 'blame' | 'deletion';

export interface RegionHistory {
  /** Commits of the range that last wrote a queried line, or deleted lines between them. */
  commits: Map<string, { reason: HistoryReason; lines: number }>;
  /** For tests and reports: the commit blamed for each queried line (undefined: outside the range). */
  blame: Map<number, string>;
}

interface Item {
  commit: CommitObject;
  path: string;
  /** Tracked lines in this commit's version: line index → the queried line it is. */
  lines: Map<number, number>;
}

/**
 * `git blame` and `git log -L` in one walk over the start commit's history, restricted to
 * `range` (commits reachable from the start and not from the target): each queried line
 * goes back, through unchanged lines of the diff and through renames, to the commit that
 * wrote it; a commit of the range whose diff only deleted lines between tracked ones is
 * named too. A line that reaches a commit outside the range is the target's already. A
 * merge passes every line to the first parent that has it unchanged, as blame does.
 */
export async function regionHistory(
  files: FileLines,
  budget: WalkBudget,
  range: ReadonlySet<string>,
  start: string,
  query: RegionQuery,
): Promise<RegionHistory> {
  const out: RegionHistory = { commits: new Map(), blame: new Map() };
  const first = await budget.commit(start);
  if (!first || !range.has(start) || query.lines.length === 0) return out;
  const items = new Map<string, Item>();
  const queue: Item[] = [];
  const enqueue = (commit: CommitObject, path: string, line: number, queried: number) => {
    const key = `${commit.oid}\0${path}`;
    let item = items.get(key);
    if (!item) {
      item = { commit, path, lines: new Map() };
      items.set(key, item);
      queue.push(item);
    }
    item.lines.set(line, queried);
  };
  for (const line of query.lines) enqueue(first, query.path, line, line);
  while (queue.length > 0 && budget.ok()) {
    queue.sort((a, b) => a.commit.committer.timestamp - b.commit.committer.timestamp);
    const item = queue.pop()!;
    items.delete(`${item.commit.oid}\0${item.path}`);
    await step(files, budget, range, item, enqueue, out);
  }
  return out;
}

async function step(
  files: FileLines,
  budget: WalkBudget,
  range: ReadonlySet<string>,
  item: Item,
  enqueue: (c: CommitObject, path: string, line: number, queried: number) => void,
  out: RegionHistory,
): Promise<void> {
  const { commit, path } = item;
  const blob = await files.blobAt(commit.tree, path);
  if (!blob) return;
  const parents: CommitObject[] = [];
  for (const oid of commit.parents) {
    const parent = await budget.commit(oid);
    // A missing parent (shallow history): its lines cannot be followed, nor blamed here.
    if (!parent) return;
    parents.push(parent);
  }
  // Unchanged in a parent: every line passes there (blame's TREESAME rule); a parent
  // outside the range means the target has them already.
  for (const parent of parents) {
    if ((await files.blobAt(parent.tree, path)) !== blob) continue;
    if (range.has(parent.oid)) for (const [line, q] of item.lines) enqueue(parent, path, line, q);
    return;
  }
  let left = new Map(item.lines);
  for (const parent of parents) {
    const from = (await files.blobAt(parent.tree, path))
      ? path
      : await files.renamedFrom(parent.tree, commit.tree, path, blob);
    const parentBlob = from ? await files.blobAt(parent.tree, from) : undefined;
    if (!from || !parentBlob) continue;
    const hunks = await files.diff(parentBlob, blob);
    const map = parentLineOf(hunks, (await files.ids(blob)).length);
    if (parents.length === 1 && range.has(commit.oid)) noteDeletions(hunks, left, commit.oid, out);
    const rest = new Map<number, number>();
    for (const [line, q] of left) {
      const p = map[line] ?? -1;
      if (p < 0) rest.set(line, q);
      else if (range.has(parent.oid)) enqueue(parent, from, p, q);
    }
    left = rest;
  }
  // Lines no parent has: this commit wrote them. A merge that wrote lines (an evil merge)
  // is not a commit anyone could pick, so it is not named.
  if (left.size === 0 || parents.length > 1) return;
  const entry = out.commits.get(commit.oid);
  out.commits.set(commit.oid, { reason: 'blame', lines: (entry?.lines ?? 0) + left.size });
  for (const q of left.values()) out.blame.set(q, commit.oid);
}

/** A hunk that only deletes, strictly between the first and last tracked lines. */
function noteDeletions(
  hunks: readonly { startB: number; countB: number; countA: number }[],
  lines: ReadonlyMap<number, number>,
  commit: string,
  out: RegionHistory,
): void {
  if (lines.size === 0 || out.commits.has(commit)) return;
  const keys = [...lines.keys()];
  const lo = Math.min(...keys);
  const hi = Math.max(...keys);
  if (hunks.some((h) => h.countB === 0 && h.countA > 0 && h.startB > lo && h.startB <= hi)) {
    out.commits.set(commit, { reason: 'deletion', lines: 0 });
  }
}
