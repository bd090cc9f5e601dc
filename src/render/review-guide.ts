/**
 * The part of a backport PR body that tells its reviewer what to look at: how the change on
 * the target differs from the original, file by file. A clean pick shows at a glance that
 * nothing was adapted; an adapted file shows only the adaptation, as a diff of the two patches.
 */
import type { FileComparison } from '../pick/compare-changes.js';
import { fitList } from './fit-list.js';
import { inlineCode } from './no-ping.js';
import { fence } from './safe-fence.js';

const NOTES: Record<Exclude<FileComparison['kind'], 'adapted'>, string> = {
  identical: 'identical to the original',
  context: 'the same change, at other lines or with other context',
  'upstream-only': 'changed by the original only (already so on the target)',
  'backport-only': 'changed by the backport only',
};

/** Lines of one adapted file's patch comparison shown at most. */
const MAX_DIFF_LINES = 80;

export function renderReviewGuide(source: number, files: readonly FileComparison[], budget: number): string {
  if (files.length === 0) return '';
  const adapted = files.filter(
    (f): f is Extract<FileComparison, { kind: 'adapted' }> => f.kind === 'adapted',
  );
  const head =
    adapted.length === 0 && files.every((f) => f.kind === 'identical')
      ? `**What to review:** every file changes exactly as in #${source}; nothing was adapted.`
      : `**What to review:** how this change differs from #${source}, file by file${adapted.length > 0 ? `; ${adapted.length} adapted` : ''}.`;
  const lines = files.map(
    (f) => `- ${inlineCode(f.path, { max: 200 })}: ${f.kind === 'adapted' ? '**adapted**' : NOTES[f.kind]}`,
  );
  const list = fitList(lines, Math.max(0, budget / 2), (n) => `- … and ${n} more files`);
  const parts = [head, '', ...list];
  let room = budget - parts.join('\n').length;
  const left: string[] = [];
  for (const f of adapted) {
    const shown = f.diff.slice(0, MAX_DIFF_LINES);
    const more = f.diff.length > shown.length ? `\n… ${f.diff.length - shown.length} more lines` : '';
    const block =
      f.diff.length === 0
        ? `${inlineCode(f.path)}: binary content differs from the original's.`
        : `<details><summary>${inlineCode(f.path)}: the original's patch (-) against this one's (+)</summary>\n\n${fence(shown.join('\n'), 'diff')}${more}\n\n</details>`;
    if (block.length + 2 > room) {
      left.push(f.path);
      continue;
    }
    parts.push('', block);
    room -= block.length + 2;
  }
  if (left.length > 0)
    parts.push('', `The comparison of ${left.length} more adapted files is left out for size.`);
  return parts.join('\n');
}
