import fs from 'node:fs';
import path from 'node:path';

/**
 * A base's and a target's trees (at the root, or at one directory) whose whole diff an earlier
 * walk brought: every tree a diff of the two reads is here (see `prefetchTrees`' `walked`).
 */
export type WalkedPair = readonly [string | undefined, string | undefined];

/** A base's and a target's root trees, both there. */
export type WalkedRoots = readonly [string, string];

/** Beside the repository's own files: it goes when the cache repository goes. */
const FILE = 'backport-walked-trees';
/** Target branches remembered, the most recently walked kept. */
const MAX_BRANCHES = 100;
const LINE = /^([0-9a-f]{40}) ([0-9a-f]{40}) (.+)$/;

/**
 * Per target branch, the root trees of the base and the target of its last whole walk
 * (`jobs/bring-target-trees.ts`). Nothing the cache needs: a missing or unreadable record
 * costs the next job the walk of every directory where its target differs, as it did before
 * there was one. What it promises holds because the cache never drops an object: packs are
 * only consolidated (every object copied), and an evicted or damaged repository goes whole,
 * this file with it. Whatever comes to prune objects must delete the record too (a tree of
 * it found absent is not trusted, but one below it would be taken on its word).
 */
export function readWalkedTrees(gitdir: string): Map<string, WalkedRoots> {
  const walked = new Map<string, WalkedRoots>();
  let text: string;
  try {
    text = fs.readFileSync(path.join(gitdir, FILE), 'utf8');
  } catch {
    return walked;
  }
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) walked.set(m[3]!, [m[1]!, m[2]!]);
  }
  return walked;
}

/**
 * Records `walked` (in the order given: the last ones are kept), whole or not at all: a
 * record half written would name trees whose diff was never brought. A branch name has no
 * line break (git refuses control characters in ref names).
 */
export function writeWalkedTrees(
  gitdir: string,
  walked: ReadonlyMap<string, readonly [string, string]>,
): void {
  const lines = [...walked]
    .slice(-MAX_BRANCHES)
    .map(([branch, [base, target]]) => `${base} ${target} ${branch}\n`)
    .join('');
  const file = path.join(gitdir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, lines);
  fs.renameSync(tmp, file);
}

/** The pair when its two trees differ; a pair of equal trees promises nothing below. */
export function differing(pair: WalkedPair | undefined): WalkedPair | undefined {
  return pair && pair[0] !== pair[1] ? pair : undefined;
}

/**
 * Per pair, its subdirectories by name: the pair's two trees there. `dirsOf` gives a
 * tree's subdirectories, or undefined when the tree is not here: that pair is dropped (it
 * would be fetched to be read, and what it promised is then in doubt), and the walk goes on
 * below it as if it had none.
 */
export async function pairsBelow(
  pairs: readonly (WalkedPair | undefined)[],
  dirsOf: (tree: string) => Promise<Map<string, string> | undefined>,
): Promise<(Map<string, WalkedPair> | undefined)[]> {
  const none = new Map<string, string>();
  const out: (Map<string, WalkedPair> | undefined)[] = [];
  for (const pair of pairs) {
    const base = pair && (pair[0] === undefined ? none : await dirsOf(pair[0]));
    const target = pair && (pair[1] === undefined ? none : await dirsOf(pair[1]));
    if (!base || !target) {
      out.push(undefined);
      continue;
    }
    const below = new Map<string, WalkedPair>();
    for (const [name, oid] of base) below.set(name, [oid, target.get(name)]);
    for (const [name, oid] of target) if (!base.has(name)) below.set(name, [undefined, oid]);
    out.push(below);
  }
  return out;
}
