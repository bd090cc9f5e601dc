import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cherryPick } from '../../src/pick/cherry-pick.js';
import type { ConflictResult } from '../../src/pick/types.js';
import { openRepository, type LocalRepository } from '../../src/repo/open-repository.js';
import { FastImport, git, gitStatus, tempDir } from '../support/git.js';

type Files = Record<string, string | null>;

/** One scenario: a base commit, the branch's commit on it, and upstream's commit to pick. */
export interface Scenario {
  base: Files;
  branch: Files;
  upstream: Files;
}

/**
 * Real repositories for the resolution tests: each scenario becomes three commits in one
 * bare repository built by git fast-import, and is picked with the engine.
 */
export class ResolveFixture {
  readonly dir = tempDir('bpa-resolve-');
  repo!: LocalRepository;
  private readonly fi = new FastImport();
  private readonly names: string[] = [];

  add(name: string, s: Scenario): void {
    const base = this.fi.commit(`refs/heads/${name}-base`, s.base);
    this.fi.commit(`refs/heads/${name}-branch`, s.branch, { parents: [base] });
    this.fi.commit(`refs/heads/${name}-upstream`, s.upstream, { parents: [base], message: `fix ${name}` });
    this.names.push(name);
  }

  async build(): Promise<void> {
    git(this.dir.path, ['init', '-q', '--bare', 'r.git']);
    this.fi.run(this.gitDir);
    this.repo = await openRepository(this.gitDir);
  }

  get gitDir(): string {
    return join(this.dir.path, 'r.git');
  }

  tip(ref: string): string {
    return git(this.gitDir, ['rev-parse', ref]).trim();
  }

  async pick(name: string): Promise<ConflictResult> {
    const result = await cherryPick(this.repo.store, {
      commits: [this.tip(`${name}-upstream`)],
      onto: this.tip(`${name}-branch`),
      targetName: 'v1',
    });
    if (result.status !== 'conflict') throw new Error(`${name} did not conflict`);
    return result;
  }

  /** The text of a blob (latin1), or null. */
  async blobText(oid: string | null): Promise<string | null> {
    if (oid === null) return null;
    return Buffer.from(await this.repo.store.readBlob(oid)).toString('latin1');
  }

  /** The blob id at `rev:path`, as git names it. */
  blobAt(rev: string, path: string): string {
    return git(this.gitDir, ['rev-parse', `${rev}:${path}`]).trim();
  }

  /** The path list of a tree, as git lists it (the store's pending writes flushed first). */
  async lsTree(tree: string): Promise<string[]> {
    await this.repo.store.flush();
    return git(this.gitDir, ['ls-tree', '-r', '--name-only', tree]).trim().split('\n').filter(Boolean);
  }

  /** What `git merge-file -p <flag>` makes of the three versions (flag: --ours, --theirs, --union or none). */
  mergeFile(base: string, ours: string, theirs: string, flag?: string): { status: number; text: string } {
    const d = this.dir.path;
    writeFileSync(join(d, 'mf-base'), base, 'latin1');
    writeFileSync(join(d, 'mf-ours'), ours, 'latin1');
    writeFileSync(join(d, 'mf-theirs'), theirs, 'latin1');
    const r = gitStatus(d, ['merge-file', '-p', ...(flag ? [flag] : []), 'mf-ours', 'mf-base', 'mf-theirs']);
    return { status: r.status, text: r.stdout };
  }

  remove(): void {
    this.dir.remove();
  }
}
