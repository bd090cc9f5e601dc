/**
 * Turns a configured people list (`requestReviewers`, `assignOnConflict`) into logins for
 * one pull request. GitHub logins are case-insensitive, so duplicates are dropped that way.
 */
export function resolvePeople(
  entries: readonly string[],
  people: { author: string; merger?: string | undefined },
): string[] {
  const seen = new Set<string>();
  const logins: string[] = [];
  for (const entry of entries) {
    const login = entry === '{author}' ? people.author : entry === '{merger}' ? people.merger : entry;
    if (!login || seen.has(login.toLowerCase())) continue;
    seen.add(login.toLowerCase());
    logins.push(login);
  }
  return logins;
}
