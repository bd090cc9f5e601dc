import path from 'node:path';
import { BackportError } from '../../errors.js';
import type { CommitObject, NewCommit, ObjectStore, TreeEntry } from '../../pick/object-store.js';
import { indexTree, rawEntry, type RawTree } from '../../pick/raw-tree.js';
import { writeLooseObject } from './loose-object.js';
import { hashObject, parseCommit, serializeCommit, serializeTree, type ObjectType } from './object-format.js';
import { ObjectReader } from './object-reader.js';
import { WeightedLru } from './weighted-lru.js';

/**
 * Fetches absent objects: blobs without a filter; trees with `tree:0` (exactly those trees)
 * or `blob:none` (those trees and every tree below them).
 */
export type Promisor = (oids: string[], filter?: 'tree:0' | 'blob:none') => Promise<unknown>;

interface Pending {
  type: ObjectType;
  content: Uint8Array;
}

const BLOB_CACHE_BYTES = 64 << 20;
/**
 * Trees as their bytes (see readRawTree), counted in bytes: a few dozen bytes an entry, beside
 * the parsed trees' hundred-odd, so a diff after a walk finds its trees without a read.
 */
const RAW_TREE_CACHE_BYTES = 16 << 20;
/**
 * Parsed trees kept, counted in entries (a hundred-odd bytes each): enough for the trees a
 * pick on a large repository walks, and bounded, since one store serves many picks.
 */
const TREE_CACHE_ENTRIES = 200_000;

/**
 * The engine's object store over a repository on disk. Reads go through our own pack and
 * loose-object reader (isomorphic-git's reads load whole packs into memory), and writes are
 * our own loose objects (isomorphic-git deflated each through the web-streams
 * CompressionStream, which loaded undici's streams into the process). Writes stay in memory
 * until `flush()`, so a dry run or a batch
 * `check` computes real object ids without touching the repository. Parsed trees and
 * commits, and recently read blobs, are cached: one store is meant to serve many picks.
 */
export class GitObjectStore implements ObjectStore {
  private readonly objects: ObjectReader;
  private readonly pending = new Map<string, Pending>();
  private readonly trees = new WeightedLru<string, readonly TreeEntry[]>(TREE_CACHE_ENTRIES, (e) => e.length);
  private readonly rawTrees = new WeightedLru<string, RawTree>(
    RAW_TREE_CACHE_BYTES,
    (t) => t.bytes.byteLength + t.marks.byteLength,
  );
  private readonly commits = new Map<string, CommitObject>();
  private readonly blobs = new WeightedLru<string, Uint8Array>(BLOB_CACHE_BYTES, (b) => b.byteLength);
  /** Fetches absent objects of a partial repository; set by whoever knows the remote. */
  private promisor: Promisor | undefined;

  constructor(readonly gitdir: string) {
    this.objects = new ObjectReader(gitdir);
  }

  /** Closes the pack files and drops the caches; a later read opens what it needs again. */
  close(): void {
    this.objects.close();
    this.trees.clear();
    this.rawTrees.clear();
    this.commits.clear();
    this.blobs.clear();
  }

  async readCommit(oid: string): Promise<CommitObject> {
    const cached = this.commits.get(oid);
    if (cached) return cached;
    const content = await this.read(oid, 'commit');
    let parsed;
    try {
      parsed = parseCommit(content);
    } catch {
      throw corrupt(oid, 'commit');
    }
    const commit: CommitObject = {
      oid,
      tree: parsed.tree,
      parents: parsed.parents,
      author: parsed.author,
      committer: parsed.committer,
      message: parsed.message,
    };
    this.commits.set(oid, commit);
    return commit;
  }

  async readTree(oid: string): Promise<readonly TreeEntry[]> {
    const cached = this.trees.get(oid);
    if (cached) return cached;
    // Through its bytes, which a later diff of the tree then finds cached.
    const raw = await this.readRawTree(oid);
    const entries: TreeEntry[] = [];
    for (let i = 0; i < raw.count; i++) entries.push(rawEntry(raw, i));
    this.trees.set(oid, entries);
    return entries;
  }

  /**
   * The tree as its bytes, its entries located: for diffs (see pick/raw-tree.ts). `keep:
   * false` leaves it out of the cache, for a walk that reads each tree once and is done with
   * it (see repo/prefetch-trees.ts): kept, a tree outlives the collector's young generation
   * and stays in memory until the job's end, and after that until a full collection.
   */
  async readRawTree(oid: string, options: { keep?: boolean } = {}): Promise<RawTree> {
    const cached = this.rawTrees.get(oid);
    if (cached) return cached;
    const content = await this.read(oid, 'tree');
    let tree: RawTree;
    try {
      tree = indexTree(content);
    } catch {
      throw corrupt(oid, 'tree');
    }
    if (options.keep !== false) this.rawTrees.set(oid, tree);
    return tree;
  }

  /** A blob's size, cheaply when it is packed (rename detection compares sizes first). */
  async blobSize(oid: string): Promise<number> {
    const known = this.blobs.peek(oid) ?? this.pending.get(oid)?.content;
    if (known) return known.byteLength;
    return this.objects.packedSize(oid) ?? (await this.readBlob(oid)).byteLength;
  }

