/**
 * Just enough CommonMark to check what a reader of the app's bodies sees: fenced code blocks
 * (opened by 3+ backticks, closed by a line of at least as many), and the prose outside them.
 */

export interface FencedBlock {
  /** The opening backticks. */
  fence: string;
  info: string;
  content: string;
}

/** Every fenced block, with the text outside blocks. An unclosed fence runs to the end. */
export function scanMarkdown(body: string): { blocks: FencedBlock[]; prose: string } {
  const blocks: FencedBlock[] = [];
  const prose: string[] = [];
  let open: { fence: string; info: string; lines: string[] } | undefined;
  for (const line of body.split('\n')) {
    if (open) {
      const close = /^ {0,3}(`+)[ \t]*$/.exec(line);
      if (close && close[1]!.length >= open.fence.length) {
        blocks.push({ fence: open.fence, info: open.info, content: open.lines.join('\n') });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const start = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
    if (start) open = { fence: start[1]!, info: start[2]!.trim(), lines: [] };
    else prose.push(line);
  }
  if (open) blocks.push({ fence: open.fence, info: open.info, content: open.lines.join('\n') });
  return { blocks, prose: prose.join('\n') };
}

/** Prose with inline code spans removed (code spans never ping anyone either). */
export function withoutCodeSpans(prose: string): string {
  return prose.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
}

/** `@name` or `@org/team` as GitHub would turn it into a notification. */
export const MENTION = /(^|[^\w`&#;/])@[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9-]+)?/m;

/** The longest run of backticks in a text. */
export function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
}
