import { compactChanges } from './compact-changes.js';
import { editScript, type Hunk } from './edit-script.js';
import { histogramDiff } from './histogram-diff.js';

/**
 * The line diff git's merge uses: histogram, then compaction of both sides, then hunks.
 * `a` and `b` are interned line ids from one shared interner.
 */
export function diffLines(a: Int32Array, b: Int32Array): Hunk[] {
  const { changedA, changedB } = histogramDiff(a, b);
  compactChanges(a, changedA, changedB);
  compactChanges(b, changedB, changedA);
  return editScript(changedA, changedB);
}
