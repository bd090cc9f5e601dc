import { terminalSafe } from '../common/control-chars.js';
import { shellCommand } from '../render/shell-quote.js';
import type { Decision } from '../resolve/index.js';

/** Lines of a candidate's diff shown at most; the rest is counted. */
const DIFF_LINES = 12;

/**
 * The choices of a conflicted pick, for a person at a terminal: each decision with its
 * candidates (recommended first) and a short diff of each against the branch, then the
 * command that finishes the pick with the recommended answers, to edit before running.
 */
export function formatChoices(decisions: readonly Decision[], argv: readonly string[]): string {
  const out = ['', 'Choices (nothing is applied until you answer):'];
  for (const d of decisions) {
    const where = d.hunk === undefined ? d.kind : `region ${d.hunk + 1}`;
    out.push('', `  ${d.id}. ${terminalSafe(d.path)} [${where}]`);
    for (const c of d.candidates) {
      out.push(`     ${c.id}) ${terminalSafe(c.label)}${c.recommended ? '  (recommended)' : ''}`);
      const diff = c.diff
        .replace(/\n$/, '')
        .split('\n')
        .filter((l) => l !== '');
      for (const l of diff.slice(0, DIFF_LINES)) out.push(`          ${terminalSafe(l)}`);
      if (diff.length > DIFF_LINES) out.push(`          … ${diff.length - DIFF_LINES} more lines`);
    }
  }
  const answer = decisions.map((d) => `${d.id}${d.candidates[0]!.id}`).join(',');
  const rest = withoutResolve(argv);
  out.push(
    '',
    'Finish with, for example:',
    `  ${shellCommand(['backport-assistant', 'pick', ...rest, '--resolve', answer])}`,
  );
  return `${out.join('\n')}\n`;
}

function withoutResolve(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--resolve') i++;
    else if (!a.startsWith('--resolve=')) out.push(a);
  }
  return out;
}
