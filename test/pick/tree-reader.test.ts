import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import type { CommitObject, NewCommit, ObjectStore, TreeEntry } from '../../src/pick/object-store.js';
import { indexTree, rawEntry, rawId, rawIsTree, rawName, type RawTree } from '../../src/pick/raw-tree.js';
import { entryKind } from '../../src/pick/object-store.js';
import { byName, TreeReader, type PathChange } from '../../src/pick/tree-reader.js';

/** Trees kept as given (git's order or not), by a made-up id. */
class TreeStore implements ObjectStore {
  private readonly trees = new Map<string, readonly TreeEntry[]>();
  async readTree(oid: string): Promise<readonly TreeEntry[]> {
    const t = this.trees.get(oid);
    if (!t) throw new Error(`no tree ${oid}`);
    return t;
  }
  async writeTree(entries: readonly TreeEntry[]): Promise<string> {
    const oid = createHash('sha1').update(JSON.stringify(entries)).digest('hex');
    this.trees.set(oid, entries);
    return oid;
  }
  readCommit(): Promise<CommitObject> {
    throw new Error('not here');
  }
  readBlob(): Promise<Uint8Array> {
    throw new Error('not here');
  }
  writeBlob(): Promise<string> {
    throw new Error('not here');
  }
  writeCommit(_: NewCommit): Promise<string> {
    throw new Error('not here');
  }
}

/**
 * The same trees, also given as their bytes (as GitObjectStore gives them), in the order
 * they were written; counts the parsed reads.
 */
