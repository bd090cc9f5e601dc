import type { PickResult } from '../pick/types.js';

/**
 * The one JSON shape of an answer, shared by `pick --json` and every line of `check`.
 * Field names are snake_case because scripts in any language read them.
 */
export type PickAnswer =
  | {
      status: 'applied';
      commit: string;
      commits: string[];
      onto: string;
      tree: string;
      commit_oid: string;
      empty: boolean;
    }
  | {
      status: 'conflict';
      commit: string;
      commits: string[];
      onto: string;
      failed_index: number;
      conflicts: Array<{
        path: string;
        kind: string;
        message: string;
        paths: Record<string, string>;
        hunks: Array<{
          ours: { start: number; count: number };
          base: { start: number; count: number };
          theirs: { start: number; count: number };
          ours_lines: string[];
          base_lines: string[];
          theirs_lines: string[];
          patch: string;
        }>;
      }>;
      merged: string[];
      marker_tree: string;
    }
  | { status: 'error'; commit?: string; onto?: string; code: string; message: string };

export function toAnswer(commits: string[], onto: string, result: PickResult): PickAnswer {
  if (result.status === 'applied') {
    return {
      status: 'applied',
      commit: commits[commits.length - 1]!,
      commits,
      onto,
      tree: result.tree,
      commit_oid: result.commit,
      empty: result.empty,
    };
  }
  return {
    status: 'conflict',
    commit: result.commit,
    commits,
    onto,
    failed_index: result.index,
    conflicts: result.conflicts.map((c) => ({
      path: c.path,
      kind: c.kind,
      message: c.message,
      paths: { ...c.paths },
      hunks: c.hunks.map((h) => ({
        ours: h.ours,
        base: h.base,
        theirs: h.theirs,
        ours_lines: h.oursLines,
        base_lines: h.baseLines,
        theirs_lines: h.theirsLines,
        patch: h.patch,
      })),
    })),
    merged: result.merged,
    marker_tree: result.markerTree,
  };
}
