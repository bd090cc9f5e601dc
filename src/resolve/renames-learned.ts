import type { Hunk } from '../pick/edit-script.js';
import { diffTokens, isIdentifier, tokenize } from './tokens.js';

/** Lines per side of a changed stretch at most, for it to teach renames. */
const MAX_HUNK = 40;
const IDENT_CHAR = /[\w$\u00c0-\u00ff]/;

/** Identifier substitutions, old name → the branch's name. */
export type Substitutions = ReadonlyMap<string, string>;

/**
 * Learns the names the branch changed in one file: wherever a changed stretch of lines
 * differs from base by identifiers replaced one for one, each replaced identifier is a
 * candidate substitution. A name is kept only when the branch maps it to one name
 * consistently and no longer uses the old name anywhere in the file, so a substitution is
 * a rename the branch made throughout, not a one-off edit.
 */
export function learnSubstitutions(
  baseLines: readonly string[],
  oursLines: readonly string[],
  hunks: readonly Hunk[],
): Substitutions {
  const seen = new Map<string, string | null>();
  for (const h of hunks) {
    // A rewrite of many lines is not a rename; its token diff would only cost time.
    if (h.countA === 0 || h.countB === 0 || h.countA > MAX_HUNK || h.countB > MAX_HUNK) continue;
    const before = tokenize(baseLines.slice(h.startA, h.startA + h.countA).join(''));
    const after = tokenize(oursLines.slice(h.startB, h.startB + h.countB).join(''));
    for (const t of diffTokens(before, after)) {
      if (t.countA !== t.countB) continue;
      for (let k = 0; k < t.countA; k++) {
        const [from, to] = [before[t.startA + k]!, after[t.startB + k]!];
        if (!isIdentifier(from) || !isIdentifier(to)) continue;
        const known = seen.get(from);
        seen.set(from, known === undefined || known === to ? to : null);
      }
    }
  }
  const out = new Map<string, string>();
  if (seen.size === 0) return out;
  const ours = oursLines.join('');
  for (const [from, to] of seen) if (to !== null && !usesName(ours, from)) out.set(from, to);
  return out;
}

/** Whether `text` has the identifier `name` as a whole token. */
function usesName(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const after = text[at + name.length];
    if (
      (before === undefined || !IDENT_CHAR.test(before)) &&
      (after === undefined || !IDENT_CHAR.test(after))
    ) {
      return true;
    }
  }
  return false;
}

export function substitute(tokens: readonly string[], subs: Substitutions): string[] {
  return tokens.map((t) => subs.get(t) ?? t);
}
