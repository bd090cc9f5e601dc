import type { Signature } from './types.js';

/**
 * What the engine needs from a repository, and nothing more: read and write the four
 * object kinds by id. The CLI and the app back it with isomorphic-git on disk; a future
 * backend could read through the GitHub API. Names (paths, tree entry names) are latin1
 * strings, one char per byte, so names that are not valid UTF-8 survive unchanged.
 */
export interface ObjectStore {
  readCommit(oid: string): Promise<CommitObject>;
  readTree(oid: string): Promise<readonly TreeEntry[]>;
  /**
   * Optional: a tree as its bytes with its entries located (see raw-tree.ts), for diffs that
   * make strings only for the entries that differ. Throws as `readTree` does.
   */
  readRawTree?(oid: string): Promise<RawTree>;
  readBlob(oid: string): Promise<Uint8Array>;
  /**
   * Optional: a hint that these blobs are about to be read. A store over a partial clone
   * fetches the absent ones in one batch instead of one request per `readBlob`.
   */
  prefetchBlobs?(oids: readonly string[]): Promise<void>;
  /** Optional: a blob's size without reading it (else its content is read to measure it). */
  blobSize?(oid: string): Promise<number>;
  writeBlob(data: Uint8Array): Promise<string>;
  writeTree(entries: readonly TreeEntry[]): Promise<string>;
  writeCommit(commit: NewCommit): Promise<string>;
}

/** A tree entry. `mode` is git's octal text: 100644, 100755, 120000, 160000 or 040000. */
export interface TreeEntry {
  mode: string;
  name: string;
  oid: string;
}

/**
 * A tree object as its own bytes (indexed by raw-tree.ts), with where each entry's parts sit: the one parse a tree
 * gets, with no string made. A two-tree diff compares entries here, byte for byte, and
 * makes strings only for the entries that differ: a first pick on the generated 100 MB
 * repository diffs some 1,400 trees whose 20,000 entries are nearly all the same on both
 * sides, and a name and a 40-digit id per entry were most of the diff's memory and time.
 */
export interface RawTree {
  readonly bytes: Buffer;
  readonly count: number;
  /** Per entry, two offsets: the space after its mode, then the NUL after its name. */
  readonly marks: Uint32Array;
  /** True when the names strictly increase byte by byte (code-unit order of their latin1 strings). */
  readonly byteSorted: boolean;
}

export interface NewCommit {
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

export interface CommitObject extends NewCommit {
  oid: string;
}

export const TREE_MODE = '040000';
export const LINK_MODE = '120000';
export const GITLINK_MODE = '160000';

export type EntryKind = 'file' | 'link' | 'gitlink' | 'tree';

export function entryKind(mode: string): EntryKind {
  switch (mode) {
    case '040000':
    case '40000':
      return 'tree';
    case LINK_MODE:
      return 'link';
    case GITLINK_MODE:
      return 'gitlink';
    default:
      return 'file';
  }
}
