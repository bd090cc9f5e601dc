import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PackIndex } from './storage/pack-index.js';
import { writePackIndex } from './transport/pack-index-writer.js';
import type { PackEntry } from './transport/pack-scanner.js';

const OFS_DELTA = 6;
const REF_DELTA = 7;
/** Files git may keep beside a pack, removed with it (`.idx` first: readers look for it). */
const SIBLINGS = ['.idx', '.pack', '.rev', '.bitmap', '.mtimes', '.promisor'];

export interface ConsolidatedPacks {
  /** Packs before and after. */
  before: number;
  after: number;
}

/**
 * Rewrites the many packs a repository's fetches left (one per fetch) as one, as
 * `git repack -a -d` would, without any network: every entry is copied as it is stored
 * (deltas stay deltas, nothing is inflated), the first copy of an object wins, and an
 * ofs-delta gets its base's new distance. Promisor packs (a partial fetch's, marked
 * `.promisor`) and the others become one pack each, so git still knows which objects the
 * remote promised; a `.keep` pack is left alone.
 *
 * A crash at any point leaves a usable repository: the new pack is complete (its
 * `.promisor`, then the pack, then its index, each renamed into place) before any old pack
 * is removed, so at worst an object sits in two packs for a while; a half-written pack is
 * a `tmp_` file that the next call removes. The caller must hold the repository alone.
 */
export async function consolidatePacks(gitdir: string): Promise<ConsolidatedPacks> {
  const dir = path.join(gitdir, 'objects', 'pack');
  await removeLeftovers(dir);
  const packs = listPacks(dir);
  const groups = [packs.filter((p) => p.promisor), packs.filter((p) => !p.promisor && !p.keep)];
  for (const group of groups) {
    if (group.length < 2) continue;
    const name = await mergePacks(dir, group);
    for (const old of group) if (old.name !== name) await removePack(dir, old.name);
  }
  return { before: packs.length, after: listPacks(dir).length };
}

interface PackFile {
  name: string;
  promisor: boolean;
  keep: boolean;
}

function listPacks(dir: string): PackFile[] {
  const files = new Set(readdir(dir));
  return [...files]
    .filter((f) => f.endsWith('.idx') && files.has(`${f.slice(0, -4)}.pack`))
    .map((f) => f.slice(0, -4))
    .sort()
    .map((name) => ({
      name,
      promisor: files.has(`${name}.promisor`),
      keep: files.has(`${name}.keep`),
    }));
}

/**
 * What an interrupted fetch or consolidation left: temporary files, and a pack whose index
 * was never written (no reader sees it). Nobody else writes here while the caller holds the
 * repository, so none of it is still being written.
 */
async function removeLeftovers(dir: string): Promise<void> {
  const files = readdir(dir);
  const has = new Set(files);
  for (const f of files) {
    const orphan = f.endsWith('.pack') && !has.has(`${f.slice(0, -5)}.idx`);
    if (f.startsWith('tmp_') || orphan) await fs.promises.rm(path.join(dir, f), { force: true });
  }
}

async function removePack(dir: string, name: string): Promise<void> {
  for (const ext of SIBLINGS) await fs.promises.rm(path.join(dir, `${name}${ext}`), { force: true });
}

/** One source pack: its index, and its entries in file order with where each ends. */
interface Source {
  file: PackFile;
  entries: { oid: string; offset: number; end: number }[];
  oidAt: Map<number, string>;
}

async function readSource(dir: string, file: PackFile): Promise<Source> {
  const index = new PackIndex(await fs.promises.readFile(path.join(dir, `${file.name}.idx`)));
  const size = (await fs.promises.stat(path.join(dir, `${file.name}.pack`))).size;
  const byOffset: { oid: string; offset: number; end: number }[] = [];
  for (let i = 0; i < index.count; i++)
    byOffset.push({ oid: index.oidAt(i), offset: index.offsetOf(i), end: 0 });
  byOffset.sort((a, b) => a.offset - b.offset);
  // An entry ends where the next begins; the last one where the pack's checksum begins.
  for (let i = 0; i < byOffset.length; i++) byOffset[i]!.end = byOffset[i + 1]?.offset ?? size - 20;
  return { file, entries: byOffset, oidAt: new Map(byOffset.map((e) => [e.offset, e.oid])) };
}

