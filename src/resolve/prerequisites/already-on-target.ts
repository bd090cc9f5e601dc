import type { CommitObject } from '../../pick/object-store.js';
import { commitPatch } from './commit-patch.js';
import type { FileLines } from './file-lines.js';

/** How a commit is known to be on the target already. */
export type OnTargetReason = 'trailer' | 'patch-id' | 'same-author';

const PICKED = /\(cherry picked from commit ([0-9a-f]{7,40})\)/g;

/**
 * Tells which upstream commits the target's own history (the commits only it has) already
 * carries: named by a `(cherry picked from commit …)` trailer, or the same patch (patch-id),
 * or, for a pick made without `-x` and adapted by hand, the same author, author date and
 * subject (git keeps all three on a cherry-pick).
 */
export class OnTarget {
  private readonly trailers = new Set<string>();
  private readonly byAuthor = new Map<string, CommitObject[]>();

  constructor(
    private readonly files: FileLines,
    targetOnly: readonly CommitObject[],
  ) {
    for (const c of targetOnly) {
      for (const m of c.message.matchAll(PICKED)) this.trailers.add(m[1]!);
      const key = authorKey(c);
      this.byAuthor.set(key, [...(this.byAuthor.get(key) ?? []), c]);
    }
  }

  async reason(commit: CommitObject, patchId: () => Promise<string>): Promise<OnTargetReason | undefined> {
    for (const t of this.trailers) if (commit.oid.startsWith(t)) return 'trailer';
    const twins = this.byAuthor.get(authorKey(commit)) ?? [];
    // Only the target's commits by the same author at the same moment are worth a patch-id.
    for (const twin of twins) {
      if (twin.parents.length !== 1) continue;
      const parent = await this.files.store.readCommit(twin.parents[0]!);
      if ((await commitPatch(this.files, twin, parent.tree)).patchId === (await patchId())) return 'patch-id';
    }
    const subject = commit.message.split('\n', 1)[0];
    if (twins.some((t) => t.message.split('\n', 1)[0] === subject)) return 'same-author';
    return undefined;
  }
}

function authorKey(c: CommitObject): string {
  return `${c.author.email}\0${c.author.timestamp}`;
}
