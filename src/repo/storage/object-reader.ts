import fs from 'node:fs';
import path from 'node:path';
import { objectDirectories } from './alternates.js';
import { DeltaBaseCache } from './delta-base-cache.js';
import { readLooseObject } from './loose-object.js';
import { PackBlocks } from './pack-blocks.js';
import { PackReader, type PackContext, type RawObject } from './pack-reader.js';

const OID = /^[0-9a-f]{40}$/;
const DELTA_BASE_CACHE_BYTES = 32 << 20;
/** Ref-deltas whose bases sit in other packs, whose bases sit in others…: a cycle by then. */
const MAX_EXTERNAL_DEPTH = 64;

/** The open packs, apart from the reader so that a finalizer can close them. */
interface OpenPacks {
  list: PackReader[];
}

const finalizer = new FinalizationRegistry<OpenPacks>((open) => {
  for (const pack of open.list) pack.close();
});

/**
 * Reads objects from a repository's `objects/` folder: packs first (an index lookup costs a
 * binary search, and two small reads for a pack's first lookups: see PackIndex), then loose
 * files. Packs are found once and found again
 * only when an id is in neither, since a fetch may have added a pack meanwhile. A repository
 * that borrows objects (`objects/info/alternates`) is read with its alternates', packs and
 * loose files alike.
 *
 * Pack files stay open for the reader's lifetime; `close()` releases them, and a reader
 * that is dropped without it releases them when it is garbage-collected.
 */
export class ObjectReader {
  readonly cache: DeltaBaseCache;
  /** Recently read bytes of the packs, shared by all of them. */
  private readonly blocks = new PackBlocks();
  private readonly objectsDir: string;
  /** `objectsDir`, then its alternates' (read once, on the first scan). */
  private dirs: string[] = [];
  private readonly open: OpenPacks = { list: [] };
  /** Packs whose files could not be opened, by name, with why. */
  private readonly broken = new Map<string, unknown>();
  private scanned = false;
  private nextPackId = 0;
  private externalDepth = 0;
  /** What every pack read is given: made once, not an object and a closure per read. */
  private readonly context: PackContext;
  /**
   * Where an id's 20 bytes are decoded, one per level of ref-delta bases read from other
   * packs (a read at one level may start a read at the next before it is done with its id).
   */
  private readonly ids: Buffer[] = [];

  constructor(gitdir: string, options: { deltaBaseCacheBytes?: number } = {}) {
    this.objectsDir = path.join(gitdir, 'objects');
    this.cache = new DeltaBaseCache(options.deltaBaseCacheBytes ?? DELTA_BASE_CACHE_BYTES);
    this.context = { cache: this.cache, readExternal: (baseId) => this.readExternal(baseId) };
    finalizer.register(this, this.open, this);
  }

  /**
   * The object's type and content, or undefined when the repository does not have it.
   * Throws when it is there but cannot be read back (damaged file, broken delta chain).
   */
  read(oid: string): RawObject | undefined {
    const id = this.idOf(oid);
    if (!id) return undefined;
    if (!this.scanned) this.scan();
    const packed = this.readPacked(id);
    if (packed) return packed;
    for (const dir of this.dirs) {
      const loose = readLooseObject(dir, oid);
      if (loose) return loose;
    }
    if (this.scan()) {
      const late = this.readPacked(id);
      if (late) return late;
    }
    if (this.broken.size > 0) {
      const [name, why] = this.broken.entries().next().value!;
      throw new Error(`${oid} is in no readable pack, and ${name} cannot be read`, { cause: why });
    }
    return undefined;
  }

  /**
   * A packed object's size without reading it whole (see PackReader.size), or undefined
   * when it is not packed here or its size is not at hand; read it then.
   */
  packedSize(oid: string): number | undefined {
    const id = this.idOf(oid);
    if (!id) return undefined;
    if (!this.scanned) this.scan();
    for (const pack of this.open.list) {
      const offset = pack.index.find(id);
      if (offset !== undefined) return pack.size(offset);
    }
    return undefined;
  }

  /** True when the object is here (a pack index lookup or a loose file), without reading it. */
  has(oid: string): boolean {
    if (!OID.test(oid)) return false;
    const id = Buffer.from(oid, 'hex');
    if (!this.scanned) this.scan();
    const inPack = () => this.open.list.some((pack) => pack.index.find(id) !== undefined);
    if (inPack()) return true;
    if (this.dirs.some((dir) => fs.existsSync(path.join(dir, oid.slice(0, 2), oid.slice(2))))) return true;
    return this.scan() && inPack();
  }

