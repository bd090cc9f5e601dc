/**
 * The exact commands that finish a backport by hand: plain git, or our CLI. Every word is
 * shell-quoted, since branch names come from labels.
 */
import { fence } from './safe-fence.js';
import { shellCommand } from './shell-quote.js';

export interface FinishCommandsInput {
  /** The target branch. */
  branch: string;
  /** The app's branch for this backport. */
  backportBranch: string;
  /** Every upstream commit of the series, in order. */
  commits: readonly string[];
  mainline?: number | undefined;
  /** True when the app already pushed a draft to `backportBranch` (a plain push would be refused). */
  draftPushed?: boolean | undefined;
}

export function renderFinishCommands(input: FinishCommandsInput): string {
  const mainline = input.mainline !== undefined ? ['-m', String(input.mainline)] : [];
  const git = [
    // Fetching the draft branch too gives `--force-with-lease` below its expected value.
    shellCommand([
      'git',
      'fetch',
      'origin',
      input.branch,
      ...(input.draftPushed ? [input.backportBranch] : []),
      ...input.commits,
    ]),
    shellCommand(['git', 'switch', '-c', input.backportBranch, `origin/${input.branch}`]),
    shellCommand(['git', 'cherry-pick', '-x', ...mainline, ...input.commits]),
    '# resolve the conflicts, then for each stop: git add <files> && git cherry-pick --continue',
    shellCommand([
      'git',
      'push',
      ...(input.draftPushed ? ['--force-with-lease'] : []),
      'origin',
      input.backportBranch,
    ]),
  ].join('\n');
  const cli = shellCommand([
    'npx',
    'backport-assistant',
    'pick',
    ...input.commits,
    ...(input.mainline !== undefined ? ['--mainline', String(input.mainline)] : []),
    '--onto',
    `origin/${input.branch}`,
    '--branch',
    input.backportBranch,
  ]);
  return [
    'With git:',
    '',
    fence(git, 'sh'),
    '',
    'Or with Backport Assistant (the same engine the app ran, in a local clone):',
    '',
    fence(cli, 'sh'),
  ].join('\n');
}
