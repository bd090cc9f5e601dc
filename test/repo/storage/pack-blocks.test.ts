import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BLOCK_BYTES, PackBlocks } from '../../../src/repo/storage/pack-blocks.js';
import { tempDir } from '../../support/git.js';

describe('PackBlocks', () => {
  const dir = tempDir('bpa-pack-blocks-');
  const content = randomBytes(BLOCK_BYTES * 3 + 123);
  const file = path.join(dir.path, 'x.pack');
  fs.writeFileSync(file, content);
  const fd = fs.openSync(file, 'r');
  afterAll(() => {
    fs.closeSync(fd);
    dir.remove();
  });

  const bytesAt = (blocks: PackBlocks, offset: number, length: number, end = content.length) => {
    const { buf, from, length: got } = blocks.read(1, fd, end, offset, length);
    return Buffer.from(buf.subarray(from, from + got));
  };

  it('gives the bytes asked for, inside a block, across two, and past a block', () => {
    const blocks = new PackBlocks();
    for (const [offset, length] of [
      [0, 100],
      [BLOCK_BYTES - 10, 30],
      [BLOCK_BYTES * 2 - 1, BLOCK_BYTES],
      [5, BLOCK_BYTES * 2],
    ] as const) {
      expect(bytesAt(blocks, offset, length).equals(content.subarray(offset, offset + length))).toBe(true);
    }
  });

  it('stops where the data ends', () => {
    const blocks = new PackBlocks();
    const end = content.length - 20;
    expect(bytesAt(blocks, end - 5, 100, end).equals(content.subarray(end - 5, end))).toBe(true);
  });

  it('keeps at most its limit of blocks, and forgets a closed pack', () => {
    const blocks = new PackBlocks(2);
    for (let b = 0; b < 4; b++) bytesAt(blocks, b * BLOCK_BYTES, 10);
    expect(blocks.size).toBe(2);
    blocks.forget(1);
    expect(blocks.size).toBe(0);
  });

  it('holds at most 1 MiB of blocks by default (memory a fresh process must fault in)', () => {
    const blocks = new PackBlocks();
    const big = path.join(dir.path, 'big.pack');
    fs.writeFileSync(big, Buffer.alloc(4 << 20, 7));
    const bigFd = fs.openSync(big, 'r');
    try {
      for (let at = 0; at < 4 << 20; at += BLOCK_BYTES) blocks.read(2, bigFd, 4 << 20, at, 1);
    } finally {
      fs.closeSync(bigFd);
    }
    expect(blocks.size * BLOCK_BYTES).toBeLessThanOrEqual(1 << 20);
  });

  it('gives each range longer than a block its own bytes, one read after another', () => {
    const blocks = new PackBlocks();
    for (const [offset, length] of [
      [1, BLOCK_BYTES + 1],
      [BLOCK_BYTES + 7, BLOCK_BYTES * 2],
      [3, BLOCK_BYTES * 2 + 50],
    ] as const) {
      expect(bytesAt(blocks, offset, length).equals(content.subarray(offset, offset + length))).toBe(true);
    }
  });

  it('refuses a file shorter than the data should be', () => {
    const blocks = new PackBlocks();
    expect(() => blocks.read(1, fd, content.length + BLOCK_BYTES, BLOCK_BYTES * 3, 500)).toThrow(
      /ends early/,
    );
  });
});
