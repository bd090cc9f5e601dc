/**
 * User text outside fences: titles, commit subjects, branch names, paths, logins. It must
 * neither ping anyone (`@user`, `@org/team`) nor change the shape of the Markdown around it
 * (a title such as `</details> **x** | y` must stay a title).
 */
import { flattenControlChars } from '../common/control-chars.js';

// A zero-width space after `@` breaks GitHub's mention syntax yet reads the same. The
// entity is what Dependabot and Renovate write for the same purpose.
const NO_MENTION = '@&#8203;';

/** ASCII punctuation that can start or end an inline construct: escaped wherever it occurs. */
const INLINE_SPECIAL = /[\\`*_[\]<>|~$&!]/g;

/** Cuts text to at most `max` characters, marking the cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = Math.max(0, max - 1);
  // Do not split a surrogate pair.
  const end = /[\ud800-\udbff]/.test(text[cut - 1] ?? '') ? cut - 1 : cut;
  return `${text.slice(0, end)}…`;
}

/** Plain text as inline Markdown: shown as written, no markup, no mention, one line. */
export function inlineText(text: string, max = 300): string {
  const flat = shorten(flattenControlChars(text), max);
  return flat
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(/^([#+=-]|\d+(?=[.)]))/, (m) => (/\d/.test(m) ? `${m}\\` : `\\${m}`))
    .replace(/@/g, NO_MENTION);
}

/**
 * Text as an inline code span (branch names, paths, short SHAs). Code spans never ping and
 * show their content literally; the delimiter is longer than any backtick run inside.
 * Inside a table cell a `|` would still split the cell, so it is escaped there.
 */
export function inlineCode(text: string, options: { max?: number; inTable?: boolean } = {}): string {
  let content = shorten(flattenControlChars(text), options.max ?? 300);
  if (options.inTable) content = content.replace(/\|/g, '\\|');
  let run = 0;
  let longest = 0;
  for (const c of content) {
    run = c === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const ticks = '`'.repeat(longest + 1);
  // A space on each side lets content start or end with a backtick (CommonMark strips one).
  const pad = content.startsWith('`') || content.endsWith('`') || /^ .* $/.test(content) ? ' ' : '';
  return `${ticks}${pad}${content}${pad}${ticks}`;
}

/** A GitHub login, written as `@login` but without notifying them. */
export function personName(login: string): string {
  return inlineText(`@${login}`, 60);
}

/**
 * One of our own sentences (an error message, a config problem), where `backticks` mark
 * code. Each piece is escaped on its own, so a user value holding backticks can at worst
 * shift what looks like code; it can never ping or inject markup.
 */
export function inlineMessage(message: string, options: { max?: number; inTable?: boolean } = {}): string {
  const pieces = shorten(message, options.max ?? 500).split('`');
  // An unpaired backtick leaves the last piece as plain text.
  const paired =
    pieces.length % 2 === 1 ? pieces : [...pieces.slice(0, -2), `${pieces.at(-2)}\`${pieces.at(-1)}`];
  return paired
    .map((piece, i) => {
      if (i % 2 === 1) return piece === '' ? '' : inlineCode(piece, { inTable: options.inTable ?? false });
      return piece === '' ? '' : inlineText(piece, Infinity);
    })
    .join('');
}
