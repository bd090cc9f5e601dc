import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBackportError } from '../../src/errors.js';
import { bytesToText } from '../../src/pick/lines.js';
import { applyPatch } from '../../src/resolve/apply-patch.js';
import { TreeReader } from '../../src/pick/tree-reader.js';
import { GitObjectStore } from '../../src/repo/storage/git-object-store.js';
import { fuzzOptions } from '../support/fuzz.js';
import { git, tempDir } from '../support/git.js';

/** Lines from a small alphabet, so edits collide with context and hunks are ambiguous. */
const line = fc.constantFrom('a', 'b', 'c', '', ' x', '{', '}', '+', '-', '@@', '\\ y');
const text = fc.tuple(fc.array(line, { maxLength: 30 }), fc.boolean()).map(([ls, eol]) => {
  const joined = ls.join('\n');
  return eol && ls.length > 0 ? `${joined}\n` : joined;
});

/**
 * A pasted patch is text a person wrote. Properties: the patch `git diff` writes for any
 * edit gives back exactly the edited file; a damaged patch gives the edited file, another
 * tree, or our bad-patch error, never anything else (no TypeError, no hang).
 */
describe('applyPatch, fuzzed', () => {
  const tmp = tempDir('apply-patch-fuzz-');
  let store: GitObjectStore;
  beforeAll(() => {
    git(tmp.path, ['init', '-q', '-b', 'main']);
  });
  afterAll(() => tmp.remove());

  const treeOf = (content: string) => {
    writeFileSync(join(tmp.path, 'f.txt'), content, 'latin1');
    git(tmp.path, ['add', '-A']);
    return git(tmp.path, ['write-tree']).trim();
  };
  const fileIn = async (tree: string) => {
    store = new GitObjectStore(join(tmp.path, '.git'));
    const entry = await new TreeReader(store).file(tree, 'f.txt');
    return entry ? bytesToText(await store.readBlob(entry.oid)) : null;
  };

  it('round-trips git diff for any edit of a file', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, async (before, after) => {
        fc.pre(before !== after);
        const [a, b] = [treeOf(before), treeOf(after)];
        const patch = git(tmp.path, ['diff', a, b]);
        store = new GitObjectStore(join(tmp.path, '.git'));
        const out = await applyPatch(store, a, patch);
        expect(await fileIn(out.tree)).toBe(after);
      }),
      fuzzOptions(60),
    );
  });

  it('answers a damaged patch with a tree or a bad-patch error, nothing else', async () => {
    const damage = fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'dup', 'flip', 'junk', 'number')), {
      minLength: 1,
      maxLength: 4,
    });
    await fc.assert(
      fc.asyncProperty(text, text, damage, async (before, after, edits) => {
        fc.pre(before !== after);
        const [a, b] = [treeOf(before), treeOf(after)];
        const lines = git(tmp.path, ['diff', a, b]).split('\n');
        for (const [at, how] of edits) {
          const i = at % lines.length;
          if (how === 'drop') lines.splice(i, 1);
          else if (how === 'dup') lines.splice(i, 0, lines[i]!);
          else if (how === 'flip') lines[i] = lines[i]!.replace(/^[ +-]/, (c) => (c === '+' ? '-' : '+'));
          else if (how === 'junk') lines[i] = `${lines[i]}\u0000@@ -`;
          else lines[i] = lines[i]!.replace(/\d+/, String(at));
        }
        store = new GitObjectStore(join(tmp.path, '.git'));
        try {
          await applyPatch(store, a, lines.join('\n'));
        } catch (err) {
          if (!isBackportError(err, 'bad-patch')) throw err;
          expect(err.message.length).toBeGreaterThan(0);
        }
      }),
      fuzzOptions(60),
    );
  });
});
