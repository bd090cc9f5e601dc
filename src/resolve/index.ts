/**
 * Semi-automated resolution of a conflicted pick (issue 8): for every decision a conflict
 * needs, a short ranked list of concrete resolutions, and the tree a person's answer gives.
 * Pure code over the object store, beside the engine: nothing here knows GitHub, and nothing
 * is ever applied without an answer.
 */
import type { ObjectStore } from '../pick/object-store.js';
import type { ConflictResult } from '../pick/types.js';
import { planChoices } from './plan-choices.js';
import type { Decision } from './types.js';

export { applyChoices, type AppliedChoices } from './apply-choices.js';
export { checkAnswers, parseAnswers, type Answers } from './answers.js';
export type { Candidate, Decision, DecisionKind, ResolvedFile } from './types.js';

/** The decisions of a conflicted pick, numbered in issue order, candidates in rank order. */
export async function conflictChoices(store: ObjectStore, result: ConflictResult): Promise<Decision[]> {
  const plan = await planChoices(store, result);
  return plan.decisions.map((d) => ({
    id: d.id,
    path: d.path,
    kind: d.kind,
    ...(d.hunk === undefined ? {} : { hunk: d.hunk }),
    candidates: d.candidates.map((c) => ({
      id: c.id,
      kind: c.kind,
      label: c.label,
      recommended: c.recommended,
      diff: c.diff,
    })),
  }));
}
