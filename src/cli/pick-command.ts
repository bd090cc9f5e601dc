import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkBranchName } from '../common/check-ref-name.js';
import { BackportError } from '../errors.js';
import { subjectOf } from '../pick/commit-message.js';
import { cherryPick } from '../pick/cherry-pick.js';
import { openRepository, type LocalRepository } from '../repo/open-repository.js';
import { parseIdentity, parseMainline, type CliIo } from './cli-io.js';
import { formatPick } from './format-pick.js';
import { resolveOnto } from './resolve-onto.js';
import { resolveRevisions } from './pick-revisions.js';
import { toAnswer } from './pick-json.js';

/*
 * The resolution planner and what finishes a pick with answers (a score of modules, and the
 * patch parser) are loaded only for a conflict or --resolve/--patch: a clean pick in a fresh
 * process, the common case, starts without them.
 */
const loadChoices = () => import('../resolve/index.js');
const loadFinish = () => import('./pick-resolve.js');
const loadFormatChoices = () => import('./format-choices.js');

export const PICK_USAGE = `usage: backport-assistant pick <commit>...|<a>..<b> --onto <rev> [--repo <path>] [--mainline <n>]
                          [--branch <name>] [--committer "Name <email>"] [--dry-run] [--json]
                          [--resolve 1A,2C | --resolve "all A"] [--patch <file.diff>]`;

/**
 * `pick`: applies commits onto a revision inside a local repository, writing objects and,
 * with --branch, pointing that branch at the result. The working tree and the checked-out
 * branch are never touched. Exit 0 applied, 1 conflict (2 is left to the caller for errors).
 */
export async function runPick(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      onto: { type: 'string' },
      repo: { type: 'string' },
      mainline: { type: 'string', short: 'm' },
      branch: { type: 'string' },
      committer: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      resolve: { type: 'string' },
      patch: { type: 'string' },
    },
  });
  if (positionals.length === 0)
    throw new BackportError('bad-argument', `Name at least one commit to pick.\n${PICK_USAGE}`);
  if (!values.onto) throw new BackportError('bad-argument', `--onto <rev> is required.\n${PICK_USAGE}`);
  const badBranch = values.branch === undefined ? undefined : checkBranchName(values.branch);
  if (badBranch)
    throw new BackportError('bad-argument', `--branch ${values.branch} is not a branch name: ${badBranch}.`, {
      branch: values.branch,
    });
  const mainline = parseMainline(values.mainline);
  const committer = values.committer ? parseIdentity(values.committer) : undefined;
  const repo = await openRepository(path.resolve(io.cwd, values.repo ?? '.'));
  if (values.branch) await refuseCheckedOutBranch(repo, values.branch);

  const onto = await resolveOnto(repo, values.onto, {
    label: `--onto ${values.onto}`,
    notice: (line) => io.stderr.write(`backport-assistant: ${line}\n`),
  });
  const commits = await resolveRevisions(repo, positionals);
  const first = await cherryPick(repo.store, {
    commits,
    onto,
    mainline,
    committer,
    targetName: values.onto,
  });
  // Conflicts are finished only with a person's answers; without them the conflict stands.
  const patch = values.patch === undefined ? undefined : readPatch(path.resolve(io.cwd, values.patch));
  const finish = values.resolve === undefined && patch === undefined ? undefined : await loadFinish();
  const result = finish
    ? await finish.finishPick(repo.store, first, commits, {
        resolve: values.resolve?.replace(/,/g, ' '),
        patch,
        committer,
        mainline,
      })
    : first;
  const decisions =
    result.status === 'conflict'
      ? await (await loadChoices()).conflictChoices(repo.store, result)
      : undefined;

  const dryRun = values['dry-run'];
  if (dryRun) repo.store.discard();
  else await repo.store.flush();
  let moved = false;
  if (values.branch && !dryRun && result.status === 'applied') {
    await repo.setBranch(values.branch, result.commit);
    moved = true;
  }

  if (values.json) {
    io.stdout.write(`${JSON.stringify(toAnswer(commits, onto, result, decisions))}\n`);
  } else {
    const subjects = new Map<string, string>();
    for (const c of commits) subjects.set(c, subjectOf((await repo.store.readCommit(c)).message));
    io.stdout.write(formatPick(result, { onto: values.onto, subjects }));
    if (decisions) io.stdout.write((await loadFormatChoices()).formatChoices(decisions, argv));
    if (moved)
      io.stdout.write(
        `Branch ${values.branch} now points at ${result.status === 'applied' ? result.commit : ''}.\n`,
      );
    else if (values.branch && result.status === 'conflict')
      io.stdout.write(`Branch ${values.branch} was not changed.\n`);
    if (dryRun) io.stdout.write('Dry run: nothing was written.\n');
  }
  return result.status === 'applied' ? 0 : 1;
}

/** The patch file, read as the UTF-8 text a person pasting it in a comment would give. */
function readPatch(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new BackportError('bad-argument', `--patch ${file}: ${(err as Error).message}`, { path: file });
  }
}

/**
 * Moving a checked-out branch would leave that working tree out of step with it: the main
 * one's or any linked worktree's (git refuses the same, naming the worktree).
 */
async function refuseCheckedOutBranch(repo: LocalRepository, branch: string): Promise<void> {
  const heads: string[] = [];
  // A bare repository has no working tree of its own to keep in step.
  if (path.basename(repo.commondir) === '.git') heads.push(path.join(repo.commondir, 'HEAD'));
  const linked = path.join(repo.commondir, 'worktrees');
  for (const name of fs.existsSync(linked) ? fs.readdirSync(linked) : []) {
    heads.push(path.join(linked, name, 'HEAD'));
  }
  for (const file of heads) {
    let head: string;
    try {
      head = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    if (head === `ref: refs/heads/${branch}`) {
      throw new BackportError(
        'bad-argument',
        `--branch ${branch} is checked out; pick onto another branch name.`,
        { branch },
      );
    }
  }
}
