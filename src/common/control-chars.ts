/**
 * Control characters in text that comes from someone else (a PR title, a branch name, a
 * path, a commit subject): a line break would end a title, a table row or a paragraph, and
 * an escape sequence could drive a terminal. One character class, declared once: C0
 * controls (line breaks, tab, escape) and DEL; a terminal also obeys C1 (0x80–0x9f).
 */
const C0_AND_DEL = String.raw`\u0000-\u001f\u007f`;
const C1 = String.raw`\u0080-\u009f`;

const RUNS = new RegExp(`[${C0_AND_DEL}]+`, 'g');
const EACH = new RegExp(`[${C0_AND_DEL}]`, 'g');
const EACH_FOR_TERMINAL = new RegExp(`[${C0_AND_DEL}${C1}]`, 'g');

/** Each run of control characters as one space: text that must stay on one line. */
export function flattenControlChars(text: string): string {
  return text.replace(RUNS, ' ');
}

/** Each control character as `?`: the text keeps its length and shows where one was. */
export function maskControlChars(text: string): string {
  return text.replace(EACH, '?');
}

/** Each control character, C1 included, as `?`: text written to a terminal. */
export function terminalSafe(text: string): string {
  return text.replace(EACH_FOR_TERMINAL, '?');
}
