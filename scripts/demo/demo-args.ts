import { parseArgs } from 'node:util';
import { BackportError } from '../../src/errors.js';
import type { DemoOptions } from './run-demo.js';

export const DEMO_USAGE =
  'usage: npm run demo -- [--repo <path> [--commit <rev>]] [--to <branch>]... [--state-dir <dir>] [--json] [--serve]';

export interface DemoArgs extends DemoOptions {
  json: boolean;
  help: boolean;
}

/** The command line, checked; mistakes become `bad-argument` errors with one sentence. */
export function parseDemoArgs(argv: string[]): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        repo: { type: 'string' },
        commit: { type: 'string' },
        to: { type: 'string', multiple: true },
        'state-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        serve: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    // node:util's messages are already one sentence; drop its hint about `--` separators.
    const message = err instanceof Error ? err.message.split('\n')[0]!.replace(/\. To specify .*$/, '') : '';
    throw new BackportError('bad-argument', `${message.replace(/\.$/, '')}. ${DEMO_USAGE}`);
  }
  const to = values.to ?? [];
  for (const [name, value] of Object.entries({
    repo: values.repo,
    commit: values.commit,
    'state-dir': values['state-dir'],
  })) {
    if (value !== undefined && value.trim() === '')
      throw new BackportError('bad-argument', `--${name} needs a value.`);
  }
  if (to.some((t) => t.trim() === '')) throw new BackportError('bad-argument', '--to needs a branch name.');
  if (values.commit !== undefined && values.repo === undefined) {
    throw new BackportError(
      'bad-argument',
      '--commit needs --repo: the built-in sample brings its own pull request.',
    );
  }
  if (values.repo !== undefined && to.length === 0) {
    throw new BackportError(
      'bad-argument',
      'With --repo, name at least one branch to backport to with --to <branch>.',
    );
  }
  return {
    repo: values.repo,
    commit: values.commit,
    to: [...new Set(to)],
    stateDir: values['state-dir'],
    json: values.json,
    serve: values.serve,
    help: values.help,
  };
}
