import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { BackportError, isBackportError } from '../errors.js';
import { openRepository, type LocalRepository } from '../repo/open-repository.js';
import { noticeOnce, parseMainline, type CliIo } from './cli-io.js';
import type { PickAnswer } from './pick-json.js';
import { resolveOnto } from './resolve-onto.js';
import { resolveRevisions } from './pick-revisions.js';

/** What a `--stdin` command (`check`, `resolve`) works with once its options are read. */
export interface StdinSession {
  repo: LocalRepository;
  mainline: number | undefined;
  /** Writes a note to stderr once per distinct text. */
  notice: (line: string) => void;
}

/**
 * Reads the options `check` and `resolve` share (`--repo`, `--stdin`, `--mainline`) and opens
 * the repository; without `--stdin` it says what lines the command reads.
 */
export async function openStdinSession(
  argv: string[],
  io: CliIo,
  command: { name: string; lineShape: string; usage: string },
): Promise<StdinSession> {
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
      `${command.name} reads "${command.lineShape}" lines: pass --stdin.\n${command.usage}`,
    );
  const mainline = parseMainline(values.mainline);
  const repo = await openRepository(path.resolve(io.cwd, values.repo ?? '.'));
  return { repo, mainline, notice: noticeOnce(io) };
}

/** One input line of `check` or `resolve`: `<c1>[,<c2>…] <onto> [words…]`. */
export interface PickLine {
  /** The commit revisions as typed, in order. */
  commits: string[];
  onto: string;
  /** What follows the onto revision (the answers, for `resolve`). */
  rest: string[];
}

/**
 * Reads `--stdin` line by line and writes one JSON answer per non-empty line, in one process
 * whose caches stay warm (like `git cat-file --batch`). A bad line gets an error answer and
 * the process goes on; nothing a line does can stop the others.
 */
export async function answerLines(
  io: CliIo,
  shape: { words: 'none' | 'any'; usage: string },
  answer: (line: PickLine) => Promise<PickAnswer>,
): Promise<void> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    io.stdout.write(`${JSON.stringify(await answerLine(line, shape, answer))}\n`);
  }
}

async function answerLine(
  line: string,
  shape: { words: 'none' | 'any'; usage: string },
  answer: (line: PickLine) => Promise<PickAnswer>,
): Promise<PickAnswer> {
  const [series, onto, ...rest] = line.split(/\s+/);
  const commits = (series ?? '').split(',');
  if (onto === undefined || commits.some((c) => c === '') || (shape.words === 'none' && rest.length > 0)) {
    return { status: 'error', code: 'bad-argument', message: `Expected "${shape.usage}", got "${line}".` };
  }
  try {
    return await answer({ commits, onto, rest });
  } catch (err) {
    const where = { commit: commits[commits.length - 1]!, onto };
    if (isBackportError(err)) {
      const extra = err.code === 'bad-resolution' ? { ...err.data } : {};
      return { status: 'error', ...where, code: err.code, message: err.message, ...extra };
    }
    return {
      status: 'error',
      ...where,
      code: 'internal',
      message: `Unexpected failure: ${(err as Error).message}`,
    };
  }
}

/** Resolves every commit of a line and its onto revision; a merge is taken against `mainline` (default 1). */
export async function resolveLine(
  repo: LocalRepository,
  line: PickLine,
  mainline: number | undefined,
  notice: (line: string) => void = () => {},
): Promise<{ commits: string[]; onto: string; mainline: number | undefined }> {
  const commits = await resolveRevisions(repo, line.commits);
  const onto = await resolveOnto(repo, line.onto, { label: line.onto, notice, keepUnknown: true });
  let anyMerge = false;
  for (const c of commits) if ((await repo.store.readCommit(c)).parents.length > 1) anyMerge = true;
  // A merge needs a mainline; the default of 1 is what a backport of a merged PR wants.
  return { commits, onto, mainline: anyMerge ? (mainline ?? 1) : undefined };
}
