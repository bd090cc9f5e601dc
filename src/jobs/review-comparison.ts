import { compareChanges, type FileComparison } from '../pick/compare-changes.js';
import type { ObjectStore } from '../pick/object-store.js';
import type { PreparedSource } from './prepare-source.js';

/**
 * The original change (the picked series as a whole, against the mainline parent of its
 * first commit) compared with the backport's (`onto` → `head`), file by file, for the PR
 * body. Undefined when a side cannot be read here (the body then goes without it).
 */
export async function compareWithUpstream(
  store: ObjectStore,
  source: PreparedSource,
  onto: string,
  head: string,
): Promise<FileComparison[] | undefined> {
  try {
    const first = await store.readCommit(source.plan.commits[0]!);
    const last = await store.readCommit(source.plan.commits[source.plan.commits.length - 1]!);
    const parent = first.parents[(source.plan.mainline ?? 1) - 1];
    if (!parent) return undefined;
    const upstream = { from: (await store.readCommit(parent)).tree, to: last.tree };
    const backport = { from: (await store.readCommit(onto)).tree, to: (await store.readCommit(head)).tree };
    return await compareChanges(store, upstream, backport);
  } catch {
    // Only a part of the body: a pick that was published must not fail over it.
    return undefined;
  }
}
