/**
 * What git itself says of a cherry-pick, without a worktree and without touching the
 * repository: `git merge-tree --write-tree` (2.38+) computes its own merge base, so three
 * synthetic commits make that base the upstream commit's parent, exactly as
 * `git cherry-pick` does (same merge-ort, same rename detection). The synthetic commits and
 * the result trees go to a scratch object directory that borrows the repository's objects.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../run-command.js';

export type GitVerdict = { status: 'applied'; tree: string } | { status: 'conflict'; paths: string[] };

export class NativeGit {
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly gitdir: string,
    scratch: string,
  ) {
    const objects = join(scratch, 'objects');
    mkdirSync(objects, { recursive: true });
    this.env = {
      ...process.env,
      GIT_OBJECT_DIRECTORY: objects,
      GIT_ALTERNATE_OBJECT_DIRECTORIES: join(gitdir, 'objects'),
      GIT_AUTHOR_NAME: 'eval',
      GIT_AUTHOR_EMAIL: 'eval@example.com',
      GIT_COMMITTER_NAME: 'eval',
      GIT_COMMITTER_EMAIL: 'eval@example.com',
      GIT_AUTHOR_DATE: '1700000000 +0000',
      GIT_COMMITTER_DATE: '1700000000 +0000',
    };
  }

  run(...args: string[]): { status: number; stdout: string; stderr: string } {
    return runCommand('git', args, { cwd: this.gitdir, env: this.env });
  }

  out(...args: string[]): string {
    const r = this.run(...args);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  }

  /** `git cherry-pick -n <commit>` onto `onto`, as a verdict (and the clean tree). */
  cherryPick(commit: string, onto: string, mainline?: number): GitVerdict {
    const parent = this.out('rev-parse', `${commit}^${mainline ?? 1}^{tree}`);
    const base = this.out('commit-tree', parent, '-m', 'base');
    const ours = this.out('commit-tree', this.out('rev-parse', `${onto}^{tree}`), '-p', base, '-m', 'ours');
    const theirs = this.out(
      'commit-tree',
      this.out('rev-parse', `${commit}^{tree}`),
      '-p',
      base,
      '-m',
      'theirs',
    );
    const r = this.run('merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs);
    const [tree, ...paths] = r.stdout.trim().split('\n');
    if (r.status === 0) return { status: 'applied', tree: tree! };
    if (r.status === 1) return { status: 'conflict', paths: paths.filter(Boolean) };
    throw new Error(`git merge-tree: ${r.stderr.trim()}`);
  }

  /** Picks `commits` in order (a merge against `mainline`), each on the last one's result: true when all apply. */
  appliesInOrder(commits: string[], onto: string, mainline?: number): boolean {
    let current = onto;
    for (const commit of commits) {
      const merge = this.out('rev-list', '--parents', '-n', '1', commit).split(' ').length > 2;
      const verdict = this.cherryPick(commit, current, merge ? (mainline ?? 1) : undefined);
      if (verdict.status !== 'applied') return false;
      current = this.out('commit-tree', verdict.tree, '-p', current, '-m', commit);
    }
    return true;
  }
}
