/**
 * The bare repositories behind the simulator, and the plumbing that writes to them. Commits get
 * times from a fixed clock so that a test that builds the same history gets the same ids.
 */
import { appendFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCommits, type ImportedCommit } from './fast-import.js';
import { git, revParse, type GitIdentity } from './git.js';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** Who a commit is by: a GitHub login (noreply address) or an explicit name and email. */
export type AuthorInput = string | { name: string; email: string };

export interface CommitFilesOptions {
  branch: string;
  /** Path → new content; `null` deletes the file. */
  files: Record<string, string | Buffer | null>;
  message: string;
  author?: AuthorInput;
  /** Where a branch that does not exist yet starts (a branch, tag or sha); default: the default branch. */
  from?: string;
}

/** Rejects the ref update when the ref is protected; the list comes from the simulator per push. */
const UPDATE_HOOK = `#!/bin/sh
for p in $SIM_PROTECTED_REFS; do
  if [ "$p" = "$1" ]; then
    echo "error: GH006: Protected branch update failed for $1." >&2
    exit 1
  fi
done
exit 0
`;

/** What every simulated repository serves: pushes, fetches by id, partial clones; no reflogs. */
const REPO_CONFIG = `[http]
\treceivepack = true
[uploadpack]
\tallowReachableSHA1InWant = true
\tallowFilter = true
[core]
\tlogAllRefUpdates = false
[receive]
\tdenyDeleteCurrent = false
`;

/** One second-resolution clock shared by every commit the simulator writes. */
export class CommitClock {
  private t = Date.UTC(2024, 0, 1) / 1000;
  next(): number {
    this.t += 60;
    return this.t;
  }

  /** Dates the next commit at `seconds` at the earliest (GitHub's clock was moved there). */
  advanceTo(seconds: number): void {
    this.t = Math.max(this.t, Math.floor(seconds) - 60);
  }
}

export const GITHUB_COMMITTER = { name: 'GitHub', email: 'noreply@github.com' };

export function identityOf(input: AuthorInput | undefined, idOf: (login: string) => number): GitIdentity {
  if (input === undefined) return { name: 'Sim Author', email: 'author@example.com', time: 0 };
  if (typeof input === 'string') {
    return { name: input, email: `${idOf(input)}+${input}@users.noreply.github.com`, time: 0 };
  }
  return { ...input, time: 0 };
}

export class RepoStore {
  private locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly root: string,
    readonly clock: CommitClock,
  ) {}

  pathOf(fullName: string): string {
    return join(this.root, `${fullName}.git`);
  }

  /** Serializes writes to one repository (pushes are serialized by git itself). */
  async withLock<T>(fullName: string, fn: () => Promise<T>): Promise<T> {
    const key = fullName.toLowerCase();
    const prev = this.locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    this.locks.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  }

  async create(fullName: string, opts: { from?: string; defaultBranch?: string }): Promise<string> {
    const dir = this.pathOf(fullName);
    mkdirSync(join(dir, '..'), { recursive: true });
    if (opts.from) {
      // A copy: --no-hardlinks so that nothing we do can reach the caller's objects.
      await git(this.root, ['clone', '--bare', '--quiet', '--no-hardlinks', opts.from, dir]);
      await git(dir, ['remote', 'remove', 'origin']);
      if (opts.defaultBranch) await git(dir, ['symbolic-ref', 'HEAD', `refs/heads/${opts.defaultBranch}`]);
    } else {
      await git(this.root, [
        'init',
        '--bare',
        '--quiet',
        `--initial-branch=${opts.defaultBranch ?? 'main'}`,
        dir,
      ]);
    }
    // Appended as text rather than one `git config` process per key: a later section of
    // the same name adds to the earlier one, so this is what those calls would have set.
    appendFileSync(join(dir, 'config'), REPO_CONFIG);
    const hook = join(dir, 'hooks', 'update');
    mkdirSync(join(dir, 'hooks'), { recursive: true });
    writeFileSync(hook, UPDATE_HOOK);
    chmodSync(hook, 0o755);
    return dir;
  }

  async defaultBranch(fullName: string): Promise<string> {
    const head = await git(this.pathOf(fullName), ['symbolic-ref', 'HEAD']);
    return head.replace(/^refs\/heads\//, '');
  }

  /** Writes one commit on `opts.branch` and moves the branch; returns its id. */
  async commitFiles(fullName: string, opts: CommitFilesOptions, author: GitIdentity): Promise<string> {
    return (await this.commitSeries(fullName, [{ opts, author }]))[0]!;
  }

  /**
   * Writes commits in order with one `git fast-import` (see fast-import.ts), each on its
   * branch's tip as the previous commits left it, and moves the branches; returns their ids.
   * The same commits as one `commitFiles` each, with the same clock.
   */
  async commitSeries(
    fullName: string,
    commits: readonly { opts: CommitFilesOptions; author: GitIdentity }[],
  ): Promise<string[]> {
    const dir = this.pathOf(fullName);
    /** Ref → the import's latest commit on it (`:<mark>`). */
    const written = new Map<string, string>();
    const imported: ImportedCommit[] = [];
    for (const { opts, author } of commits) {
      const ref = `refs/heads/${opts.branch}`;
      let start = written.get(ref) ?? (await revParse(dir, ref));
      if (!start) {
        const from = opts.from ?? (await this.defaultBranch(fullName));
        start = written.get(from) ?? written.get(`refs/heads/${from}`) ?? (await revParse(dir, from));
        if (!start && opts.from) throw new Error(`commitFiles: ${fullName} has no revision ${opts.from}`);
      }
      const who = { ...author, time: this.clock.next() };
      imported.push({
        ref,
        parent: start,
        files: opts.files,
        message: opts.message,
        author: who,
        committer: who,
      });
      written.set(ref, `:${imported.length}`);
    }
    return importCommits(dir, imported);
  }

  async setRef(fullName: string, ref: string, sha: string): Promise<void> {
    await git(this.pathOf(fullName), ['update-ref', ref, sha]);
  }

  async deleteRef(fullName: string, ref: string): Promise<void> {
    await git(this.pathOf(fullName), ['update-ref', '-d', ref]);
  }

  /** Copies commits from another repository of the simulator (a fork) into `ref` here. */
  async fetchInto(fullName: string, fromFullName: string, fromRef: string, ref: string): Promise<void> {
    await git(this.pathOf(fullName), [
      'fetch',
      '--quiet',
      '--no-tags',
      this.pathOf(fromFullName),
      `+${fromRef}:${ref}`,
    ]);
  }
}
