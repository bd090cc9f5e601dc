/**
 * What one fetch may cost in memory, whatever a server sends. A pack is compressed, and a
 * few kilobytes of deflate can claim (and inflate to) gigabytes, so every size a pack or a
 * delta declares is checked against these before anything is inflated or allocated.
 */

/** GitHub refuses files over 100 MiB, so no object the app needs is larger. */
export const MAX_OBJECT_BYTES = 100 * 1024 * 1024;

/** All objects of one fetched pack, inflated: far beyond what a backport's fetch brings. */
export const MAX_PACK_INFLATED_BYTES = 2 * 1024 * 1024 * 1024;

/** Throws when one object (or delta) would be larger than the app accepts. */
export function checkObjectSize(size: number, what: string): void {
  if (size > MAX_OBJECT_BYTES) {
    throw new Error(
      `${what} would be ${size} bytes, larger than the ${MAX_OBJECT_BYTES} bytes the app accepts`,
    );
  }
}

/**
 * zlib's compressBound(): the most zlib's own deflate turns `n` bytes into, with its
 * wrapper. Other encoders may write longer streams (many small stored blocks), so readers
 * use it as a first guess, never as a limit.
 */
export function deflateBound(n: number): number {
  return n + Math.floor(n / 4096) + Math.floor(n / 16384) + Math.floor(n / 33554432) + 13;
}
