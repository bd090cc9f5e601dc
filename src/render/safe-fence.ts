/**
 * Fenced code blocks that nothing inside can close. Content shown in a fence is whatever the
 * repository holds (diffs, file lines), so it may contain fences of its own; a fence longer
 * than any backtick run inside cannot be closed early. Fenced text never pings anyone.
 */

/** The longest run of `char` in `text`. */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/** A fenced block around `content`, optionally tagged with a language (e.g. `diff`). */
export function fence(content: string, language = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  // An info string may not contain backticks or spaces; our tags are fixed words anyway.
  const tag = language.replace(/[^\w+#.-]/g, '');
  const body = content === '' || content.endsWith('\n') ? content : `${content}\n`;
  return `${ticks}${tag}\n${body}${ticks}`;
}
