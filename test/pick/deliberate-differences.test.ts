import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cherryPick } from '../../src/pick/cherry-pick.js';
import { mergeText } from '../../src/pick/merge-text.js';
import { fingerprint, similarity } from '../../src/pick/similarity.js';
import type { ConflictResult } from '../../src/pick/types.js';
import { openRepository, type LocalRepository } from '../../src/repo/open-repository.js';
import { FastImport, git, gitStatus, tempDir } from '../support/git.js';

/**
 * Each difference from git that the README lists, shown on a case where it matters, with git
 * run on the same input where that helps. None of them may drop a change silently.
 */
describe('deliberate differences from git', () => {
  let dir: ReturnType<typeof tempDir>;
  let repo: LocalRepository;

  beforeAll(async () => {
    dir = tempDir('bpa-differences-');
    git(dir.path, ['init', '-q', '--bare', 'r.git']);
    const fi = new FastImport();
    // File/directory: the target made `a` a file, the commit adds `a/b`.
    const dfBase = fi.commit('refs/heads/df-base', { o: 'o\n' });
    fi.commit('refs/heads/df-target', { a: 'target file\n' }, { parents: [dfBase] });
    fi.commit('refs/heads/df-pick', { 'a/b': 'new\n' }, { parents: [dfBase] });
    // .gitattributes asking for binary merges is not read: the text merge still happens.
    const attrBase = fi.commit('refs/heads/attr-base', {
      '.gitattributes': 'data.txt merge=binary\n',
      'data.txt': 'a\nb\nc\nd\ne\n',
    });
    fi.commit('refs/heads/attr-target', { 'data.txt': 'A\nb\nc\nd\ne\n' }, { parents: [attrBase] });
    fi.commit('refs/heads/attr-pick', { 'data.txt': 'a\nb\nc\nd\nE\n' }, { parents: [attrBase] });
    // modify/delete: the modified version stays in the draft tree.
    const mdBase = fi.commit('refs/heads/md-base', { f: 'one\ntwo\n' });
    fi.commit('refs/heads/md-target', { f: null, g: 'g\n' }, { parents: [mdBase] });
    fi.commit('refs/heads/md-pick', { f: 'one\nTWO\n' }, { parents: [mdBase] });
    fi.run(`${dir.path}/r.git`);
    repo = await openRepository(`${dir.path}/r.git`);
  });
  afterAll(() => dir.remove());

  const tip = (ref: string) => git(`${dir.path}/r.git`, ['rev-parse', ref]).trim();
  const pick = (name: string) =>
    cherryPick(repo.store, { commits: [tip(`${name}-pick`)], onto: tip(`${name}-target`), targetName: 'v1' });

  it('reports a file/directory clash at the path itself, and moves the file aside in the draft tree as git does', async () => {
    const result = (await pick('df')) as ConflictResult;
    expect(result.status).toBe('conflict');
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([['a', 'directory']]);
    const names = (await repo.store.readTree(result.markerTree)).map((e) => e.name).sort();
    expect(names).toEqual(['a', 'a~v1', 'o']);
    // git names the moved file `a~HEAD` in its index; the conformance suite maps it back to `a`.
    const work = `${dir.path}/work`;
    git(dir.path, ['clone', '-q', 'r.git', work]);
    git(work, ['checkout', '-q', '--detach', tip('df-target')]);
    expect(gitStatus(work, ['cherry-pick', '--no-commit', tip('df-pick')]).status).not.toBe(0);
    expect(git(work, ['ls-files', '-u']).trim()).toMatch(/\ta~HEAD$/);
  });

  it('writes diff3-style markers, showing what upstream expected', () => {
    const merged = mergeText('a\nb\nc\n', 'a\nB1\nc\n', 'a\nB2\nc\n', {
      ours: 'v1',
      base: 'base',
      theirs: 'fix',
    });
    expect(merged.clean).toBe(false);
    expect(merged.text).toBe('a\n<<<<<<< v1\nB1\n||||||| base\nb\n=======\nB2\n>>>>>>> fix\nc\n');
  });

  it('does not read .gitattributes: a file marked merge=binary still merges line by line', async () => {
    const result = await pick('attr');
    expect(result.status).toBe('applied');
    if (result.status !== 'applied') return;
    const entry = (await repo.store.readTree(result.tree)).find((e) => e.name === 'data.txt')!;
    expect(Buffer.from(await repo.store.readBlob(entry.oid)).toString()).toBe('A\nb\nc\nd\nE\n');
  });

  it('keeps the modified side of a modify/delete conflict, never dropping the change', async () => {
    const result = (await pick('md')) as ConflictResult;
    expect(result.conflicts.map((c) => [c.path, c.kind])).toEqual([['f', 'modify/delete']]);
    const entry = (await repo.store.readTree(result.markerTree)).find((e) => e.name === 'f')!;
    expect(Buffer.from(await repo.store.readBlob(entry.oid)).toString()).toBe('one\nTWO\n');
  });

  it('scores renames without a final line that lacks a newline, as git 2.39 does', () => {
    const text = (tail: string) => new TextEncoder().encode(`line one\nline two\n${tail}`);
    const a = text('an unterminated last line that is fairly long');
    const b = text('something else entirely at the end, also long');
    const score = similarity(
      { size: a.length, fp: fingerprint(a, true) },
      { size: b.length, fp: fingerprint(b, true) },
    );
    // Only the two shared lines count; the differing last lines are not compared at all.
    expect(score).toBe(Math.floor((18 * 60000) / Math.max(a.length, b.length)));
  });
});