/** Writes the group's objects as one pack with its index; returns the new pack's name. */
async function mergePacks(dir: string, group: readonly PackFile[]): Promise<string> {
  const sources: Source[] = [];
  for (const file of group) sources.push(await readSource(dir, file));
  const all = new Set(sources.flatMap((s) => s.entries.map((e) => e.oid)));
  const tmp = path.join(dir, `tmp_pack_${randomBytes(6).toString('hex')}`);
  const out = await fs.promises.open(tmp, 'w', 0o444);
  const hash = createHash('sha1');
  const written = new Map<string, number>();
  const entries: Pick<PackEntry, 'offset' | 'crc' | 'oid'>[] = [];
  let at = 0;
  const emit = async (bytes: Buffer) => {
    hash.update(bytes);
    await out.write(bytes, 0, bytes.length, at);
    at += bytes.length;
  };
  try {
    const head = Buffer.alloc(12);
    head.write('PACK', 0, 'latin1');
    head.writeUInt32BE(2, 4);
    head.writeUInt32BE(all.size, 8);
    await emit(head);
    for (const source of sources) {
      const input = await fs.promises.open(path.join(dir, `${source.file.name}.pack`), 'r');
      try {
        for (const e of source.entries) {
          if (written.has(e.oid)) continue;
          const raw = Buffer.alloc(e.end - e.offset);
          const { bytesRead } = await input.read(raw, 0, raw.length, e.offset);
          if (bytesRead !== raw.length)
            throw new Error(`${source.file.name}.pack is shorter than its index says`);
          const bytes = rebase(raw, e.offset, at, source, written, all);
          written.set(e.oid, at);
          entries.push({ offset: at, crc: zlib.crc32(bytes), oid: Buffer.from(e.oid, 'hex') });
          await emit(bytes);
        }
      } finally {
        await input.close();
      }
    }
    const checksum = hash.digest();
    await out.write(checksum, 0, 20, at);
    await out.sync();
    await out.close();
    const name = `pack-${checksum.toString('hex')}`;
    const base = path.join(dir, name);
    if (group.some((p) => p.promisor)) await fs.promises.writeFile(`${base}.promisor`, '');
    await fs.promises.rename(tmp, `${base}.pack`);
    await fs.promises.writeFile(`${tmp}.idx`, writePackIndex(entries, checksum), { mode: 0o444 });
    await fs.promises.rename(`${tmp}.idx`, `${base}.idx`);
    return name;
  } catch (err) {
    await out.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true });
    await fs.promises.rm(`${tmp}.idx`, { force: true });
    throw err;
  }
}

/**
 * An entry as it goes into the new pack at `to`: unchanged, except an ofs-delta, whose base
 * (already written: a base comes before its delta in its pack, and the first copy of each
 * object is the one kept) is now at another distance. A ref-delta names its base by id,
 * which must be in the new pack too: git never resolves a delta across packs.
 */
function rebase(
  raw: Buffer,
  from: number,
  to: number,
  source: Source,
  written: ReadonlyMap<string, number>,
  all: ReadonlySet<string>,
): Buffer {
  let i = 0;
  const next = () => {
    if (i >= raw.length) throw new Error(`the pack entry at ${from} of ${source.file.name} is truncated`);
    return raw[i++]!;
  };
  let byte = next();
  const type = (byte >> 4) & 7;
  while (byte & 0x80) byte = next();
  const headerEnd = i;
  if (type === REF_DELTA) {
    if (i + 20 > raw.length) throw new Error(`the pack entry at ${from} of ${source.file.name} is truncated`);
    const baseId = raw.toString('hex', i, i + 20);
    if (!all.has(baseId)) throw new Error(`the delta base ${baseId} of ${source.file.name} is in no pack`);
    return raw;
  }
  if (type !== OFS_DELTA) return raw;
  byte = next();
  let back = byte & 0x7f;
  while (byte & 0x80) {
    byte = next();
    back = (back + 1) * 128 + (byte & 0x7f);
  }
  const baseOid = source.oidAt.get(from - back);
  const baseAt = baseOid === undefined ? undefined : written.get(baseOid);
  if (baseAt === undefined)
    throw new Error(`the delta at ${from} of ${source.file.name} has no base before it`);
  return Buffer.concat([raw.subarray(0, headerEnd), offsetEncoding(to - baseAt), raw.subarray(i)]);
}

/** git's encoding of an ofs-delta's distance: 7 bits a byte, most significant first, each continuation adding one. */
function offsetEncoding(distance: number): Buffer {
  const bytes = [distance % 128];
  let n = Math.floor(distance / 128);
  while (n > 0) {
    n -= 1;
    bytes.unshift(0x80 | (n % 128));
    n = Math.floor(n / 128);
  }
  return Buffer.from(bytes);
}

function readdir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
