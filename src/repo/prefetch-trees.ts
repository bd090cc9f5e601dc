import { entryKind } from '../pick/object-store.js';
import type { GitObjectStore } from './storage/git-object-store.js';

/** A directory's tree in each version compared (undefined: no directory there). */
type Versions = readonly (string | undefined)[];

/**
 * Brings the trees a diff or a merge of `groups` will read into a partial repository, one
 * request per directory level: each group names the commits compared (a pick's base and
 * commit, and its target; undefined for a root commit's missing parent), and a directory is descended into only where their trees differ
 * (identical subtrees are never read: a diff skips them, a merge takes them whole). A
 * repository fetched with `filter tree:1` has its commits and root trees; this brings the
 * rest of what the pick needs, so the cost follows the change, not the tree. Trees already
 * here cost nothing: on a complete repository this makes no request.
 *
 * Does nothing when the store cannot fetch (a complete repository, or no remote).
 */
export async function prefetchTrees(store: GitObjectStore, groups: readonly Versions[]): Promise<void> {
  if (!store.fetchesMissing) return;
  let level: Versions[] = [];
  for (const commits of groups) {
    const trees: (string | undefined)[] = [];
    for (const oid of commits) trees.push(oid === undefined ? undefined : (await store.readCommit(oid)).tree);
    level.push(trees);
  }
  const seen = new Set<string>();
  while (level.length > 0) {
    level = level.filter((versions) => {
      const key = versions.join(' ');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    await store.prefetchTrees(level.flatMap((v) => v.filter((oid): oid is string => oid !== undefined)));
    const next: Versions[] = [];
    for (const versions of level) next.push(...(await differingSubtrees(store, versions)));
    level = next;
  }
}

/** The subdirectories whose trees are not the same in every version. */
async function differingSubtrees(store: GitObjectStore, versions: Versions): Promise<Versions[]> {
  const byName = new Map<string, (string | undefined)[]>();
  for (let i = 0; i < versions.length; i++) {
    const oid = versions[i];
    if (oid === undefined) continue;
    for (const entry of await store.readTree(oid)) {
      if (entryKind(entry.mode) !== 'tree') continue;
      let row = byName.get(entry.name);
      if (!row) byName.set(entry.name, (row = new Array<string | undefined>(versions.length)));
      row[i] = entry.oid;
    }
  }
  const differing: Versions[] = [];
  for (const row of byName.values()) {
    const first = row[0];
    let same = true;
    for (let i = 1; i < row.length; i++) if (row[i] !== first) same = false;
    if (!same) differing.push(row);
  }
  return differing;
}

/**
 * The commits a pick compares, per picked commit: its parent (the mainline one: the pick's
 * base), itself and, given the targets' tips, those too (one walk for several targets).
 */
export async function pickGroups(
  store: GitObjectStore,
  plan: { commits: readonly string[]; mainline?: number | undefined },
  onto: string | readonly string[] = [],
): Promise<Versions[]> {
  const targets = typeof onto === 'string' ? [onto] : onto;
  const groups: Versions[] = [];
  for (const oid of plan.commits) {
    const parent = (await store.readCommit(oid)).parents[(plan.mainline ?? 1) - 1];
    groups.push([parent, oid, ...targets]);
  }
  return groups;
}
