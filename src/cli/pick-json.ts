import type { PickResult } from '../pick/types.js';
import type { Decision, ResolvedFile } from '../resolve/index.js';

/** One decision of a conflicted pick as scripts read it: `1A` names decision 1, candidate A. */
export interface ChoiceAnswer {
  id: string;
  path: string;
  kind: string;
  candidates: Array<{ id: string; label: string }>;
}

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
      /** The decisions a person answers to finish the pick, in the conflict issue's order. */
      choices?: ChoiceAnswer[];
      /**
       * From `check`: upstream commits that, picked first in this order, make the pick apply
       * (`clean`), and why the search stopped early if it did ('commits', 'time', 'shallow').
       */
      prerequisites?: { commits: string[]; clean: boolean; truncated?: string };
    }
  | {
      /** `resolve`: the tree a person's answers give, and the blob of every conflicted path. */
      status: 'applied';
      commit: string;
      commits: string[];
      onto: string;
      tree: string;
      files: ResolvedFile[];
    }
  | {
      status: 'error';
      commit?: string;
      onto?: string;
      code: string;
      message: string;
      /** For a bad answer (`bad-resolution`): the decision it names or leaves out, and why. */
      decision?: string;
      reason?: string;
    };

export function toChoices(decisions: readonly Decision[]): ChoiceAnswer[] {
  return decisions.map((d) => ({
    id: d.id,
    path: d.path,
    kind: d.kind,
    candidates: d.candidates.map((c) => ({ id: c.id, label: c.label })),
  }));
}

export function toAnswer(
  commits: string[],
  onto: string,
  result: PickResult,
  decisions?: readonly Decision[],
): PickAnswer {
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
    ...(decisions ? { choices: toChoices(decisions) } : {}),
  };
}
