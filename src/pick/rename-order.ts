/**
 * The order in which git's merge (merge-ort, 2.39) hands one side's added paths to rename
 * detection. It matters only for ties: when two added files are equally good matches for
 * one deleted file (copies of a renamed directory), the first in this order takes it.
 *
 * merge-ort walks the trees in path order, but a directory that only this side has (absent
 * from the merge base and from the other side) is set aside in a string map and walked after
 * everything else, in the map's iteration order; inside such a directory the walk is in path
 * order again. `topNewDirectory` names, for a path, its shallowest such directory, if any.
 * Returns indexes into `paths`, which must be in path order.
 */
export function mergeOrtOrder(
  paths: readonly string[],
  topNewDirectory: (path: string) => string | undefined,
): number[] {
  const main: number[] = [];
  const deferred = new Map<string, number[]>();
  paths.forEach((path, i) => {
    const dir = topNewDirectory(path);
    if (dir === undefined) return main.push(i);
    const list = deferred.get(dir);
    if (list) list.push(i);
    else deferred.set(dir, [i]);
  });
  if (deferred.size === 0) return main;
  for (const dir of gitHashmapOrder([...deferred.keys()])) main.push(...deferred.get(dir)!);
  return main;
}

/**
 * Iteration order of git's hashmap (hashmap.c) after adding `keys` in order to an empty one:
 * FNV-1 string hashes, 64 buckets growing fourfold past 80 % load, each new entry at the head
 * of its bucket's chain, iteration bucket by bucket.
 */
export function gitHashmapOrder(keys: readonly string[]): string[] {
  let size = 64;
  let table: Array<Array<{ key: string; hash: number }>> = Array.from({ length: size }, () => []);
  let count = 0;
  for (const key of keys) {
    const hash = strhash(key);
    table[hash & (size - 1)]!.unshift({ key, hash });
    if (++count > Math.floor((size * 80) / 100)) {
      const old = table;
      size <<= 2;
      table = Array.from({ length: size }, () => []);
      for (const chain of old) for (const e of chain) table[e.hash & (size - 1)]!.unshift(e);
    }
  }
  return table.flatMap((chain) => chain.map((e) => e.key));
}

/**
 * git's strhash: 32-bit FNV-1 over the name's bytes, as a signed 32-bit integer (the same
 * bits: only its low bits pick a bucket). Names are latin1 strings, one char per byte of the
 * name as git stores it, so each char is hashed as it is: encoding them as UTF-8 first
 * changed every byte above 0x7f into two, and with it the order of directories so named.
 * Unsigned values above 2³¹ were stored as heap numbers, and each such field changed the
 * entries' hidden class.
 */
function strhash(key: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash, 0x01000193) ^ (key.charCodeAt(i) & 0xff);
  return hash;
}
