/**
 * The few commit-message conventions the missing-fix report reads. Lenient on purpose:
 * squash merges on GitHub put trailers of several commits in the middle of the body, so a
 * trailer line counts wherever it is, not only in the last paragraph as git defines it.
 */

export function subjectOf(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? '';
}

/** The values of every `Fixes:` line after the subject (`#12`, a URL, `abc1234 ("…")`, …). */
export function fixesTrailers(message: string): string[] {
  // Trimmed by hand: `^\s*fixes:\s*(\S.*?)\s*$` is quadratic in a line with a long run of
  // blanks inside it, and commit messages come from anyone whose change was merged.
  return message
    .split('\n')
    .slice(1)
    .flatMap((line) => {
      const text = line.trim();
      if (text.slice(0, 6).toLowerCase() !== 'fixes:') return [];
      const value = text.slice(6).trim();
      return value ? [value] : [];
    });
}

/** The commit ids `Fixes:` lines name (Linux style `Fixes: <sha> ("subject")`), lowercased. */
export function fixedCommits(message: string): string[] {
  const shas = fixesTrailers(message).flatMap((value) => {
    const m = /^([0-9a-f]{7,40})\b/i.exec(value);
    return m?.[1] ? [m[1].toLowerCase()] : [];
  });
  return [...new Set(shas)];
}

/** The commits `git cherry-pick -x` recorded, one per pick a commit went through. */
export function cherryPickSources(message: string): string[] {
  const found = [...message.matchAll(/\(cherry picked from commit ([0-9a-f]{40})\)/gi)];
  return [...new Set(found.map((m) => (m[1] as string).toLowerCase()))];
}

/** True for a conventional-commit fix subject: `fix:`, `fix(scope):`, `fix!:`. */
export function isFixSubject(subject: string): boolean {
  return /^fix(\([^)]*\))?!?:\s*\S/i.test(subject);
}
