import { BackportError } from '../errors.js';
import { textToBytes } from '../pick/lines.js';
import type { ObjectStore } from '../pick/object-store.js';
import { ResultTree } from '../pick/result-tree.js';
import type { ConflictResult } from '../pick/types.js';
import { checkAnswers, type Answers } from './answers.js';
import { planChoices } from './plan-choices.js';
import { assemble } from './text-segments.js';
import type { PlannedCandidate, PlannedDecision, ResolvedFile } from './types.js';

export interface AppliedChoices {
  /** The resolved tree: the draft tree with every conflicted path as the answers say. */
  tree: string;
  /** Every conflicted path, with its resolved blob (null when the choice deletes it). */
  files: ResolvedFile[];
}

/**
 * Builds the tree a person's answers give: the pick's clean merges as they are, and each
 * conflicted path from the chosen candidates. Objects are written to the store; no ref
 * moves. Nothing is chosen for anyone: a missing, unknown or doubled answer throws
 * `bad-resolution` naming the decision.
 */
export async function applyChoices(
  store: ObjectStore,
  result: ConflictResult,
  answers: Answers,
): Promise<AppliedChoices> {
  const plan = await planChoices(store, result);
  checkAnswers(answers, plan.decisions);
  const chosen = (d: PlannedDecision): PlannedCandidate => d.candidates.find((c) => c.id === answers[d.id])!;
  const tree = new ResultTree(store, result.markerTree, { ours: 'branch', theirs: 'upstream' });
  const files: ResolvedFile[] = [];
  for (const file of plan.files) {
    if (file.type === 'whole') {
      for (const f of chosen(file.decision).files ?? []) {
        if (f.entry === null) await tree.remove(f.path);
        else await tree.set(f.path, f.entry, 'theirs');
        files.push({ path: Buffer.from(f.path, 'latin1').toString('utf8'), blob: f.entry?.oid ?? null });
      }
      continue;
    }
    const keep = file.fileDecision !== undefined && chosen(file.fileDecision).keepBranchFile === true;
    // A kept branch file needs no region answers; any given are not read.
    const picks = keep ? [] : file.regionDecisions.map(chosen);
    const edits = picks.flatMap((c) => (c.elsewhere ? [c.elsewhere] : []));
    const text = keep ? file.oursText : assemble(file.text, (i) => picks[i]!.lines ?? [], edits);
    if (text === undefined) {
      const ids = file.regionDecisions.filter((_, i) => picks[i]!.elsewhere).map((d) => d.id);
      throw new BackportError(
        'bad-resolution',
        `The answers to decisions ${ids.join(', ')} both edit the same lines of ${file.conflict.path}; choose another candidate for one of them.`,
        { reason: 'incompatible', decision: ids[0] },
      );
    }
    const oid = await store.writeBlob(textToBytes(text));
    await tree.set(file.treePath, { mode: file.mode, oid }, 'theirs');
    files.push({ path: file.conflict.path, blob: oid });
  }
  return { tree: await tree.write(), files };
}
