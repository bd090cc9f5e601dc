const TRAILER = /^[A-Za-z0-9][A-Za-z0-9-]*:\s/;
const CHERRY_PICKED = /^\(cherry picked from commit [0-9a-f]{40}\)$/;

/**
 * The message `git cherry-pick -x` writes: the original, then
 * `(cherry picked from commit <sha>)`, as one more trailer when the message already ends in
 * a trailer block (Signed-off-by: …), or as its own paragraph otherwise.
 */
export function withCherryPickTrailer(message: string, sha: string): string {
  let text = message;
  if (text.length > 0 && !text.endsWith('\n')) text += '\n';
  if (!endsWithTrailerBlock(text)) text += '\n';
  return `${text}(cherry picked from commit ${sha})\n`;
}

function endsWithTrailerBlock(text: string): boolean {
  const paragraphs = text
    .trimEnd()
    .split(/\n[ \t]*\n/)
    .filter((p) => p.trim() !== '');
  // The first paragraph is the subject, never a trailer block.
  if (paragraphs.length < 2) return false;
  const lines = paragraphs[paragraphs.length - 1]!.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 0 && lines.every((l) => TRAILER.test(l) || CHERRY_PICKED.test(l) || /^\s/.test(l));
}

/** The first line of a commit message. */
export function subjectOf(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}
