import { describe, expect, it } from '@jest/globals';
import { parseTree, serializeTree } from '../../../src/repo/storage/object-format.js';

describe('parseTree', () => {
  it('reads every mode as six digits, the common ones and the rare ones alike', () => {
    const oid = 'ab'.repeat(20);
    const raw = (mode: string, name: string) =>
      Buffer.concat([Buffer.from(`${mode} ${name}\0`, 'latin1'), Buffer.from(oid, 'hex')]);
    const tree = Buffer.concat([
      raw('100644', 'a'),
      raw('100755', 'b'),
      raw('40000', 'c'),
      raw('120000', 'd'),
      raw('160000', 'e'),
      // Old git wrote group-writable files; such trees are still around.
      raw('100664', 'f'),
      raw('10064', 'g'),
    ]);
    expect(parseTree(tree).map((e) => `${e.mode} ${e.name}`)).toEqual([
      '100644 a',
      '100755 b',
      '040000 c',
      '120000 d',
      '160000 e',
      '100664 f',
      '010064 g',
    ]);
    expect(parseTree(serializeTree(parseTree(tree).slice(0, 5)))).toEqual(parseTree(tree).slice(0, 5));
  });
});