class RawTreeStore extends TreeStore {
  parsedReads = 0;
  override async readTree(oid: string): Promise<readonly TreeEntry[]> {
    this.parsedReads++;
    return super.readTree(oid);
  }
  async readRawTree(oid: string): Promise<RawTree> {
    const entries = await super.readTree(oid);
    const bytes = Buffer.concat(
      entries.flatMap((e) => [
        Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`, 'latin1'),
        Buffer.from(e.oid, 'hex'),
      ]),
    );
    return indexTree(bytes);
  }
}

const file = (name: string, oid: string): TreeEntry => ({ mode: '100644', name, oid: oid.padEnd(40, '0') });
const dir = (name: string, oid: string): TreeEntry => ({ mode: '040000', name, oid });

/** A nested description: a string is a file's content id, an object a directory. */
type Shape = { [name: string]: string | Shape };

async function write(store: TreeStore, shape: Shape, gitOrder: boolean): Promise<string> {
  const entries: TreeEntry[] = [];
  for (const [name, v] of Object.entries(shape)) {
    entries.push(typeof v === 'string' ? file(name, v) : dir(name, await write(store, v, gitOrder)));
  }
  // git's order sorts a directory as if its name ended in '/'; the other is plain code units.
  const key = (e: TreeEntry) => (gitOrder && e.mode === '040000' ? `${e.name}/` : e.name);
  entries.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return store.writeTree(entries);
}

/** Every file path with its content id. */
function flatten(shape: Shape, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [name, v] of Object.entries(shape)) {
    if (typeof v === 'string') out.set(prefix + name, v);
    else flatten(v, `${prefix}${name}/`, out);
  }
  return out;
}

/** The diff by brute force, ordered as the reader orders it: component by component. */
function naiveDiff(a: Shape, b: Shape): PathChange[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].filter((p) => fa.get(p) !== fb.get(p));
  const cmp = (p: string, q: string) => {
    const x = p.split('/');
    const y = q.split('/');
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    }
    return x.length - y.length;
  };
  const side = (v: string | undefined) =>
    v === undefined ? null : { mode: '100644', oid: v.padEnd(40, '0') };
  return paths.sort(cmp).map((path) => ({ path, a: side(fa.get(path)), b: side(fb.get(path)) }));
}

describe('TreeReader', () => {
  it('diffs and looks up trees in git order, where a name continues a directory name with a character below "/"', async () => {
    const store = new TreeStore();
    const before: Shape = { foo: { x: 'a1' }, 'foo-bar': 'b1', 'foo.c': 'c1' };
    const after: Shape = { foo: { x: 'a2' }, 'foo-bar': 'b2', 'foo.c': 'c1', foo0: 'd1' };
    const a = await write(store, before, true);
    const b = await write(store, after, true);
    const reader = new TreeReader(store);
    expect(await reader.diff(a, b)).toEqual(naiveDiff(before, after));
    expect((await reader.diff(a, b)).map((c) => c.path)).toEqual(['foo/x', 'foo-bar', 'foo0']);
    expect(await reader.file(b, 'foo-bar')).toEqual({ mode: '100644', oid: 'b2'.padEnd(40, '0') });
    expect(await reader.file(b, 'foo/x')).toEqual({ mode: '100644', oid: 'a2'.padEnd(40, '0') });
    expect((await reader.lookup(b, 'foo'))?.mode).toBe('040000');
    expect(await reader.lookup(b, 'foo/y')).toBeUndefined();
    expect(await reader.file(b, 'foo')).toBeNull();
  });

  it('matches a brute-force diff on random trees', async () => {
    const names = fc.constantFrom('a', 'a-b', 'a.c', 'a0', 'b', 'B', 'é', 'z');
    const shape: fc.Arbitrary<Shape> = fc.letrec<{ tree: Shape }>((tie) => ({
      tree: fc.dictionary(
        names,
        fc.oneof({ depthSize: 'small' }, fc.constantFrom('1', '2', '3'), tie('tree')),
        {
          maxKeys: 5,
        },
      ),
    })).tree;
    await fc.assert(
      fc.asyncProperty(shape, shape, fc.boolean(), async (x, y, gitOrder) => {
        const store = new TreeStore();
        const reader = new TreeReader(store);
        const diff = await reader.diff(await write(store, x, gitOrder), await write(store, y, gitOrder));
        expect(diff).toEqual(naiveDiff(x, y));
      }),
      { numRuns: 200 },
    );
  });
});

describe('TreeReader over trees as bytes', () => {
  it('diffs from the bytes: the parsed trees are not read', async () => {
    const store = new RawTreeStore();
    const before: Shape = { lib: { a: 'a1', b: 'b1' }, 'lib-x': 'c1', z: 'd1' };
    const after: Shape = { lib: { a: 'a1', b: 'b2' }, 'lib-x': 'c1', z: 'd1', y: 'e1' };
    const a = await write(store, before, false);
    const b = await write(store, after, false);
    store.parsedReads = 0;
    expect(await new TreeReader(store).diff(a, b)).toEqual(naiveDiff(before, after));
    expect(store.parsedReads).toBe(0);
  });

  it('walks parsed a tree whose names are not in code-unit order (git order), with the same answer', async () => {
    const store = new RawTreeStore();
    const before: Shape = { foo: { x: 'a1' }, 'foo-bar': 'b1', 'foo.c': 'c1' };
    const after: Shape = { foo: { x: 'a2' }, 'foo-bar': 'b2', 'foo.c': 'c1', foo0: 'd1' };
    const a = await write(store, before, true);
    const b = await write(store, after, true);
    expect((await new TreeReader(store).diff(a, b)).map((c) => c.path)).toEqual(['foo/x', 'foo-bar', 'foo0']);
  });

  it('answers as the parsed walk on random entry lists (any order, repeated names, modes, files and directories)', async () => {
    const ids = fc.constantFrom('1', '2', '3');
    const entry = fc.record({
      name: fc.constantFrom('a', 'a-b', 'a.c', 'a0', 'b', 'B', '\u00e9', 'z'),
      mode: fc.constantFrom('100644', '100755', '120000', '040000'),
      id: ids,
    });
    // Mostly in code-unit order with each name once, as the bytes walk wants them; else as drawn.
    const list = fc.tuple(fc.array(entry, { maxLength: 6 }), fc.nat(3)).map(([es, k]) => {
      if (k === 0) return es;
      const once = new Map(es.map((e) => [e.name, e]));
      return [...once.values()].sort((p, q) => (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
    });
    await fc.assert(
      fc.asyncProperty(list, list, list, async (x, y, sub) => {
        const plain = new TreeStore();
        const raw = new RawTreeStore();
        // Two subtrees a directory entry may name, one with an entry more.
        const make = async (store: TreeStore, es: typeof x) => {
          const files = sub.map((e) => file(e.name, e.id));
          const one = await store.writeTree(files);
          const two = await store.writeTree([...files, file('zz', '9')]);
          return store.writeTree(
            es.map((e) =>
              e.mode === '040000'
                ? dir(e.name, e.id === '1' ? one : two)
                : // Ids that differ in their last byte only.
                  { mode: e.mode, name: e.name, oid: e.id.padStart(40, '0') },
            ),
          );
        };
        const [pa, pb] = [await make(plain, x), await make(plain, y)];
        const [ra, rb] = [await make(raw, x), await make(raw, y)];
        expect(ra).toBe(pa);
        expect(rb).toBe(pb);
        expect(await new TreeReader(raw).diff(ra, rb)).toEqual(await new TreeReader(plain).diff(pa, pb));
        expect(await new TreeReader(raw).diff(rb, ra)).toEqual(await new TreeReader(plain).diff(pb, pa));
      }),
      { numRuns: 300 },
    );
  });
});

describe('rawIsTree, rawName, rawId', () => {
  it('answer as the parsed entry does, for every mode written either way (40000 or 040000)', () => {
    const mode = fc.constantFrom(
      '40000',
      '040000',
      '100644',
      '100755',
      '120000',
      '160000',
      '4000',
      '400000',
      '0100644',
    );
    const entry = fc.record({
      mode,
      name: fc.string({ minLength: 1, maxLength: 12 }).filter((n) => !n.includes('\0') && !n.includes(' ')),
      id: fc.uint8Array({ minLength: 20, maxLength: 20 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 8 }), (entries) => {
        const tree = indexTree(
          Buffer.concat(
            entries.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`, 'latin1'), Buffer.from(e.id)]),
          ),
        );
        for (let i = 0; i < tree.count; i++) {
          const parsed = rawEntry(tree, i);
          expect(rawIsTree(tree, i)).toBe(entryKind(parsed.mode) === 'tree');
          expect(rawName(tree, i)).toBe(parsed.name);
          expect(rawId(tree, i)).toBe(parsed.oid);
        }
      }),
    );
  });
});

describe('byName', () => {
  it('uses a list already in code-unit order as it is, with no copy', () => {
    const list = [file('a', '1'), dir('b', 'x'), file('c', '2')];
    expect(byName(list)).toBe(list);
  });

  it('sorts git order into code-unit order', () => {
    const list = [file('foo-bar', '1'), dir('foo', 'x'), file('foo0', '2')];
    expect(byName(list).map((e) => e.name)).toEqual(['foo', 'foo-bar', 'foo0']);
  });

  it('keeps the last of a repeated name, as a lookup by name did', () => {
    const list = [file('a', '1'), file('b', '2'), file('b', '3')];
    expect(byName(list).map((e) => e.oid[0])).toEqual(['1', '3']);
  });
});
