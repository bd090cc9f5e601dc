/**
 * The cherry-pick engine's vocabulary. Everything here is plain data (JSON-serialisable), so
 * the CLI prints it, the renderers turn it into Markdown and the app stores it without
 * knowing how a pick is computed.
 */

/** A person and a moment, as git records them on a commit. */
export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** Minutes east of UTC, as git stores it (+0130 is 90). */
  timezoneOffset: number;
}

/** The kinds of conflict a person may have to resolve. */
export type ConflictKind =
  /** Both sides edited the same lines of a text file differently. */
  | 'content'
  /** One side modified the file, the other deleted it. */
  | 'modify/delete'
  /** Both sides added a file at the same path with different content. */
  | 'add/add'
  /** Both sides changed a binary file (no line merge is possible). */
  | 'binary'
  /** Renames that cannot be reconciled (renamed to two places, renamed and deleted, …). */
  | 'rename'
  /** Both sides changed the file's mode or type (regular, executable, symlink) differently. */
  | 'mode'
  /** A file on one side is a directory on the other. */
  | 'directory'
  /** Both sides moved a submodule to different commits. */
  | 'submodule';

/** A 1-based line range; `count` 0 means an empty range located before line `start`. */
export interface LineRange {
  start: number;
  count: number;
}

/** One conflicting region of a text file, as a person needs it to finish the job. */
export interface ConflictHunk {
  /** Where the region is in the target branch's file (the "ours" side). */
  ours: LineRange;
  /** Where the region is in the file upstream expected (the commit's parent). */
  base: LineRange;
  /** Where the region is in the upstream result (the commit's own version). */
  theirs: LineRange;
  /** The lines upstream expected to find (each with its line ending). */
  baseLines: string[];
  /** The lines the target branch has instead. */
  oursLines: string[];
  /** The lines upstream wrote. */
  theirsLines: string[];
  /** The upstream change for this region as a unified-diff hunk (`@@ … @@` plus lines). */
  patch: string;
}

export interface FileConflict {
  /** The path in the result (on the target side). */
  path: string;
  kind: ConflictKind;
  /** One plain sentence saying what happened, in git's terms where git has them. */
  message: string;
  /** Where the file is on each side, when renames are involved or a side lacks it. */
  paths: { base?: string; ours?: string; theirs?: string };
  /** Conflicting regions, for content and add/add conflicts of text files. */
  hunks: ConflictHunk[];
}

/** One commit of a series, and what became of it. */
export interface PickedCommit {
  /** The upstream commit. */
  source: string;
  /** The commit created on the target, absent when the pick changed nothing. */
  result?: string;
  /** True when the change was already on the target. */
  empty: boolean;
}

export interface AppliedResult {
  status: 'applied';
  /** The last commit created (or the target tip when every pick was empty). */
  commit: string;
  tree: string;
  /** True when no commit of the series changed anything: the fix is already there. */
  empty: boolean;
  picked: PickedCommit[];
}

export interface ConflictResult {
  status: 'conflict';
  /** The upstream commit that could not be applied. */
  commit: string;
  /** Its position in the series (0-based). */
  index: number;
  /** Commits of the series applied before the conflict. */
  picked: PickedCommit[];
  conflicts: FileConflict[];
  /** Paths the failing commit touched that merged cleanly. */
  merged: string[];
  /** A tree holding every clean merge plus diff3-style conflict markers, for a draft branch. */
  markerTree: string;
  /** The commit the failing pick was computed on (the target tip or the last applied pick). */
  onto: string;
}

export type PickResult = AppliedResult | ConflictResult;
