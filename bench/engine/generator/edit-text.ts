/**
 * A commit's change to one text file: a few insertions, deletions and modified lines in the
 * middle of the file, the way day-to-day work changes code.
 */
import type { CodeText, Language } from './code-text.js';
import type { Prng } from './prng.js';

/** Where edits cluster, as a fraction of the file's length (contested files have one). */
export interface EditFocus {
  at: number;
  /** Half-width of the cluster, in lines. */
  spread: number;
}

export function editText(
  text: string,
  lang: Language,
  code: CodeText,
  rng: Prng,
  focus?: EditFocus,
  ops = rng.pick([1, 1, 1, 1, 2, 2, 2, 3]),
): string {
  const lines = text.split('\n');
  // The trailing '' after the final newline stays last.
  const tail = lines.pop() ?? '';
  for (let i = 0; i < ops; i++) {
    const n = lines.length;
    let pos: number;
    if (focus && rng.chance(0.7)) {
      const center = Math.floor(focus.at * n);
      pos = center + rng.range(-focus.spread, focus.spread);
    } else {
      pos = Math.floor(n * (0.05 + rng.next() * 0.9));
    }
    pos = Math.max(0, Math.min(n - 1, pos));
    const indent = /^\s*/.exec(lines[pos] ?? '')?.[0] ?? '';
    const kind = rng.weighted([5, 3, 2]);
    if (kind === 0) {
      const count = Math.min(rng.range(1, 4), n - pos);
      for (let k = 0; k < count; k++) lines[pos + k] = code.mutateLine(lang, lines[pos + k] ?? '');
    } else if (kind === 1) {
      const added =
        rng.chance(0.25) && lang !== 'data'
          ? code.block(lang)
          : code.statements(lang, indent, rng.range(1, 6));
      lines.splice(pos, 0, ...added);
    } else if (n > 20) {
      lines.splice(pos, rng.range(1, 8));
    }
  }
  lines.push(tail);
  return lines.join('\n');
}
