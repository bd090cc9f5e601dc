import { describe, expect, it } from '@jest/globals';
import {
  fingerprint,
  LoadedFile as AnyLoadedFile,
  MAX_SCORE,
  similarity,
} from '../../src/pick/similarity.js';
import { WasmSpanTable } from '../../src/pick/span-table-wasm.js';

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

// Scanned in WebAssembly where it is there (as in Node), and in JavaScript where it is not.
describe.each([
  ['LoadedFile, scanned in WebAssembly', true],
  ['LoadedFile, scanned in JavaScript', false],
])('%s', (_name, wasm) => {
  const LoadedFile = class extends AnyLoadedFile {
    constructor() {
      super({ wasm });
    }
  };

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

  it('scores a file that grew its memory, and small ones after it', () => {
    const big = bytes('a line of some text\r\n'.repeat(600_000) + lines(100, 3));
    const small = bytes(lines(40, 3));
    const loaded = new LoadedFile();
    loaded.load(small, true);
    loaded.load(big, true);
    expect(loaded.similarityFrom(print(big))).toBe(similarity(print(big), print(big)));
    expect(loaded.similarityFrom(print(small))).toBe(similarity(print(small), print(big)));
    loaded.load(small, true);
    expect(loaded.similarityFrom(print(small))).toBe(MAX_SCORE);
    expect(loaded.similarityFrom(print(big))).toBe(similarity(print(big), print(small)));
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

/**
 * git's diffcore-delta.c hash_chars, ported as written (unsigned arithmetic), as the
 * reference for the spans fingerprint() finds: hash → bytes, for every span git counts.
 */
function gitSpans(data: Uint8Array, isText: boolean): Map<number, number> {
  const out = new Map<number, number>();
  let n = 0;
  let accum1 = 0;
  let accum2 = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    const old1 = accum1;
    if (isText && c === 0x0d && i + 1 < data.length && data[i + 1] === 0x0a) continue;
    accum1 = (Number((BigInt(accum1) << 7n) & 0xffffffffn) ^ (accum2 >>> 25)) >>> 0;
    accum2 = (Number((BigInt(accum2) << 7n) & 0xffffffffn) ^ (old1 >>> 25)) >>> 0;
    accum1 = (accum1 + c) % 2 ** 32;
    if (++n < 64 && c !== 0x0a) continue;
    const hash = Number((BigInt(accum1) + BigInt(accum2) * 0x61n) % 2n ** 32n) % 107927;
    out.set(hash, (out.get(hash) ?? 0) + n);
    n = 0;
    accum1 = 0;
    accum2 = 0;
  }
  return out;
}

/** A deterministic byte source (a linear congruential generator). */
function randomBytes(length: number, seed: number, alphabet?: readonly number[]): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const r = x >>> 16;
    out[i] = alphabet ? alphabet[r % alphabet.length]! : r & 0xff;
  }
  return out;
}

describe('fingerprint', () => {
  const inputs: Array<[string, Uint8Array, boolean]> = [
    ['bytes of every value, as text', randomBytes(20_000, 1), true],
    ['bytes of every value, as binary', randomBytes(20_000, 2), false],
    [
      'high bytes and CRLF lines',
      randomBytes(20_000, 3, [0x0d, 0x0a, 0x0a, 0x41, 0x7f, 0x80, 0xfe, 0xff]),
      true,
    ],
    [
      'long lines of high bytes',
      randomBytes(20_000, 4, [0x0a, 0xc3, 0xa9, 0xff, 0xf0, 0x9f, 0x98, 0x80]),
      true,
    ],
    ['source code', bytes(lines(500, 7)), true],
  ];

  it.each(inputs)('counts the spans git counts: %s', (_label, data, isText) => {
    const fp = fingerprint(data, isText);
    const got = new Map<number, number>();
    fp.hashes.forEach((h, i) => got.set(h, fp.counts[i]!));
    expect(got).toEqual(gitSpans(data, isText));
    expect(fp.spanBytes).toBe([...got.values()].reduce((a, b) => a + b, 0));
  });
});

describe('WasmSpanTable', () => {
  it('is there in this Node, so the suite above scans in WebAssembly', () => {
    expect(WasmSpanTable.create()).toBeDefined();
  });
});

describe('LoadedFile.similarityFrom with a minimum', () => {
  const files = [lines(200, 3), lines(180, 3) + lines(40, 5), lines(200, 5), lines(120, 3), lines(60, 3)].map(
    bytes,
  );

  it('gives the exact score when it reaches the minimum, and a smaller one when not', () => {
    const loaded = new AnyLoadedFile();
    let below = 0;
    let reached = 0;
    for (const dst of files) {
      loaded.load(dst, true);
      for (const src of files) {
        const exact = similarity(print(src), print(dst));
        for (const min of [1, 15000, 30000, 45000, exact, exact + 1, MAX_SCORE]) {
          const got = loaded.similarityFrom(print(src), min);
          if (exact >= min) {
            expect(got).toBe(exact);
            reached++;
          } else {
            expect(got).toBeLessThan(min);
            below++;
          }
        }
      }
    }
    expect(below).toBeGreaterThan(0);
    expect(reached).toBeGreaterThan(0);
  });
});
