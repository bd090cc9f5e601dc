import { isBinary } from './is-binary.js';
import { bytesToText, textToBytes } from './lines.js';
import { mergeText, type MergeLabels } from './merge-text.js';
import { entryKind, type ObjectStore } from './object-store.js';
import { sameEntry, type Entry } from './tree-reader.js';
import type { ConflictHunk, ConflictKind } from './types.js';

/** One path to merge: its entry on each side (null where absent). */
export interface MergeItem {
  /** Where the result goes. */
  path: string;
  base: Entry | null;
  ours: Entry | null;
  theirs: Entry | null;
  /** Where each side has it, when renames moved it. */
  paths: { base?: string; ours?: string; theirs?: string };
}

export interface ItemConflict {
  kind: ConflictKind;
  message: string;
  hunks: ConflictHunk[];
}

export interface MergedItem {
  /** What the result (or, on conflict, the draft tree) holds at the path. */
  entry: Entry | null;
  conflict?: ItemConflict;
  /** A second entry that had to go elsewhere (the other side of a type clash). */
  aside?: Entry;
}

/**
 * Merges one path's three entries, deciding as git does: an unchanged side yields to the
 * changed one, equal changes agree, and otherwise text is merged line by line while binary
 * files, symlinks, submodules and type changes conflict. On conflict the entry returned is
 * what a draft branch should hold: text with markers, or the target's version (never an
 * arbitrary pick that could hide the other side's change without saying so).
 */
export async function mergeEntry(
  store: ObjectStore,
  item: MergeItem,
  labels: MergeLabels,
): Promise<MergedItem> {
  const { base, ours, theirs } = item;
  if (sameEntry(ours, theirs)) return { entry: ours };
  if (sameEntry(base, ours)) return { entry: theirs };
  if (sameEntry(base, theirs)) return { entry: ours };
  if (ours === null || theirs === null) return modifyDeleteConflict(item.path, ours, theirs);

  const kind = entryKind(ours.mode);
  if (kind !== entryKind(theirs.mode)) {
    const message = `${item.path} is a ${describe(ours.mode)} on the target branch but a ${describe(theirs.mode)} in the picked commit.`;
    return { entry: ours, aside: theirs, conflict: conflict('mode', message) };
  }
  if (kind === 'link' || kind === 'gitlink') return pointerConflict(item.path, kind, ours, base === null);
  // A base of another type carries nothing the line merge can use.
  const sameKindBase = base && entryKind(base.mode) === kind ? base : null;
  return mergeFiles(store, item, { base: sameKindBase, ours, theirs }, labels);
}

/**
 * The blobs `mergeEntry` will read for these items: those of files both sides changed
 * differently (a line merge). Read ahead in one batch by a store that fetches on demand.
 */
export function blobsToMerge(items: Iterable<MergeItem>): string[] {
  const oids: string[] = [];
  for (const { base, ours, theirs } of items) {
    if (!ours || !theirs || ours.oid === theirs.oid || sameEntry(base, ours) || sameEntry(base, theirs))
      continue;
    if (entryKind(ours.mode) !== 'file' || entryKind(theirs.mode) !== 'file') continue;
    if (base?.oid === ours.oid || base?.oid === theirs.oid) continue;
    if (base && entryKind(base.mode) === 'file') oids.push(base.oid);
    oids.push(ours.oid, theirs.oid);
  }
  return oids;
}

/** One side deleted the file, the other changed it: the changed version stays for review. */
function modifyDeleteConflict(path: string, ours: Entry | null, theirs: Entry | null): MergedItem {
  const deletedBy = ours === null ? 'the target branch' : 'the picked commit';
  const changedBy = ours === null ? 'the picked commit' : 'the target branch';
  return {
    entry: (ours ?? theirs)!,
    conflict: conflict(
      'modify/delete',
      `${path} was deleted by ${deletedBy} and modified by ${changedBy}; the modified version is kept for review.`,
    ),
  };
}

