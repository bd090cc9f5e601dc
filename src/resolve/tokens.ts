import { diffLines } from '../pick/diff-lines.js';
import type { Hunk } from '../pick/edit-script.js';
import { LineInterner } from '../pick/lines.js';
import { mergeRegions } from '../pick/merge-regions.js';

/**
 * Text cut into the units a person edits: identifiers and words, numbers, runs of
 * whitespace, and single punctuation characters. Joining the tokens gives the text back.
 */
export function tokenize(text: string): string[] {
  return text.match(/[A-Za-z_$\u00c0-\u00ff][\w$\u00c0-\u00ff]*|\d+(?:\.\d+)?|\s+|[^]/g) ?? [];
}

export function isIdentifier(token: string): boolean {
  return /^[A-Za-z_$\u00c0-\u00ff][\w$\u00c0-\u00ff]*$/.test(token);
}

/** A token that carries meaning (not whitespace, not a lone punctuation character). */
export function isWord(token: string): boolean {
  return /^[\w$\u00c0-\u00ff]/.test(token) && !/^\s/.test(token);
}

/** The diff of two token sequences, with git's line diff run over tokens. */
export function diffTokens(a: readonly string[], b: readonly string[]): Hunk[] {
  const interner = new LineInterner();
  return diffLines(interner.intern(a), interner.intern(b));
}

/**
 * Three-way merge of token sequences, by the same rules as git's line merge (edits that
 * touch or overlap conflict). Returns the merged tokens, or undefined on any conflict: a
 * token merge is only offered when the two sides' edits are apart.
 */
export function mergeTokens(
  base: readonly string[],
  ours: readonly string[],
  theirs: readonly string[],
): string[] | undefined {
  const interner = new LineInterner();
  const [b, o, t] = [interner.intern(base), interner.intern(ours), interner.intern(theirs)];
  const same = (oi: number, ti: number, n: number) => {
    for (let k = 0; k < n; k++) if (o[oi + k] !== t[ti + k]) return false;
    return true;
  };
  const regions = mergeRegions(
    diffLines(b, o),
    diffLines(b, t),
    { base: b.length, ours: o.length, theirs: t.length },
    same,
  );
  const out: string[] = [];
  let at = 0;
  for (const r of regions) {
    for (; at < r.ours; at++) out.push(ours[at]!);
    if (r.kind === 'theirs') out.push(...theirs.slice(r.theirs, r.theirs + r.theirsCount));
    else if (r.kind === 'ours') out.push(...ours.slice(r.ours, r.ours + r.oursCount));
    else if (r.oursCount === r.theirsCount && same(r.ours, r.theirs, r.oursCount)) {
      out.push(...ours.slice(r.ours, r.ours + r.oursCount));
    } else return undefined;
    at = r.ours + r.oursCount;
  }
  for (; at < ours.length; at++) out.push(ours[at]!);
  return out;
}

/** The meaningful tokens `after` has that `before` does not (what an edit brought in). */
export function newWords(before: readonly string[], after: readonly string[]): Set<string> {
  const had = new Set(before);
  return new Set(after.filter((t) => isWord(t) && !had.has(t)));
}
