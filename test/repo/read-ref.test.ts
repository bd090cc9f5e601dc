import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import isogit from 'isomorphic-git';
import { listRefNames, readRef } from '../../src/repo/read-ref.js';
import { git, gitStatus, tempDir } from '../support/git.js';

const dir = tempDir('bpa-read-ref-');
afterAll(() => dir.remove());

/** What `git rev-parse` says the name is (no peeling), or undefined when it knows none. */
function revParse(gitdir: string, name: string): string | undefined {
  const r = gitStatus(gitdir, ['rev-parse', '--verify', '--quiet', name]);
  return r.status === 0 ? r.stdout.trim() : undefined;
}

describe('readRef, checked against git rev-parse', () => {
  let gitdir: string;
  const names = [
    'HEAD',
    'main',
    'release',
    'release/1.0',
    'v1',
    'v2',
    'same',
    'heads/same',
    'tags/same',
    'refs/heads/main',
    'origin/main',
    'origin',
    'packed-branch',
    'packed-tag',
    'loose-over-packed',
    'config',
    'description',
    'nothing',
    'refs/heads/nothing',
  ];

  beforeAll(() => {
    gitdir = path.join(dir.path, 'repo.git');
    git(dir.path, ['init', '-q', '--bare', '-b', 'main', gitdir]);
    const commit = (msg: string, parent?: string) => {
      const tree = git(gitdir, ['mktree'], '').trim();
      return git(gitdir, ['commit-tree', tree, '-m', msg, ...(parent ? ['-p', parent] : [])]).trim();
    };
    const a = commit('a');
    const b = commit('b', a);
    const c = commit('c', b);
    const set = (ref: string, oid: string) => git(gitdir, ['update-ref', ref, oid]);
    set('refs/heads/main', c);
    set('refs/heads/packed-branch', a);
    git(gitdir, ['tag', 'packed-tag', b]);
    git(gitdir, ['tag', '-a', '-m', 'annotated', 'v1', b]);
    set('refs/heads/loose-over-packed', a);
    // Everything so far goes to packed-refs; what follows stays loose.
    git(gitdir, ['pack-refs', '--all']);
    set('refs/heads/loose-over-packed', c);
    set('refs/heads/release/1.0', b);
    git(gitdir, ['tag', 'v2', a]);
    // A tag and a branch of one name: git takes the tag (refs/tags before refs/heads).
    set('refs/heads/same', a);
    set('refs/tags/same', c);
    set('refs/remotes/origin/main', b);
    git(gitdir, ['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main']);
  });

  it.each(names.map((n) => [n]))('resolves %s as git does', (name) => {
    expect(readRef(gitdir, name)).toBe(revParse(gitdir, name));
  });

  it('follows HEAD to its branch and knows an unborn one', () => {
    expect(readRef(gitdir, 'HEAD')).toBe(revParse(gitdir, 'main'));
    git(gitdir, ['symbolic-ref', 'HEAD', 'refs/heads/unborn']);
    expect(readRef(gitdir, 'HEAD')).toBeUndefined();
    git(gitdir, ['symbolic-ref', 'HEAD', 'refs/heads/main']);
  });
});

describe('listRefNames, checked against git for-each-ref', () => {
  it('lists loose and packed refs under a prefix, nested names included, as isomorphic-git does', async () => {
    const gitdir = path.join(dir.path, 'list.git');
    git(dir.path, ['init', '-q', '--bare', '-b', 'main', gitdir]);
    const tree = git(gitdir, ['mktree'], '').trim();
    const a = git(gitdir, ['commit-tree', tree, '-m', 'a']).trim();
    const set = (ref: string) => git(gitdir, ['update-ref', ref, a]);
    set('refs/remotes/origin/main');
    set('refs/remotes/origin/backport/1-to-v1.2');
    set('refs/remotes/other/main');
    set('refs/heads/main');
    git(gitdir, ['pack-refs', '--all']);
    set('refs/remotes/origin/v1.2');
    set('refs/remotes/origin/backport/2-to-v1.2');
    // Both loose and packed: listed once.
    set('refs/remotes/origin/main');
    const prefix = 'refs/remotes/origin';
    const byGit = git(gitdir, ['for-each-ref', '--format=%(refname)', prefix])
      .split('\n')
      .filter(Boolean)
      .map((r) => r.slice(prefix.length + 1))
      .sort();
    expect(byGit).toEqual(['backport/1-to-v1.2', 'backport/2-to-v1.2', 'main', 'v1.2']);
    expect(listRefNames(gitdir, prefix)).toEqual(byGit);
    const iso = await isogit.listRefs({ fs, gitdir, filepath: prefix });
    expect(listRefNames(gitdir, prefix)).toEqual([...iso].sort());
    expect(listRefNames(gitdir, 'refs/remotes/nowhere')).toEqual([]);
  });
});
