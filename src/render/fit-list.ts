/**
 * Keeps the first lines of a list that fit in `budget` characters (joined by newlines) and
 * replaces the rest with one line saying how many were left out.
 */
export function fitList(
  lines: readonly string[],
  budget: number,
  more: (hidden: number) => string,
): string[] {
  const total = lines.reduce((sum, line) => sum + line.length + 1, 0);
  if (total <= budget) return [...lines];
  const kept: string[] = [];
  let used = more(lines.length).length + 1;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  return [...kept, more(lines.length - kept.length)];
}
