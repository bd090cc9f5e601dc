/**
 * The "what was copied" sentence of a backport PR body, kept between two hidden markers of its
 * own so a later run can say what is true now (a repaired publish added the labels or reviewers
 * that failed the first time) without touching anything a person wrote around it.
 */
import { inlineCode, personName } from './no-ping.js';

export interface CopiedFields {
  labels: readonly string[];
  assignees: readonly string[];
  milestone?: string | undefined;
  reviewers: readonly string[];
}

const START = '<!-- backport-assistant:copied -->';
const END = '<!-- backport-assistant:copied:end -->';

/** The sentence between its markers, each on a line of its own (HTML blocks, invisible). */
export function renderCopiedSection(source: number, copied: CopiedFields): string {
  // A label is free text shown in a code span: one spelling the end marker must not end the section.
  const text = copiedSentence(source, copied).replaceAll('<!--', '<!-\u200b-');
  return [START, text, END].join('\n');
}

function copiedSentence(source: number, c: CopiedFields): string {
  const parts: string[] = [];
  const codeList = (items: readonly string[]) =>
    items.map((item) => inlineCode(item, { max: 60 })).join(', ');
  if (c.labels.length > 0) parts.push(`labels ${codeList(c.labels)}`);
  if (c.assignees.length > 0) parts.push(`assignees ${c.assignees.map(personName).join(', ')}`);
  if (c.milestone) parts.push(`milestone ${inlineCode(c.milestone)}`);
  const reviewers =
    c.reviewers.length > 0 ? ` Review requested from ${c.reviewers.map(personName).join(', ')}.` : '';
  const what =
    parts.length > 0 ? `Copied from #${source}: ${parts.join('; ')}.` : `Nothing was copied from #${source}.`;
  return `${what}${reviewers}`;
}

/**
 * The body with its copied section saying `copied`, or undefined when the body has no section
 * of the app's to rewrite (a configured body template, or a person removed it): then the body
 * is left as it is. Bodies written before the section had markers hold the bare sentence on a
 * line of its own; that one line is replaced (with the markers), and only when it is the only one.
 */
export function replaceCopiedSection(body: string, source: number, copied: CopiedFields): string | undefined {
  const section = renderCopiedSection(source, copied);
  const start = body.indexOf(START);
  if (start !== -1) {
    const end = body.indexOf(END, start + START.length);
    if (end === -1) return undefined;
    return body.slice(0, start) + section + body.slice(end + END.length);
  }
  const sentence = new RegExp(
    `^(?:Copied from #${source}: .*|Nothing was copied from #${source}\\.(?: Review requested from .*)?)$`,
  );
  const lines = body.split('\n');
  // A body edited in GitHub's web form comes back with CRLF line ends.
  const at = lines.flatMap((line, i) => (sentence.test(line.replace(/\r$/, '')) ? [i] : []));
  if (at.length !== 1) return undefined;
  const line = lines[at[0]!]!;
  lines[at[0]!] = line.endsWith('\r') ? `${section.replaceAll('\n', '\r\n')}\r` : section;
  return lines.join('\n');
}
