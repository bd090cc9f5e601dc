import { afterAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import {
  differing,
  pairsBelow,
  readWalkedTrees,
  writeWalkedTrees,
  type WalkedRoots,
} from '../../src/repo/walked-trees.js';
import { tempDir } from '../support/git.js';

const dir = tempDir('bpa-walked-trees-');
afterAll(() => dir.remove());

const oid = (n: number) => n.toString(16).padStart(40, '0');

describe('the record of whole walks', () => {
  it('reads back what was written, in its order', () => {
    const gitdir = fs.mkdtempSync(path.join(dir.path, 'r-'));
    expect(readWalkedTrees(gitdir)).toEqual(new Map());
    const walked = new Map<string, WalkedRoots>([
      ['release/1.0', [oid(1), oid(2)]],
      ['v2', [oid(3), oid(4)]],
    ]);
    writeWalkedTrees(gitdir, walked);
    expect([...readWalkedTrees(gitdir)]).toEqual([...walked]);
    // Nothing else is left beside it (the temporary file was renamed into place).
    expect(fs.readdirSync(gitdir)).toEqual(['backport-walked-trees']);
  });

  it('keeps the last 100 branches written', () => {
    const gitdir = fs.mkdtempSync(path.join(dir.path, 'r-'));
    const walked = new Map<string, WalkedRoots>();
    for (let i = 0; i < 130; i++) walked.set(`b${i}`, [oid(2 * i + 1), oid(2 * i + 2)]);
    writeWalkedTrees(gitdir, walked);
    const read = readWalkedTrees(gitdir);
    expect(read.size).toBe(100);
    expect([...read.keys()][0]).toBe('b30');
    expect(read.get('b129')).toEqual([oid(259), oid(260)]);
  });

  it('skips lines that are not a record: a damaged file costs a whole walk, nothing more', () => {
    const gitdir = fs.mkdtempSync(path.join(dir.path, 'r-'));
    const file = path.join(gitdir, 'backport-walked-trees');
    fs.writeFileSync(file, `${oid(1)} ${oid(2)} ok\n${oid(3)} short\nnot a record\n${oid(5)} ${oid(6)}`);
    expect([...readWalkedTrees(gitdir)]).toEqual([['ok', [oid(1), oid(2)]]]);
  });
});

describe('pairsBelow', () => {
  const trees = new Map<string, Map<string, string>>([
    [
      'base',
      new Map([
        ['a', 'a1'],
        ['b', 'b1'],
      ]),
    ],
    [
      'target',
      new Map([
        ['b', 'b2'],
        ['c', 'c2'],
      ]),
    ],
  ]);
  const dirsOf = async (tree: string) => trees.get(tree);

  it('pairs the two trees by name, undefined where one has no such directory', async () => {
    const [below] = await pairsBelow([['base', 'target']], dirsOf);
    expect(below).toEqual(
      new Map([
        ['a', ['a1', undefined]],
        ['b', ['b1', 'b2']],
        ['c', [undefined, 'c2']],
      ]),
    );
  });

  it('a side with no directory there has none below; a tree that is not here drops the pair', async () => {
    expect(await pairsBelow([[undefined, 'target'], ['base', 'absent'], undefined], dirsOf)).toEqual([
      new Map([
        ['b', [undefined, 'b2']],
        ['c', [undefined, 'c2']],
      ]),
      undefined,
      undefined,
    ]);
  });

  it('a pair of equal trees promises nothing', () => {
    expect(differing(['x', 'x'])).toBeUndefined();
    expect(differing([undefined, undefined])).toBeUndefined();
    expect(differing(['x', undefined])).toEqual(['x', undefined]);
  });
});
