import { describe, expect, it } from '@jest/globals';
import { isBinary } from '../../src/pick/is-binary.js';

/** `length` bytes of text with a NUL at `at` (none when undefined). */
function withNul(length: number, at: number | undefined): Uint8Array {
  const data = new Uint8Array(length).fill(0x61);
  if (at !== undefined) data[at] = 0;
  return data;
}

describe('isBinary', () => {
  it.each([
    ['no NUL', 20_000, undefined, false],
    ['a NUL first', 20_000, 0, true],
    ['a NUL at byte 8000, the last git looks at', 20_000, 7999, true],
    ['a NUL just past the first 8000 bytes', 20_000, 8000, false],
    ['a NUL last in a short file', 100, 99, true],
    ['an empty file', 0, undefined, false],
  ])('%s', (_label, length, at, expected) => {
    const data = withNul(length, at);
    expect(isBinary(data)).toBe(expected);
    expect(isBinary(Buffer.from(data))).toBe(expected);
    // A view that starts inside a larger buffer sees only its own bytes.
    const inside = new Uint8Array(length + 16).fill(0);
    inside.set(data, 8);
    expect(isBinary(inside.subarray(8, 8 + length))).toBe(expected);
  });
});
