import { diffLines } from '../pick/diff-lines.js';
import { LineInterner } from '../pick/lines.js';
import { diffTokens, isIdentifier, tokenize } from './tokens.js';

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
): Substitutions {
  const interner = new LineInterner();
  const hunks = diffLines(interner.intern(baseLines), interner.intern(oursLines));
  const seen = new Map<string, string | null>();
  for (const h of hunks) {
    if (h.countA === 0 || h.countB === 0) continue;
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
  if (seen.size === 0) return new Map();
  const stillUsed = new Set(tokenize(oursLines.join('')).filter(isIdentifier));
  const out = new Map<string, string>();
  for (const [from, to] of seen) if (to !== null && !stillUsed.has(from)) out.set(from, to);
  return out;
}

export function substitute(tokens: readonly string[], subs: Substitutions): string[] {
  return tokens.map((t) => subs.get(t) ?? t);
}
