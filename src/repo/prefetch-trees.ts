import { entryKind, type TreeEntry } from '../pick/object-store.js';
import { rawId, rawIsTree, rawName } from '../pick/raw-tree.js';
import type { GitObjectStore } from './storage/git-object-store.js';
import { differing, pairsBelow, type WalkedPair } from './walked-trees.js';

/** A directory's tree in each version compared (undefined: no directory there). */
type Versions = readonly (string | undefined)[];

/**
 * A directory to read in each version, and how far below it a walk goes: `pick` (a pick's
 * base, commit and targets) descends only where the base and the commit differ; `removed`
 * (a directory the commit removed) also where only a target has a directory, since the
 * engine looks for what the targets added there; `all` (a diff of a base and a target)
 * wherever the two differ.
 */
interface Row {
  versions: Versions;
  rule: 'pick' | 'removed' | 'all';
  /**
   * A row of the whole walk, per version: for a target, its walked pair's trees at this
   * directory when they differ here (none for the base and the commit).
   */
  walked?: readonly (WalkedPair | undefined)[];
}

/**
 * Brings the trees a pick of `groups` will read into a partial repository, one request per
 * directory level. Each group names the commits compared: a pick's base (undefined for a
 * root commit's missing parent) and commit, then its targets. A directory is descended into
 * only where the base and the commit differ, and there in every version: the engine reads
 * the targets only along the commit's changes (`pick/collect-items.ts`), and takes the rest
 * of a target whole. Where a target lacks a file or directory that the base had and the
 * commit changed, the engine looks for the target's renames across its whole diff from the
 * base: that diff is walked too (wherever base and target differ). A repository fetched with
 * `filter tree:1` has its commits and root trees; this brings the rest of what the pick
 * needs, so the cost follows the change, not the tree nor how far the target is. Trees
 * already here cost nothing: on a complete repository this makes no request. A tree the
 * engine reads that this did not bring is fetched when read (the store's promisor).
 *
 * Does nothing when the store cannot fetch (a complete repository, or no remote).
 */
