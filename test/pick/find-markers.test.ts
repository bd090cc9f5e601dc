import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findMarkedFiles, findMarkerLines } from '../../src/pick/find-markers.js';
import { GitObjectStore } from '../../src/repo/storage/git-object-store.js';
import { git, gitStatus, tempDir } from '../support/git.js';

/** The markers git itself writes for a three-way conflict (diff3 style), as the engine does. */
function gitConflict(dir: string, ours: string, base: string, theirs: string): string {
  for (const [name, text] of Object.entries({ ours, base, theirs })) writeFileSync(join(dir, name), text);
  const r = gitStatus(dir, [
    'merge-file',
    '-p',
    '--diff3',
    '-L',
    'v1.1',
    '-L',
    'base',
    '-L',
    'fix',
    'ours',
    'base',
    'theirs',
  ]);
  expect(r.status).toBe(1);
  return r.stdout;
}

describe('conflict markers left in a change', () => {
  const tmp = tempDir('find-markers-');
  let store: GitObjectStore;
  const trees: Record<string, string> = {};

  beforeAll(() => {
    const repo = tmp.path;
    git(repo, ['init', '-q', '-b', 'main']);
    const commit = (files: Record<string, string>, name: string) => {
      for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
      git(repo, ['add', '-A']);
      git(repo, ['commit', '-q', '-m', name]);
      trees[name] = git(repo, ['rev-parse', 'HEAD^{tree}']).trim();
    };
    commit({ 'README.md': 'Title\n=======\n\ntext\n', 'a.c': 'one\ntwo\nthree\n' }, 'base');
    const conflicted = gitConflict(
      tmp.path,
      'one\nTWO (1.1)\nthree\n',
      'one\ntwo\nthree\n',
      'one\ntwo fixed\nthree\n',
    );
    commit({ 'a.c': conflicted, 'README.md': 'Title\n=======\n\nmore text\n' }, 'draft');
    commit({ 'a.c': 'one\ntwo fixed (1.1)\nthree\n' }, 'resolved');
    store = new GitObjectStore(join(repo, '.git'));
  });
  afterAll(() => tmp.remove());

  it('finds the four markers git writes, at line start only', () => {
    const text = gitConflict(tmp.path, 'a\nb\n', 'a\nc\n', 'a\nd\n');
    expect(findMarkerLines(text).map((m) => m.marker)).toEqual(['<<<<<<<', '|||||||', '=======', '>>>>>>>']);
    expect(findMarkerLines(' <<<<<<< indented\n========\nx ======= y\n<<<<<<<<\n')).toEqual([]);
    expect(findMarkerLines('a\r\n=======\r\n>>>>>>>\r\n')).toEqual([
      { line: 2, marker: '=======' },
      { line: 3, marker: '>>>>>>>' },
    ]);
  });

  it('reports a changed file with markers, not one whose marker-like lines the base already had', async () => {
    const marked = await findMarkedFiles(store, trees.base!, trees.draft!);
    expect(marked).toEqual([
      {
        path: 'a.c',
        lines: [
          { line: 2, marker: '<<<<<<<' },
          { line: 4, marker: '|||||||' },
          { line: 6, marker: '=======' },
          { line: 8, marker: '>>>>>>>' },
        ],
      },
    ]);
  });

  it('reports nothing once the markers are resolved', async () => {
    expect(await findMarkedFiles(store, trees.base!, trees.resolved!)).toEqual([]);
  });
});
