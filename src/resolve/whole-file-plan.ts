import { displayText, textToBytes } from '../pick/lines.js';
import { mergeText } from '../pick/merge-text.js';
import type { Entry } from '../pick/tree-reader.js';
import type { FileConflict } from '../pick/types.js';
import { fileDiff } from './candidate-diff.js';
import { treePath, type PickSides } from './pick-sides.js';
import { similarBranchFile } from './similar-file.js';
import { letter, type DecisionIds } from './text-file-plan.js';
import type { DecisionKind, FileOutcome, PlannedCandidate, PlannedDecision } from './types.js';

/** A decision over whole files: which version (or which path) each conflicted path gets. */
export interface WholeFilePlan {
  type: 'whole';
  conflicts: FileConflict[];
  decision: PlannedDecision;
}

type Option = Omit<PlannedCandidate, 'id' | 'recommended' | 'diff'> & { files: FileOutcome[] };

/**
 * The decision for conflicts that are about whole files. `conflicts` holds one conflict, or
 * the two halves of a file renamed to two places (same message, one per path).
 */
export async function planWholeFile(
  sides: PickSides,
  conflicts: FileConflict[],
  ids: DecisionIds,
): Promise<WholeFilePlan> {
  const first = conflicts[0]!;
  const { kind, options } =
    conflicts.length === 2
      ? { kind: 'rename' as const, options: await renameRenameOptions(sides, first) }
      : await singleOptions(sides, first);
  const candidates: Omit<PlannedCandidate, 'id' | 'recommended'>[] = [];
  for (const o of options) candidates.push({ ...o, diff: await outcomeDiff(sides, o.files) });
  return {
    type: 'whole',
    conflicts,
    decision: { id: ids.next(), path: first.path, kind, candidates: letter(candidates) },
  };
}

async function singleOptions(
  sides: PickSides,
  c: FileConflict,
): Promise<{ kind: DecisionKind; options: Option[] }> {
  const path = treePath(c.path);
  if (c.kind === 'directory') {
    return {
      kind: 'directory',
      options: [{ kind: 'as-drafted', label: `Keep the layout the draft has: ${c.message}`, files: [] }],
    };
  }
  // The branch's version: at the path itself, or where the branch has it.
  const oursAtPath = await sides.entry('ours', path);
  const oursPath = oursAtPath === null && c.paths.ours !== undefined ? treePath(c.paths.ours) : path;
  const ours = oursAtPath ?? (await sides.entry('ours', oursPath));
  const theirs = await sides.entry('theirs', c.paths.theirs === undefined ? path : treePath(c.paths.theirs));
  const keepOurs: FileOutcome[] =
    oursPath === path
      ? [{ path, entry: ours }]
      : [
          { path: oursPath, entry: ours },
          { path, entry: null },
        ];
  const where = oursPath === path ? '' : ` at ${c.paths.ours}`;
  const takeTheirs: Option = {
    kind: 'theirs',
    label: theirs
      ? `Take upstream's version of ${c.path}; drop the branch's`
      : `Delete ${c.path}, as upstream does; drop the branch's changes to it`,
    files: [{ path, entry: theirs }],
  };
  const keepBranch: Option = {
    kind: 'ours',
    label: ours
      ? `Keep the branch's version${where}; drop upstream's change to it`
      : `Leave ${c.path} out, as the branch has it; drop upstream's change to it`,
    files: keepOurs,
  };
  if (c.kind === 'modify/delete' && ours === null) {
    return { kind: 'modify/delete', options: await branchDeletedOptions(sides, c, keepBranch, takeTheirs) };
  }
  if (c.kind === 'modify/delete') {
    return {
      kind: 'modify/delete',
      options: [
        {
          ...takeTheirs,
          kind: 'delete',
          label: "Delete the file, as upstream does; drop the branch's changes to it",
        },
        {
          ...keepBranch,
          kind: 'keep-branch-file',
          label: "Keep the branch's file; drop upstream's deletion",
        },
      ],
    };
  }
  const kind: DecisionKind = c.kind === 'add/add' ? 'add/add' : c.kind === 'rename' ? 'rename' : 'version';
  return { kind, options: [takeTheirs, keepBranch] };
}

