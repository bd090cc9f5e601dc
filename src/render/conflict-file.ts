/**
 * One conflicted file in the conflict issue: a summary line that is always shown, and the
 * details (a sentence of what to decide, then every hunk) that may be left out for size.
 */
import type { FileConflict } from '../pick/types.js';
import { renderHunk } from './conflict-hunk.js';
import { inlineCode, inlineText } from './no-ping.js';

const KIND_NAMES: Record<FileConflict['kind'], string> = {
  content: 'content conflict',
  'modify/delete': 'modified on one side, deleted on the other',
  'add/add': 'added on both sides',
  binary: 'binary file changed on both sides',
  rename: 'conflicting renames',
  mode: 'file mode changed on both sides',
  directory: 'file on one side, directory on the other',
  submodule: 'submodule moved on both sides',
};

export function kindName(kind: FileConflict['kind']): string {
  return KIND_NAMES[kind];
}

/** `- `path` — content conflict, 3 hunks`, with the path shortened when `maxPath` says so. */
export function fileSummaryLine(file: FileConflict, maxPath = 300): string {
  const hunks =
    file.hunks.length > 0 ? `, ${file.hunks.length} ${file.hunks.length === 1 ? 'hunk' : 'hunks'}` : '';
  return `- ${inlineCode(file.path, { max: maxPath })}: ${KIND_NAMES[file.kind]}${hunks}`;
}

/** What a person has to decide for kinds that have no lines to merge. */
function decision(file: FileConflict, branch: string): string {
  const here = inlineCode(branch);
  const { base, ours, theirs } = file.paths;
  const where = (path: string | undefined) => (path ? inlineCode(path) : 'nowhere');
  switch (file.kind) {
    case 'content':
      return `Upstream changed lines that ${here} has changed differently. For each hunk, write the upstream change into the text ${here} has.`;
    case 'add/add':
      return `Upstream and ${here} both added this file with different content. Merge the two versions by hand.`;
    case 'modify/delete':
      return ours === undefined
        ? `${here} no longer has this file, but upstream changed it. Decide whether the change still belongs on ${here}: apply it where that code lives now, re-create the file, or leave the change out and say why in the backport.`
        : `Upstream deleted this file, but ${here} has changes of its own to it. Decide whether ${here} should delete it too or keep it.`;
    case 'binary':
      return `Both sides changed this binary file and no line merge is possible. Decide which content ${here} needs; never take one side without checking what the other changed.`;
    case 'rename':
      return `The renames cannot be reconciled (before: ${where(base)}; on ${here}: ${where(ours)}; upstream: ${where(theirs)}). Decide where the file lives on ${here} and apply the upstream change there.`;
    case 'mode':
      return `The sides disagree on the file's mode (executable bit, symlink or regular file). Decide which mode ${here} should have.`;
    case 'directory':
      return `This path is a file on one side and a directory on the other. Decide which one ${here} keeps and where the upstream change belongs.`;
    case 'submodule':
      return `Both sides moved this submodule to different commits. Decide which commit ${here} should point to.`;
  }
}

export function fileDetails(file: FileConflict, branch: string): string {
  const parts = [
    `### ${inlineCode(file.path)}`,
    '',
    `*${inlineText(file.message.trim(), 1_000)}*`,
    '',
    decision(file, branch),
  ];
  file.hunks.forEach((hunk, index) => {
    parts.push('', renderHunk(hunk, { index, count: file.hunks.length, path: file.path, branch }));
  });
  return parts.join('\n');
}
