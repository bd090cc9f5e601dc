/**
 * Just enough of CommonMark to check what our renderers promise: fenced blocks open and
 * close where we meant, and text outside code neither pings nor carries live markup.
 */

export interface FencedBlock {
  info: string;
  content: string;
}

/** Splits a document into fenced blocks and the text outside them (CommonMark fence rules). */
export function splitFences(markdown: string): { blocks: FencedBlock[]; outside: string; unclosed: boolean } {
  const blocks: FencedBlock[] = [];
  const outside: string[] = [];
  let open: { char: string; length: number; info: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      const close = new RegExp(`^ {0,3}\\${open.char}{${open.length},}[ \\t]*$`);
      if (close.test(line)) {
        blocks.push({ info: open.info, content: open.lines.map((l) => `${l}\n`).join('') });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const start = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (start && !(start[1]!.startsWith('`') && start[2]!.includes('`'))) {
      open = { char: start[1]![0]!, length: start[1]!.length, info: start[2]!.trim(), lines: [] };
      continue;
    }
    outside.push(line);
  }
  return { blocks, outside: outside.join('\n'), unclosed: open !== undefined };
}

/** Text with inline code spans removed (matching backtick runs of equal length). */
export function withoutCodeSpans(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (text[i] !== '`') {
      out += text[i];
      i += 1;
      continue;
    }
    let run = 0;
    while (text[i + run] === '`') run++;
    const closing = findRun(text, i + run, run);
    if (closing === -1) {
      out += text.slice(i, i + run);
      i += run;
    } else {
      out += ' ';
      i = closing + run;
    }
  }
  return out;
}

function findRun(text: string, from: number, length: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '`') continue;
    let run = 0;
    while (text[i + run] === '`') run++;
    if (run === length) return i;
    i += run - 1;
  }
  return -1;
}

/** `@name` mentions GitHub would link in prose (not in code, not after a word character). */
export function mentions(markdown: string): string[] {
  const prose = withoutCodeSpans(splitFences(markdown).outside).replace(/<!--[\s\S]*?-->/g, '');
  return [...prose.matchAll(/(?:^|[^\w`])(@[A-Za-z0-9][\w/-]*)/g)].map((m) => m[1]!);
}

/** Characters from `chars` in `text` that are not backslash-escaped. */
export function unescaped(text: string, chars: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (chars.includes(text[i]!)) found.push(text[i]!);
  }
  return found;
}
