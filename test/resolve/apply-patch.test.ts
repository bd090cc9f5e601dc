import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isBackportError } from '../../src/errors.js';
import { applyPatch } from '../../src/resolve/apply-patch.js';
import { GitObjectStore } from '../../src/repo/storage/git-object-store.js';
import { git, gitStatus, tempDir } from '../support/git.js';

const numbered = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

/**
 * applyPatch against `git apply` on the same tree and the same patch: both must give the
 * same tree, or both must refuse.
 */
describe('applying a pasted unified diff to a tree', () => {
  const tmp = tempDir('apply-patch-');
  const repo = tmp.path;
  let store: GitObjectStore;
  let baseTree: string;

  const write = (files: Record<string, string | null>) => {
    for (const [path, text] of Object.entries(files)) {
      const full = join(repo, path);
      if (text === null) rmSync(full);
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text, 'latin1');
      }
    }
  };
  /** The tree of these edits on top of the base commit (the work tree is reset after). */
  const treeOf = (files: Record<string, string | null>) => {
    write(files);
    git(repo, ['add', '-A']);
    const tree = git(repo, ['write-tree']).trim();
    git(repo, ['reset', '-q', '--hard', 'base']);
    return tree;
  };
  /** The patch `git diff` prints between two trees. */
  const diff = (a: string, b: string) => git(repo, ['diff', '-M', a, b]);
  /** The tree `git apply --cached` makes of `patch` on `tree`, or undefined when git refuses. */
  const gitApply = (tree: string, patch: string): string | undefined => {
    git(repo, ['read-tree', tree]);
    const r = gitStatus(repo, ['apply', '--cached', '-'], patch);
    const out = r.status === 0 ? git(repo, ['write-tree']).trim() : undefined;
    git(repo, ['reset', '-q', '--hard', 'base']);
    return out;
  };

  beforeAll(() => {
    git(repo, ['init', '-q', '-b', 'main']);
    write({
      'src/a.c': numbered(30),
      README: 'readme\n',
      'old.txt': 'old\n',
      'crlf.txt': 'one\r\ntwo\r\nthree\r\n',
    });
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'base']);
    git(repo, ['tag', 'base']);
    baseTree = git(repo, ['rev-parse', 'HEAD^{tree}']).trim();
    store = new GitObjectStore(join(repo, '.git'));
  });
  afterAll(() => tmp.remove());

  it('gives the tree git apply gives: edits in two hunks, a new file, a deletion, a rename', async () => {
    const edited = treeOf({
      'src/a.c': numbered(30, { 3: 'three', 25: 'twenty-five' }),
      'docs/new.md': '# new\n',
      README: null,
    });
    const renamed = treeOf({ 'old.txt': null, 'moved.txt': 'old\n' });
    for (const target of [edited, renamed]) {
      const patch = diff(baseTree, target);
      const ours = await applyPatch(store, baseTree, patch);
      expect(gitApply(baseTree, patch)).toBe(target);
      expect(ours.tree).toBe(target);
    }
    const files = (await applyPatch(store, baseTree, diff(baseTree, edited))).files;
    expect(files.map((f) => [f.path, f.blob === null])).toEqual([
      ['README', true],
      ['docs/new.md', false],
      ['src/a.c', false],
    ]);
  });

  it('finds a hunk that moved, as git apply does, and keeps the file’s CRLF line ends', async () => {
    const patch = diff(baseTree, treeOf({ 'src/a.c': numbered(30, { 20: 'twenty' }) }));
    const shifted = treeOf({ 'src/a.c': 'added 1\nadded 2\n' + numbered(30) });
    const expected = gitApply(shifted, patch);
    expect(expected).toBeDefined();
    expect((await applyPatch(store, shifted, patch)).tree).toBe(expected);

    // A comment on GitHub arrives with CRLF line ends; the file keeps its own.
    const crlf = diff(baseTree, treeOf({ 'crlf.txt': 'one\r\nTWO\r\nthree\r\n' }));
    const pasted = crlf.replace(/\r?\n/g, '\r\n');
    expect((await applyPatch(store, baseTree, pasted)).tree).toBe(gitApply(baseTree, crlf));
  });

  it('handles a last line without a line end', async () => {
    const noEol = treeOf({ 'old.txt': 'old\nlast' });
    const patch = diff(noEol, treeOf({ 'old.txt': 'old\nlast changed' }));
    expect(patch).toContain('\\ No newline at end of file');
    const expected = gitApply(noEol, patch);
    expect(expected).toBeDefined();
    expect((await applyPatch(store, noEol, patch)).tree).toBe(expected);
    const added = diff(noEol, treeOf({ 'old.txt': 'old\nlast\n' }));
    expect((await applyPatch(store, noEol, added)).tree).toBe(gitApply(noEol, added));
  });

  it('refuses a hunk whose lines are not there, naming the file, the hunk and the lines', async () => {
    const patch = diff(baseTree, treeOf({ 'src/a.c': numbered(30, { 3: 'three', 25: 'twenty-five' }) }));
    const moved = treeOf({ 'src/a.c': numbered(30, { 25: 'line 25 (branch)' }) });
    expect(gitApply(moved, patch)).toBeUndefined();
    const err = await applyPatch(store, moved, patch).catch((e: unknown) => e);
    expect(isBackportError(err, 'bad-patch')).toBe(true);
    if (!isBackportError(err, 'bad-patch')) return;
    expect(err.data).toEqual({ path: 'src/a.c', hunk: 2, line: 22 });
    expect(err.message).toContain('hunk 2 of `src/a.c` (`@@ -22,7 +22,7 @@`) expects at line 22:');
    expect(err.message).toContain('  line 25\n');
    expect(err.message).toContain('but src/a.c has there:');
    expect(err.message).toContain('  line 25 (branch)');
  });

  it('refuses a patch to a file the tree lacks, and text that is no patch', async () => {
    const patch = diff(baseTree, treeOf({ 'src/a.c': numbered(30, { 3: 'three' }) })).replaceAll(
      'src/a.c',
      'src/b.c',
    );
    await expect(applyPatch(store, baseTree, patch)).rejects.toMatchObject({
      code: 'bad-patch',
      message: 'The patch changes `src/b.c`, which the result does not have.',
    });
    await expect(applyPatch(store, baseTree, 'just some words\n')).rejects.toMatchObject({
      code: 'bad-patch',
    });
  });
});