export async function prefetchTrees(
  store: GitObjectStore,
  groups: readonly Versions[],
  /**
   * `whole`: every directory where any two versions differ, as a diff of each pair would
   * read (what a later pick onto the same target is likely to read; see backport-target).
   */
  rule: 'pick' | 'whole' = 'pick',
  /**
   * For `whole`: per target (in the groups' order of targets), the root trees of a base and
   * of that target whose whole diff an earlier walk brought, if any. Below a directory where
   * the base and the target have the same trees as that pair, the diff is the pair's, and
   * here: the walk does not go there. What it reads then grows with what changed since that
   * walk (the commit's own change, the base's and the target's moves), not with how far the
   * target is from the base; it brings the same trees, the absent ones in the same requests,
   * as the walk of every directory where the versions differ. A pair's tree that is not here
   * (though it should be) is not fetched: below it the walk goes everywhere, as with no pair.
   */
  walked: readonly (WalkedPair | undefined)[] = [],
): Promise<void> {
  if (!store.fetchesMissing) return;
  const roots: (string | undefined)[][] = [];
  for (const commits of groups) {
    const trees: (string | undefined)[] = [];
    for (const oid of commits) trees.push(oid === undefined ? undefined : (await store.readCommit(oid)).tree);
    roots.push(trees);
  }
  let level: Row[] = roots.map((versions) =>
    rule === 'pick'
      ? { versions, rule: 'pick' }
      : {
          versions,
          rule: 'all',
          walked: versions.map((_, i) => (i < 2 ? undefined : differing(walked[i - 2]))),
        },
  );
  // A pick reads the trees of its own walk again (kept); the whole walk's are for later jobs.
  const keep = rule === 'pick';
  const seen = new Set<string>();
  // Targets (by group, then position) whose whole diff from the base is walked too.
  const diffed = new Set<string>();
  while (level.length > 0) {
    level = level.filter((row) => {
      const key = `${row.rule} ${row.versions.join(' ')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    await store.prefetchTrees(
      level.flatMap((r) => r.versions.filter((oid): oid is string => oid !== undefined)),
    );
    const next: Row[] = [];
    for (const row of level) {
      const below = await rowsBelow(store, row, keep);
      next.push(...below.rows);
      for (const target of below.targetsLacking) {
        for (let g = 0; g < roots.length; g++) {
          const versions = roots[g]!;
          if (target >= versions.length || diffed.has(`${g} ${target}`)) continue;
          diffed.add(`${g} ${target}`);
          // The root trees are here (the first level): start that diff one level down.
          const whole = await rowsBelow(
            store,
            { versions: [versions[0], versions[target]], rule: 'all' },
            keep,
          );
          next.push(...whole.rows);
        }
      }
    }
    level = next;
  }
}

/**
 * The subdirectories of `row` to read next, and the targets (by position) that lack an entry
 * the base had and the commit changed (not for an `all` row: it compares no commit).
 */
async function rowsBelow(
  store: GitObjectStore,
  row: Row,
  keep: boolean,
): Promise<{ rows: Row[]; targetsLacking: number[] }> {
  const { versions } = row;
  if (row.rule === 'all') return { rows: await directoriesBelow(store, row, keep), targetsLacking: [] };
  const byName = new Map<string, (TreeEntry | undefined)[]>();
  for (let i = 0; i < versions.length; i++) {
    const oid = versions[i];
    if (oid === undefined) continue;
    for (const entry of await store.readTree(oid)) {
      let entries = byName.get(entry.name);
      if (!entries)
        byName.set(entry.name, (entries = new Array<TreeEntry | undefined>(versions.length).fill(undefined)));
      entries[i] = entry;
    }
  }
  const rows: Row[] = [];
  const lacking = new Set<number>();
  for (const entries of byName.values()) {
    const trees = entries.map((e) => (e && entryKind(e.mode) === 'tree' ? e.oid : undefined));
    const [base, commit] = entries;
    if (same(base, commit) && (row.rule === 'pick' || trees.every((t) => t === trees[0]))) continue;
    const removed = row.rule === 'removed' || (trees[0] !== undefined && trees[1] === undefined);
    if (trees.some((t) => t !== undefined))
      rows.push({ versions: trees, rule: removed ? 'removed' : 'pick' });
    if (base === undefined) continue;
    for (let i = 2; i < entries.length; i++) {
      const there = entries[i];
      if (!there || (entryKind(there.mode) === 'tree') !== (entryKind(base.mode) === 'tree')) lacking.add(i);
    }
  }
  return { rows, targetsLacking: [...lacking] };
}

/**
 * An `all` row's subdirectories whose trees differ between its versions, in the order a
 * name is first met. Read from the trees' bytes, and only directories become strings: the
 * whole-diff walk after a job's picks (`jobs/bring-target-trees.ts`) reads every directory
 * where a target differs from the commit, which on the generated 100 MB repository is some
 * 1,750 trees of some 25,000 entries, nine in ten of them files. Parsed, each entry was an
 * object, a name and a 40-digit id kept in the store's tree cache until the job ended, at
 * the highest point of the app's memory in a job. That walk does not keep the trees either
 * (`keep`): nothing reads them again in the job.
 *
 * A row with walked pairs leaves out a subdirectory where the commit's tree is the base's
 * and each target's is the base's too, or its pair's target's with the base's its pair's
 * base: what a diff of any two versions reads below it was brought before (where the commit
 * is the base, its diff with a target, and two targets' diff, lie inside the base's diffs
 * with the targets, which are the pairs').
 */
async function directoriesBelow(store: GitObjectStore, row: Row, keep: boolean): Promise<Row[]> {
  const { versions } = row;
  const byName = await subdirectories(store, versions, keep);
  // With no pair (a cold job's walk, a diff of a pick's), nothing more is read nor kept.
  const pairs = row.walked?.some(Boolean)
    ? await pairsBelow(row.walked, pairTrees(store, versions, byName, keep))
    : undefined;
  const rows: Row[] = [];
  for (const [name, trees] of byName) {
    if (trees.every((t) => t === trees[0])) continue;
    if (!pairs) {
      rows.push({ versions: trees, rule: 'all' });
      continue;
    }
    const walked = pairs.map((below) => differing(below?.get(name)));
    const known = (t: string | undefined, i: number) => {
      const pair = walked[i];
      return i < 2 || t === trees[0] || (pair !== undefined && pair[0] === trees[0] && pair[1] === t);
    };
    if (trees[1] === trees[0] && trees.every(known)) continue;
    rows.push({ versions: trees, rule: 'all', walked });
  }
  return rows;
}

/**
 * A walked pair's tree's subdirectories by name: from `byName` when the tree is one of the
 * row's versions, else read if it is here (undefined if not: it is not fetched).
 */
function pairTrees(
  store: GitObjectStore,
  versions: Versions,
  byName: Map<string, (string | undefined)[]>,
  keep: boolean,
): (tree: string) => Promise<Map<string, string> | undefined> {
  const read = new Map<string, Map<string, string> | undefined>();
  return async (tree) => {
    if (read.has(tree)) return read.get(tree);
    const k = versions.indexOf(tree);
    let dirs: Map<string, string> | undefined;
    if (k >= 0) dirs = column(byName, k);
    else if (store.isHere(tree)) dirs = column(await subdirectories(store, [tree], keep), 0);
    read.set(tree, dirs);
    return dirs;
  };
}

/** The subdirectories of each version by name: per name, the tree in each (undefined: none). */
async function subdirectories(
  store: GitObjectStore,
  versions: Versions,
  keep: boolean,
): Promise<Map<string, (string | undefined)[]>> {
  const byName = new Map<string, (string | undefined)[]>();
  for (let i = 0; i < versions.length; i++) {
    const oid = versions[i];
    if (oid === undefined) continue;
    const tree = await store.readRawTree(oid, { keep });
    for (let k = 0; k < tree.count; k++) {
      if (!rawIsTree(tree, k)) continue;
      const name = rawName(tree, k);
      let trees = byName.get(name);
      if (!trees) byName.set(name, (trees = new Array<string | undefined>(versions.length).fill(undefined)));
      trees[i] = rawId(tree, k);
    }
  }
  return byName;
}

/** Version `i`'s subdirectories in `byName`, by name. */
function column(byName: Map<string, (string | undefined)[]>, i: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, trees] of byName) {
    const oid = trees[i];
    if (oid !== undefined) out.set(name, oid);
  }
  return out;
}

function same(a: TreeEntry | undefined, b: TreeEntry | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.oid === b.oid && a.mode === b.mode);
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