  async readBlob(oid: string): Promise<Uint8Array> {
    const cached = this.blobs.get(oid);
    if (cached) return cached;
    const content = await this.read(oid, 'blob');
    this.blobs.set(oid, content);
    return content;
  }

  /**
   * Lets the store fetch objects a partial repository lacks (see `repo/partial-repository.ts`),
   * in one batch per `prefetchBlobs` or `prefetchTrees` call and one per read on a miss.
   */
  setPromisor(fetch: Promisor | undefined): void {
    this.promisor = fetch;
  }

  /** True when the store can fetch what the repository lacks. */
  get fetchesMissing(): boolean {
    return this.promisor !== undefined;
  }

  /** True when reading the object fetches nothing: it is staged, cached or in the repository. */
  isHere(oid: string): boolean {
    return this.pending.has(oid) || this.rawTrees.has(oid) || this.objects.has(oid);
  }

  /**
   * Brings the absent ones of `oids` (trees) in one batch, each without the trees below it:
   * a level of `repo/prefetch-trees.ts`'s walk.
   */
  async prefetchTrees(oids: Iterable<string>): Promise<void> {
    if (!this.promisor) return;
    const unread = new Set<string>();
    for (const oid of oids) if (!this.trees.has(oid) && !this.pending.has(oid)) unread.add(oid);
    const missing = this.objects.absent(unread);
    if (missing.length > 0) await this.promisor(missing, 'tree:0');
  }

  /** Brings the absent ones of `oids` in one batch, before they are read one by one. */
  async prefetchBlobs(oids: Iterable<string>): Promise<void> {
    if (!this.promisor) return;
    const unread = new Set<string>();
    for (const oid of oids) if (!this.blobs.has(oid) && !this.pending.has(oid)) unread.add(oid);
    const missing = this.objects.absent(unread);
    if (missing.length > 0) await this.promisor(missing);
  }

  async writeBlob(data: Uint8Array): Promise<string> {
    return this.stage('blob', data);
  }

  async writeTree(entries: readonly TreeEntry[]): Promise<string> {
    const oid = this.stage('tree', serializeTree(entries));
    this.trees.set(oid, entries);
    return oid;
  }

  async writeCommit(commit: NewCommit): Promise<string> {
    const oid = this.stage('commit', serializeCommit(commit));
    this.commits.set(oid, { oid, ...commit });
    return oid;
  }

  /** Full ids starting with an abbreviated one (two or more means it is ambiguous). */
  expandPrefix(prefix: string): string[] {
    const staged = [...this.pending.keys()].filter((oid) => oid.startsWith(prefix));
    return [...new Set([...staged, ...this.objects.expand(prefix)])];
  }

  /** Writes every object staged so far into the repository (as loose objects). */
  async flush(): Promise<void> {
    const objectsDir = path.join(this.gitdir, 'objects');
    for (const [oid, { type, content }] of this.pending) writeLooseObject(objectsDir, oid, type, content);
    this.pending.clear();
  }

  /** Forgets staged objects (after a dry run). */
  discard(): void {
    this.pending.clear();
  }

  /** Reads an object and checks its type; names the problem in terms a user can act on. */
  async read(oid: string, expected: ObjectType): Promise<Uint8Array> {
    const staged = this.pending.get(oid);
    if (staged) return staged.content;
    let result = this.readPresent(oid, expected);
    // A partial repository's absent blob or tree is fetched, never taken as empty; commits
    // are not (a missing commit means "fetch deeper", which the caller decides). A tree
    // comes with the trees below it, as git's own lazy fetch brings it: whoever reads a tree
    // reads on below it, and one request beats one per directory.
    if (!result && (expected === 'blob' || expected === 'tree') && this.promisor) {
      await this.promisor([oid], expected === 'tree' ? 'blob:none' : undefined);
      result = this.readPresent(oid, expected);
      if (!result) {
        throw new BackportError(
          'unknown-revision',
          `Object ${oid} is not in the repository, and the remote did not send it.`,
          { oid },
        );
      }
    }
    if (!result) {
      throw new BackportError('unknown-revision', `Object ${oid} is not in the repository.`, { oid });
    }
    if (result.type !== expected) {
      throw new BackportError(
        'corrupt-object',
        `Object ${oid} is a ${result.type}, expected a ${expected}.`,
        {
          oid,
          type: result.type,
        },
      );
    }
    return result.data;
  }

  private readPresent(oid: string, expected: ObjectType) {
    try {
      return this.objects.read(oid);
    } catch (err) {
      throw corrupt(oid, expected, err);
    }
  }

  /** The type of an object, or undefined when it is not there. */
  async typeOf(oid: string): Promise<ObjectType | undefined> {
    const staged = this.pending.get(oid);
    if (staged) return staged.type;
    try {
      return this.objects.read(oid)?.type;
    } catch (err) {
      throw corrupt(oid, 'object', err);
    }
  }

  private stage(type: ObjectType, content: Uint8Array): string {
    const oid = hashObject(type, content);
    if (!this.pending.has(oid)) this.pending.set(oid, { type, content });
    return oid;
  }
}

function corrupt(oid: string, what: string, cause?: unknown): BackportError {
  return new BackportError(
    'corrupt-object',
    `The ${what} object ${oid} is corrupt or unreadable.`,
    { oid },
    { cause },
  );
}
