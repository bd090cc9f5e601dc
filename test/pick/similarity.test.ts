import { describe, expect, it } from '@jest/globals';
import { fingerprint, LoadedFile, MAX_SCORE, similarity } from '../../src/pick/similarity.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');
const print = (data: Uint8Array, isText = true) => ({ size: data.byteLength, fp: fingerprint(data, isText) });

function lines(count: number, seed: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += `line ${(i * seed) % 97} of ${seed}\n`;
  return out;
}

const pairs: Array<[string, string, string]> = [
  ['identical lines', 'a\nb\nc\n', 'a\nb\nc\n'],
  ['one line changed', 'a\nb\nc\n', 'a\nb\nd\n'],
  ['CRLF against LF', 'a\r\nb\r\nc\r\n', 'a\nb\nc\n'],
  ['a file grown and partly rewritten', lines(200, 3), lines(180, 3) + lines(40, 5)],
  ['unrelated files', lines(50, 7), lines(50, 11)],
  ['lines longer than a span', 'x'.repeat(300) + '\n' + 'y'.repeat(70), 'x'.repeat(300) + '\n'],
  ['repeated lines', 'same\nsame\nsame\nother\n', 'same\nother\nother\n'],
  ['only a final line without newline', 'only a final line', 'only a final line'],
  ['an empty destination', 'a\n', ''],
];

describe('LoadedFile', () => {
  it.each(pairs)('scores %s as similarity() does', (_label, src, dst) => {
    const loaded = new LoadedFile();
    loaded.load(bytes(dst), true);
    expect(loaded.similarityFrom(print(bytes(src)))).toBe(similarity(print(bytes(src)), print(bytes(dst))));
  });

  it('scores binary content as similarity() does', () => {
    const src = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);
    const dst = Uint8Array.from({ length: 4000 }, (_, i) => (i < 3000 ? (i * 31) % 256 : i % 7));
    const loaded = new LoadedFile();
    loaded.load(dst, false);
    const expected = similarity(print(src, false), print(dst, false));
    expect(expected).toBeGreaterThan(0);
    expect(loaded.similarityFrom(print(src, false))).toBe(expected);
  });

  it('forgets the previous file when another is loaded', () => {
    const loaded = new LoadedFile();
    const src = print(bytes(lines(100, 3)));
    loaded.load(bytes(lines(100, 3)), true);
    expect(loaded.similarityFrom(src)).toBe(MAX_SCORE);
    loaded.load(bytes(lines(100, 13)), true);
    expect(loaded.similarityFrom(src)).toBe(similarity(src, print(bytes(lines(100, 13)))));
    expect(loaded.similarityFrom(src)).toBeLessThan(MAX_SCORE);
  });

  it('scores files of more spans than its scratch keeps, and small ones after them', () => {
    const big = bytes(lines(70_000, 3));
    const bigger = bytes(lines(70_000, 3) + lines(5_000, 7));
    const small = bytes(lines(40, 3));
    const loaded = new LoadedFile();
    loaded.load(bigger, true);
    expect(loaded.similarityFrom(print(big))).toBe(similarity(print(big), print(bigger)));
    loaded.load(small, true);
    expect(loaded.similarityFrom(print(small))).toBe(MAX_SCORE);
  });
});
