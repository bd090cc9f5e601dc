import path from 'node:path';
import { readLooseObject } from '../storage/loose-object.js';
import { parseCommit, parseTree } from '../storage/object-format.js';
import type { PackObject } from './pack-writer.js';

/**
 * The objects a push must send: those reachable from `tip` that the app wrote itself. In
 * the cache every fetched object sits in a pack (fetches write packs only) and everything
 * the engine writes is a loose object (`GitObjectStore.flush`), so the walk descends only
 * through loose objects: a packed object came from the remote, and so did everything it
 * reaches. A push therefore costs the new commits, trees and blobs, however large the
 * repository, and never reads a pack.
 *
 * Loose objects from earlier jobs that the remote may already have are sent again when
 * reachable: a few bytes, against keeping a record of what was pushed.
 */
export function objectsToPush(gitdir: string, tip: string): PackObject[] {
  const objectsDir = path.join(gitdir, 'objects');
  const found: PackObject[] = [];
  const seen = new Set<string>();
  const stack = [tip];
  while (stack.length > 0) {
    const oid = stack.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    const object = readLooseObject(objectsDir, oid);
    if (!object) continue;
    found.push(object);
    if (object.type === 'commit') {
      const commit = parseCommit(object.data);
      stack.push(commit.tree, ...commit.parents);
    } else if (object.type === 'tree') {
      // Submodule entries (160000) name commits of another repository: never ours to send.
      for (const entry of parseTree(object.data)) if (entry.mode !== '160000') stack.push(entry.oid);
    } else if (object.type === 'tag') {
      const target = /^object ([0-9a-f]{40})$/m.exec(object.data.toString('latin1'))?.[1];
      if (target) stack.push(target);
    }
  }
  return found;
}
