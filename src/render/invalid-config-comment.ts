/**
 * The comment saying `.github/backport.yml` could not be used: each problem names its key,
 * and the full error follows in a fence for copying into an issue.
 */
import { fitList } from './fit-list.js';
import { renderMarker } from './marker.js';
import { inlineCode, inlineMessage } from './no-ping.js';
import { fence } from './safe-fence.js';

export interface InvalidConfigInput {
  /** The pull request the comment goes on. */
  source: number;
  problems: readonly { key: string; problem: string }[];
  /** The error message as thrown (all problems in one sentence). */
  message: string;
  path?: string;
}

export function renderInvalidConfigComment(input: InvalidConfigInput): string {
  const path = inlineCode(input.path ?? '.github/backport.yml');
  const problems = fitList(
    input.problems.map((p) => `- ${inlineMessage(p.problem, { max: 500 })}`),
    20_000,
    (n) => `- … and ${n} more problems`,
  );
  return [
    `**Backport Assistant cannot use ${path}**, so no backport was started.`,
    '',
    ...problems,
    '',
    `Fix the file on the default branch; the next backport label or \`/backport\` comment will read it again.`,
    '',
    '<details><summary>Error detail</summary>',
    '',
    fence(input.message.length > 30_000 ? `${input.message.slice(0, 30_000)}…` : input.message, 'text'),
    '',
    '</details>',
    '',
    renderMarker({ type: 'config-error', source: input.source }),
  ].join('\n');
}