/**
 * The branch deleted the file upstream edited: upstream's edit applied to the branch file most
 * like the deleted one, when there is one (the branch may have moved the code); keeping the
 * deletion; restoring the file with upstream's edit.
 */
async function branchDeletedOptions(
  sides: PickSides,
  c: FileConflict,
  keepBranch: Option,
  takeTheirs: Option,
): Promise<Option[]> {
  const options: Option[] = [];
  const base = await sides.entry('base', treePath(c.paths.base ?? c.path));
  const theirs = takeTheirs.files[0]!.entry;
  const similar = base && theirs ? await similarBranchFile(sides, treePath(c.path), base, theirs) : undefined;
  if (similar) {
    const shown = displayText(similar.path);
    options.push({
      kind: 'similar-file',
      label: `Apply upstream's edit to ${shown} (${similar.percent}% like the deleted file: the branch may have moved the code there); ${c.path} stays deleted`,
      files: [
        { path: similar.path, entry: similar.entry },
        { path: treePath(c.path), entry: null },
      ],
    });
  }
  options.push(
    {
      ...keepBranch,
      kind: 'keep-deleted',
      label: "Keep the file deleted, as the branch has it; drop upstream's edit",
    },
    {
      ...takeTheirs,
      kind: 'restore-theirs',
      label: "Restore the file with upstream's edit; the branch had deleted it",
    },
  );
  return options;
}

/**
 * A file renamed to two places (the branch's name and upstream's): it goes to one of them.
 * Its content is the line merge of the three versions when that is clean; otherwise each
 * name keeps its own side's content, and the label says the other side's edit is dropped.
 */
async function renameRenameOptions(sides: PickSides, c: FileConflict): Promise<Option[]> {
  const [basePath, oursPath, theirsPath] = [c.paths.base, c.paths.ours!, c.paths.theirs!].map((p) =>
    p === undefined ? undefined : treePath(p),
  );
  const base = await sides.entry('base', basePath);
  const ours = await sides.entry('ours', oursPath);
  const theirs = await sides.entry('theirs', theirsPath);
  const merged = await cleanMerge(sides, base, ours, theirs);
  const place = (at: string, other: string, entry: Entry | null): FileOutcome[] => [
    { path: at, entry },
    { path: other, entry: null },
  ];
  const content = (side: string) =>
    merged ? "with both sides' edits merged" : `with ${side}'s content only`;
  return [
    {
      kind: 'branch-name',
      label: `Keep the branch's name ${c.paths.ours} ${content('the branch')}; drop ${c.paths.theirs}`,
      files: place(oursPath!, theirsPath!, merged ?? ours),
    },
    {
      kind: 'upstream-name',
      label: `Use upstream's name ${c.paths.theirs} ${content('upstream')}; drop ${c.paths.ours}`,
      files: place(theirsPath!, oursPath!, merged ?? theirs),
    },
  ];
}

async function cleanMerge(
  sides: PickSides,
  base: Entry | null,
  ours: Entry | null,
  theirs: Entry | null,
): Promise<Entry | null> {
  if (!ours || !theirs) return null;
  const [b, o, t] = [await sides.text(base), await sides.text(ours), await sides.text(theirs)];
  if (o === null || t === null) return null;
  const merge = mergeText(b ?? '', o, t, { ours: 'ours', base: 'base', theirs: 'theirs' });
  if (!merge.clean) return null;
  return { mode: ours.mode, oid: await sides.store.writeBlob(textToBytes(merge.text)) };
}

/** Each file the candidate writes, against the branch's version of that path. */
async function outcomeDiff(sides: PickSides, files: FileOutcome[]): Promise<string> {
  const parts: string[] = [];
  for (const f of files) {
    const before = await sides.entry('ours', f.path);
    if (before?.oid === f.entry?.oid && before?.mode === f.entry?.mode) continue;
    const [a, b] = [await sides.text(before), await sides.text(f.entry)];
    const shown = Buffer.from(f.path, 'latin1').toString('utf8');
    const textual = (before === null || a !== null) && (f.entry === null || b !== null);
    const body = textual ? fileDiff(a, b) : `Binary or special file ${shown} changes\n`;
    parts.push(
      `--- ${before ? `a/${shown}` : '/dev/null'}\n+++ ${f.entry ? `b/${shown}` : '/dev/null'}\n${body}`,
    );
  }
  return parts.join('');
}