  /**
   * The ones of `oids` that are not here, asked as one batch (a level of trees to fetch, the
   * wants of a fetch): the packs are looked for again at most once for the whole batch, and a
   * loose file only under a fan-out directory that exists. `has` per id costs a pack-folder
   * listing and a stat per miss, and a level of a tree walk is hundreds of misses.
   */
  absent(oids: Iterable<string>): string[] {
    if (!this.scanned) this.scan();
    const inPack = (oid: string) => {
      const id = Buffer.from(oid, 'hex');
      return this.open.list.some((pack) => pack.index.find(id) !== undefined);
    };
    let out: string[] = [];
    for (const oid of oids) if (!OID.test(oid) || !inPack(oid)) out.push(oid);
    if (out.length === 0) return out;
    const fanouts = this.dirs.map((dir) => new Set(listDir(dir)));
    const loose = (oid: string) =>
      this.dirs.some(
        (dir, i) =>
          fanouts[i]!.has(oid.slice(0, 2)) && fs.existsSync(path.join(dir, oid.slice(0, 2), oid.slice(2))),
      );
    out = out.filter((oid) => !OID.test(oid) || !loose(oid));
    if (out.length > 0 && this.scan()) out = out.filter((oid) => !OID.test(oid) || !inPack(oid));
    return out;
  }

  /** The ids that start with an abbreviated id (up to `limit`), packed or loose. */
  expand(prefix: string, limit = 2): string[] {
    if (!/^[0-9a-f]{4,40}$/.test(prefix)) return [];
    if (!this.scanned) this.scan();
    const found = new Set<string>();
    for (const pack of this.open.list) for (const oid of pack.index.withPrefix(prefix, limit)) found.add(oid);
    for (const dir of this.dirs) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(path.join(dir, prefix.slice(0, 2)));
      } catch {
        // No loose objects under that fan-out directory.
      }
      for (const name of names)
        if (`${prefix.slice(0, 2)}${name}`.startsWith(prefix)) found.add(`${prefix.slice(0, 2)}${name}`);
    }
    return [...found].slice(0, limit);
  }

  /** How many packs are open (for tests). */
  get packCount(): number {
    return this.open.list.length;
  }

  /** Closes the pack files; a later read opens them again. */
  close(): void {
    for (const pack of this.open.list) pack.close();
    this.open.list = [];
    this.scanned = false;
  }

  private readPacked(id: Buffer): RawObject | undefined {
    const packs = this.open.list;
    for (let i = 0; i < packs.length; i++) {
      const pack = packs[i]!;
      const offset = pack.index.find(id);
      if (offset === undefined) continue;
      // Objects read together tend to share a pack: look there first next time (as git does).
      if (i > 0) packs.unshift(...packs.splice(i, 1));
      return pack.read(offset, this.context);
    }
    return undefined;
  }

  private readExternal(id: Buffer): RawObject | undefined {
    if (this.externalDepth >= MAX_EXTERNAL_DEPTH) throw new Error('ref-delta bases form a cycle');
    this.externalDepth++;
    try {
      return this.read(id.toString('hex'));
    } finally {
      this.externalDepth--;
    }
  }

  /**
   * `oid`'s bytes, or undefined when it is not 40 lowercase hex digits. Decoded into a buffer
   * kept for the current level of ref-delta bases (see `ids`), valid until the next call at
   * that level: a regular expression and a new buffer per read were a measurable share of
   * reading small objects, and a pick reads thousands.
   */
  private idOf(oid: string): Buffer | undefined {
    if (oid.length !== 40) return undefined;
    const id = (this.ids[this.externalDepth] ??= Buffer.allocUnsafeSlow(20));
    for (let i = 0; i < 20; i++) {
      const hi = hexDigit(oid.charCodeAt(2 * i));
      const lo = hexDigit(oid.charCodeAt(2 * i + 1));
      if (hi < 0 || lo < 0) return undefined;
      id[i] = (hi << 4) | lo;
    }
    return id;
  }

  /** Opens packs that appeared and closes those that went away; true when any appeared. */
  private scan(): boolean {
    if (!this.scanned) this.dirs = objectDirectories(this.objectsDir);
    this.scanned = true;
    // A pack is known by its path without extension: alternates may hold packs of the same name.
    const present = new Set<string>();
    for (const dir of this.dirs) {
      const packDir = path.join(dir, 'pack');
      for (const file of listDir(packDir)) present.add(path.join(packDir, file));
    }
    const kept = this.open.list.filter((pack) => {
      if (present.has(`${pack.name}.idx`)) return true;
      pack.close();
      return false;
    });
    const known = new Set(kept.map((p) => p.name));
    let added = false;
    this.broken.clear();
    for (const file of present) {
      if (!file.endsWith('.idx')) continue;
      const base = file.slice(0, -'.idx'.length);
      if (known.has(base) || !present.has(`${base}.pack`)) continue;
      try {
        kept.push(PackReader.open(this.nextPackId++, base, `${base}.pack`, `${base}.idx`, this.blocks));
        added = true;
      } catch (err) {
        this.broken.set(path.basename(base), err);
      }
    }
    this.open.list = kept;
    return added;
  }
}

/** The value of a lowercase hex digit's char code, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
    return [];
  }
}
