import type { Entry } from '../pick/tree-reader.js';
import type { SettledEdit } from './text-segments.js';

/**
 * The choices a conflicted pick offers a person, as plain data: the CLI prints them, the
 * conflict issue lists them, and an answer (`1A 2C`) names them.
 */

/** One concrete resolution of a decision: the exact text or file that would result. */
export interface Candidate {
  /** 'A', 'B', … in rank order. */
  id: string;
  /** What it does, as a stable word: 'ours', 'theirs', 'both-ours-first', 'keep-branch-file', … */
  kind: string;
  /** One line: what it keeps and what it drops. */
  label: string;
  /** True for the first-ranked candidate only: a suggestion, never applied without an answer. */
  recommended: boolean;
  /** A small unified diff against the branch's lines ('' when it changes nothing there). */
  diff: string;
}

export type DecisionKind =
  /** One conflicting region of a text file (FileConflict.hunks[hunk]). */
  | 'region'
  /** A text file with conflicting regions: apply the region choices, or keep the branch's file. */
  | 'file'
  | 'modify/delete'
  | 'add/add'
  | 'rename'
  /** Binary, mode, symlink or submodule conflicts: one side's version or the other's. */
  | 'version'
  /** A file/directory clash: the draft's layout is the only candidate. */
  | 'directory';

export interface Decision {
  /** '1', '2', … across the whole pick, in the order of ConflictResult.conflicts. */
  id: string;
  /** The conflicted path (display text, as in FileConflict.path). */
  path: string;
  kind: DecisionKind;
  /** For a region: its index into FileConflict.hunks. */
  hunk?: number;
  candidates: Candidate[];
}

/** A file a candidate writes: its path (latin1, as the tree holds it) and entry (null: deleted). */
export interface FileOutcome {
  path: string;
  entry: Entry | null;
}

/** A candidate with what it produces, which only this room reads. */
export interface PlannedCandidate extends Candidate {
  /** For a region: the lines (latin1, with terminators) that replace it. */
  lines?: string[];
  /** For a re-anchored region edit: the settled branch lines it changes elsewhere in the file. */
  elsewhere?: SettledEdit;
  /** For a whole-file decision: the files it writes. */
  files?: FileOutcome[];
  /** For a file decision: true when it keeps the branch's file and ignores the region answers. */
  keepBranchFile?: boolean;
}

export interface PlannedDecision extends Decision {
  candidates: PlannedCandidate[];
}

/** The resolved version of every conflicted path, as `applyChoices` reports it. */
export interface ResolvedFile {
  /** Display text, like FileConflict.path. */
  path: string;
  /** The blob id, or null when the choice deletes the file. */
  blob: string | null;
}
