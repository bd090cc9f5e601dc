import { isBinary } from '../pick/is-binary.js';
import { bytesToText, textToBytes } from '../pick/lines.js';
import { mergeText } from '../pick/merge-text.js';
import { entryKind } from '../pick/object-store.js';
import {
  DEFAULT_RENAME_SCORE,
  fingerprint,
  MAX_SCORE,
  similarity,
  sizesRuleOut,
} from '../pick/similarity.js';
import type { Entry } from '../pick/tree-reader.js';
import type { PickSides } from './pick-sides.js';

/** How many of the branch's changed files are compared at most (the rest are not looked at). */
const MAX_COMPARED = 2000;

export interface SimilarFile {
  /** The branch file (latin1 path). */
  path: string;
  /** Similarity to the deleted file, 0–100. */
  percent: number;
  /** The branch file with upstream's edit merged in. */
  entry: Entry;
}

/**
 * For a file the branch deleted and upstream edited: the file the branch added or changed
 * since base that is most like the deleted one (the branch may have moved the code there),
 * by git's rename similarity, at least git's default rename threshold. Returned only when
 * upstream's edit merges into it cleanly; otherwise there is no honest candidate to offer.
 */
export async function similarBranchFile(
  sides: PickSides,
  base: Entry,
  theirs: Entry,
): Promise<SimilarFile | undefined> {
  const baseData = await sides.store.readBlob(base.oid);
  if (isBinary(baseData)) return undefined;
  const src = { size: baseData.length, fp: fingerprint(baseData, true) };
  let best: { path: string; entry: Entry; score: number; data: Uint8Array } | undefined;
  const changes = (await sides.reader.diff(sides.trees.base, sides.trees.ours)).filter(
    (c) => c.b !== null && entryKind(c.b.mode) === 'file',
  );
  for (const change of changes.slice(0, MAX_COMPARED)) {
    const entry = change.b!;
    const data = await sides.store.readBlob(entry.oid);
    if (isBinary(data) || sizesRuleOut(src.size, data.length, DEFAULT_RENAME_SCORE)) continue;
    const score = similarity(src, { size: data.length, fp: fingerprint(data, true) });
    if (score >= DEFAULT_RENAME_SCORE && (!best || score > best.score)) {
      best = { path: change.path, entry, score, data };
    }
  }
  if (!best) return undefined;
  const theirsText = bytesToText(await sides.store.readBlob(theirs.oid));
  const merged = mergeText(bytesToText(baseData), bytesToText(best.data), theirsText, {
    ours: 'ours',
    base: 'base',
    theirs: 'theirs',
  });
  if (!merged.clean) return undefined;
  const oid = await sides.store.writeBlob(textToBytes(merged.text));
  return {
    path: best.path,
    percent: Math.floor((best.score * 100) / MAX_SCORE),
    entry: { mode: best.entry.mode, oid },
  };
}
