import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { BackportError, isBackportError } from '../errors.js';
import { cherryPick } from '../pick/cherry-pick.js';
import { openRepository } from '../repo/open-repository.js';
import { parseMainline, type CliIo } from './cli-io.js';
import { toAnswer, type PickAnswer } from './pick-json.js';

export const CHECK_USAGE = 'usage: backport-assistant check --repo <path> --stdin [--mainline <n>]';

/**
 * `check`: answers "would <commit> apply onto <onto>?" for each input line, one JSON object
 * per line, in one process whose caches stay warm (like `git cat-file --batch`). Nothing is
 * written: no objects, no refs. A bad line gets an error answer; the process goes on.
 */
export async function runCheck(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      repo: { type: 'string' },
      stdin: { type: 'boolean', default: false },
      mainline: { type: 'string', short: 'm' },
    },
  });
  if (!values.stdin)
    throw new BackportError(
      'bad-argument',
      `check reads "<commit> <onto>" lines: pass --stdin.\n${CHECK_USAGE}`,
    );
  const mainline = parseMainline(values.mainline);
  const repo = await openRepository(path.resolve(io.cwd, values.repo ?? '.'));
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    const answer = await answerLine(line, async (commitRev, ontoRev) => {
      const commit = await repo.resolveCommit(commitRev);
      const onto = await repo.resolveCommit(ontoRev);
      const parents = (await repo.store.readCommit(commit)).parents.length;
      // A merge needs a mainline; the default of 1 is what a backport of a merged PR wants.
      const m = parents > 1 ? (mainline ?? 1) : undefined;
      try {
        return toAnswer(
          [commit],
          onto,
          await cherryPick(repo.store, { commits: [commit], onto, mainline: m }),
        );
      } finally {
        repo.store.discard();
      }
    });
    io.stdout.write(`${JSON.stringify(answer)}\n`);
  }
  return 0;
}

async function answerLine(
  line: string,
  pick: (commit: string, onto: string) => Promise<PickAnswer>,
): Promise<PickAnswer> {
  const parts = line.split(/\s+/);
  if (parts.length !== 2) {
    return { status: 'error', code: 'bad-argument', message: `Expected "<commit> <onto>", got "${line}".` };
  }
  const [commit, onto] = parts as [string, string];
  try {
    return await pick(commit, onto);
  } catch (err) {
    if (isBackportError(err)) return { status: 'error', commit, onto, code: err.code, message: err.message };
    return {
      status: 'error',
      commit,
      onto,
      code: 'internal',
      message: `Unexpected failure: ${(err as Error).message}`,
    };
  }
}