/** Symlink targets and submodule commits have no lines to merge: differing changes conflict. */
function pointerConflict(path: string, kind: 'link' | 'gitlink', ours: Entry, added: boolean): MergedItem {
  const what = kind === 'link' ? 'symlink target' : 'submodule commit';
  return {
    entry: ours,
    conflict: conflict(
      added ? 'add/add' : kind === 'gitlink' ? 'submodule' : 'content',
      added
        ? `${path} was added on both sides with a different ${what}.`
        : `Both sides changed the ${what} of ${path} differently.`,
    ),
  };
}

/**
 * Two files both sides changed: the mode and the content merge separately, the content line
 * by line unless either version is binary.
 */
async function mergeFiles(
  store: ObjectStore,
  item: MergeItem,
  sides: { base: Entry | null; ours: Entry; theirs: Entry },
  labels: MergeLabels,
): Promise<MergedItem> {
  const { base, ours, theirs } = sides;
  const added = item.base === null;
  const mode = mergeMode(base?.mode ?? null, ours.mode, theirs.mode);
  if (ours.oid === theirs.oid) {
    // Same content, modes changed differently (only possible when the file was added twice).
    return {
      entry: { mode: ours.mode, oid: ours.oid },
      conflict: conflict(
        added ? 'add/add' : 'mode',
        `${item.path} has the same content on both sides but a different mode (${ours.mode} vs ${theirs.mode}).`,
      ),
    };
  }
  const oneSided = base?.oid === ours.oid ? theirs.oid : base?.oid === theirs.oid ? ours.oid : undefined;
  if (oneSided !== undefined) {
    return mode === undefined
      ? modeConflict(item, ours, theirs, oneSided)
      : { entry: { mode, oid: oneSided } };
  }
  // Read only now: a one-sided change needs no content, and a partial cache fetches it.
  const baseData = base ? await store.readBlob(base.oid) : new Uint8Array();
  const [oursData, theirsData] = [await store.readBlob(ours.oid), await store.readBlob(theirs.oid)];
  if (isBinary(baseData) || isBinary(oursData) || isBinary(theirsData)) {
    const message = added
      ? `${item.path} was added on both sides with different binary content.`
      : `Both sides changed the binary file ${item.path}; binary files cannot be merged line by line.`;
    return { entry: ours, conflict: conflict(added ? 'add/add' : 'binary', message) };
  }
  const merged = mergeText(bytesToText(baseData), bytesToText(oursData), bytesToText(theirsData), labels);
  const oid = await store.writeBlob(textToBytes(merged.text));
  if (mode === undefined) return modeConflict(item, ours, theirs, oid);
  if (merged.clean) return { entry: { mode, oid } };
  if (merged.tooLarge) {
    const message = `${item.path} differs too much between the sides for the app to merge it line by line within its work bound; the whole file is marked as one conflict.`;
    return { entry: { mode, oid }, conflict: conflict(added ? 'add/add' : 'content', message, merged.hunks) };
  }
  return { entry: { mode, oid }, conflict: contentConflict(item.path, added, merged.hunks) };
}

function contentConflict(path: string, added: boolean, hunks: ConflictHunk[]): ItemConflict {
  const n = hunks.length;
  const regions = `${n} conflicting ${n === 1 ? 'region' : 'regions'}`;
  return conflict(
    added ? 'add/add' : 'content',
    added
      ? `${path} was added on both sides with different content (${regions}).`
      : `Both sides changed the same lines of ${path} (${regions}).`,
    hunks,
  );
}

function conflict(kind: ConflictKind, message: string, hunks: ConflictHunk[] = []): ItemConflict {
  return { kind, message, hunks };
}

function mergeMode(base: string | null, ours: string, theirs: string): string | undefined {
  if (ours === theirs) return ours;
  if (base === ours) return theirs;
  if (base === theirs) return ours;
  return undefined;
}

function modeConflict(item: MergeItem, ours: Entry, theirs: Entry, oid: string): MergedItem {
  return {
    entry: { mode: ours.mode, oid },
    conflict: conflict(
      'mode',
      `Both sides changed the mode of ${item.path} differently (${ours.mode} vs ${theirs.mode}).`,
    ),
  };
}

function describe(mode: string): string {
  switch (entryKind(mode)) {
    case 'link':
      return 'symlink';
    case 'gitlink':
      return 'submodule';
    case 'tree':
      return 'directory';
    default:
      return mode === '100755' ? 'executable file' : 'regular file';
  }
}
