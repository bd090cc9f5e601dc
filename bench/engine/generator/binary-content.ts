import type { Prng } from './prng.js';

const MAGIC: Record<string, number[]> = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpg: [0xff, 0xd8, 0xff, 0xe0],
  woff2: [0x77, 0x4f, 0x46, 0x32],
};

/**
 * Bytes that look like an image or font to git: a magic number, then mostly incompressible
 * data with some zero runs (so there is a NUL early, which is how git calls a file binary).
 */
export function binaryContent(rng: Prng, bytes: number, ext: string): Buffer {
  const buf = Buffer.alloc(Math.max(bytes, 16));
  rng.fillBytes(buf);
  const magic = MAGIC[ext] ?? [0x7f, 0x42, 0x49, 0x4e];
  buf.set(magic, 0);
  buf[magic.length] = 0;
  const runs = Math.floor(buf.length / 4096);
  for (let i = 0; i < runs; i++) {
    const at = rng.int(buf.length);
    buf.fill(0, at, Math.min(buf.length, at + rng.range(16, 400)));
  }
  return buf;
}

/** A new version of a binary file: a few patched regions, as re-exporting an asset does. */
export function editBinary(rng: Prng, old: Buffer): Buffer {
  const copy = Buffer.from(old);
  const patches = rng.range(1, 4);
  for (let i = 0; i < patches; i++) {
    const at = 8 + rng.int(Math.max(1, copy.length - 8));
    const patch = Buffer.alloc(Math.min(copy.length - at, rng.range(64, 2048)));
    rng.fillBytes(patch);
    patch.copy(copy, at);
  }
  return copy;
}
