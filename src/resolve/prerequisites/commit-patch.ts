import { createHash } from 'node:crypto';
import { isBinary } from '../../pick/is-binary.js';
import { entryKind, type CommitObject } from '../../pick/object-store.js';
import type { FileLines } from './file-lines.js';

/** What a (non-merge) commit changed, as far as a prerequisite report needs it. */
export interface CommitPatch {
  files: number;
  added: number;
  deleted: number;
  /** The lines it added, per path of its result. */
  addedLines: Map<string, string[]>;
  /**
   * Like `git patch-id`: the same change gives the same id whatever its line numbers and
   * whitespace, so a commit cherry-picked without `-x` is recognised.
   */
  patchId: string;
}

const MAX_FILES = 200;

export async function commitPatch(
  files: FileLines,
  commit: CommitObject,
  parentTree: string | null,
): Promise<CommitPatch> {
  const changes = (await files.trees.diff(parentTree, commit.tree)).slice(0, MAX_FILES);
  const hash = createHash('sha1');
  const patch: CommitPatch = {
    files: changes.length,
    added: 0,
    deleted: 0,
    addedLines: new Map(),
    patchId: '',
  };
  for (const change of changes) {
    hash.update(`\0${change.path}\0`);
    const a = change.a && entryKind(change.a.mode) === 'file' ? change.a.oid : undefined;
    const b = change.b && entryKind(change.b.mode) === 'file' ? change.b.oid : undefined;
    if ((a && isBinary(await files.store.readBlob(a))) || (b && isBinary(await files.store.readBlob(b)))) {
      hash.update(`binary ${a ?? ''} ${b ?? ''}`);
      continue;
    }
    const before = a ? await files.text(a) : [];
    const after = b ? await files.text(b) : [];
    const hunks =
      a && b
        ? await files.diff(a, b)
        : [{ startA: 0, countA: before.length, startB: 0, countB: after.length }];
    const added: string[] = [];
    for (const h of hunks) {
      const minus = before.slice(h.startA, h.startA + h.countA);
      const plus = after.slice(h.startB, h.startB + h.countB);
      for (const l of minus) hash.update(`-${l.replace(/\s+/g, '')}`);
      for (const l of plus) hash.update(`+${l.replace(/\s+/g, '')}`);
      added.push(...plus);
      patch.deleted += minus.length;
    }
    patch.added += added.length;
    if (added.length > 0) patch.addedLines.set(change.path, added);
  }
  patch.patchId = hash.digest('hex');
  return patch;
}

/** A line worth looking for elsewhere: not blank, not only brackets and punctuation. */
export function isTellingLine(line: string): boolean {
  return /[A-Za-z0-9]/.test(line);
}
