import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { join } from 'node:path';
import { isBackportError } from '../../src/errors.js';
import { writeBranch } from '../../src/repo/write-branch.js';
import { git, tempDir } from '../support/git.js';

describe('writeBranch', () => {
  let dir: ReturnType<typeof tempDir>;
  let first: string;
  let second: string;
  beforeEach(() => {
    dir = tempDir('bpa-write-branch-');
    git(dir.path, ['init', '-q', '--bare', '-b', 'main']);
    const blob = git(dir.path, ['hash-object', '-w', '--stdin'], 'x\n').trim();
    const tree = git(dir.path, ['mktree'], `100644 blob ${blob}\tx.txt\n`).trim();
    first = git(dir.path, ['commit-tree', tree, '-m', 'first']).trim();
    second = git(dir.path, ['commit-tree', tree, '-p', first, '-m', 'second']).trim();
  });
  afterEach(() => dir.remove());

  it('creates a branch, a nested name too, that git reads, and leaves no lock behind', () => {
    writeBranch(dir.path, 'backport/12-to-v1.2', first);
    expect(git(dir.path, ['rev-parse', 'refs/heads/backport/12-to-v1.2']).trim()).toBe(first);
    expect(fs.readdirSync(join(dir.path, 'refs', 'heads', 'backport'))).toEqual(['12-to-v1.2']);
  });

  it('moves a branch, one that is only in packed-refs too, as git branch -f does', () => {
    git(dir.path, ['update-ref', 'refs/heads/v1', first]);
    git(dir.path, ['pack-refs', '--all']);
    expect(fs.existsSync(join(dir.path, 'refs', 'heads', 'v1'))).toBe(false);
    writeBranch(dir.path, 'v1', second);
    expect(git(dir.path, ['rev-parse', 'v1']).trim()).toBe(second);
    writeBranch(dir.path, 'v1', first);
    expect(git(dir.path, ['rev-parse', 'v1']).trim()).toBe(first);
  });

  it('refuses while another writer holds the lock, and leaves the branch and the lock as they were', () => {
    writeBranch(dir.path, 'v1', first);
    const lock = join(dir.path, 'refs', 'heads', 'v1.lock');
    fs.writeFileSync(lock, '');
    let err: unknown;
    try {
      writeBranch(dir.path, 'v1', second);
    } catch (e) {
      err = e;
    }
    expect(isBackportError(err, 'bad-argument')).toBe(true);
    expect((err as Error).message).toMatch(/cannot lock refs\/heads\/v1/);
    expect(git(dir.path, ['rev-parse', 'v1']).trim()).toBe(first);
    expect(fs.existsSync(lock)).toBe(true);
  });
});
