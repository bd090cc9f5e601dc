import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { OneShotInflater, ReusedInflater, createInflater } from '../../../src/repo/storage/inflater.js';

const text = Buffer.from('100644 main.go\0'.repeat(300));
const noise = randomBytes(5000);

describe.each([
  ['ReusedInflater', () => new ReusedInflater()],
  ['OneShotInflater', () => new OneShotInflater()],
])('%s', (_name, make) => {
  it('inflates streams one after another, ignoring bytes after each', () => {
    const inflater = make();
    for (const data of [text, noise, Buffer.alloc(0), text.subarray(0, 7)]) {
      const stream = Buffer.concat([zlib.deflateSync(data), Buffer.from('next entry')]);
      expect(inflater.inflate(stream, data.length).equals(data)).toBe(true);
    }
  });

  it('refuses a stream that inflates to another size, then still works', () => {
    const inflater = make();
    const stream = zlib.deflateSync(text);
    expect(() => inflater.inflate(stream, text.length - 1)).toThrow();
    expect(() => inflater.inflate(stream, text.length + 1)).toThrow();
    expect(inflater.inflate(stream, text.length).equals(text)).toBe(true);
  });

  it('says Z_BUF_ERROR for a stream cut short, and refuses a damaged one', () => {
    const inflater = make();
    const stream = zlib.deflateSync(noise);
    expect(() => inflater.inflate(stream.subarray(0, 100), noise.length)).toThrow(
      expect.objectContaining({ code: 'Z_BUF_ERROR' }),
    );
    // The last four bytes are the Adler-32 checksum of the content.
    const damaged = Buffer.from(stream);
    damaged[damaged.length - 1]! ^= 1;
    expect(() => inflater.inflate(damaged, noise.length)).toThrow();
    expect(inflater.inflate(stream, noise.length).equals(noise)).toBe(true);
  });

  it('inflates a stream in the middle of a buffer, into a larger scratch or its own buffer', () => {
    const inflater = make();
    const stream = zlib.deflateSync(text);
    const buf = Buffer.concat([noise.subarray(0, 33), stream, noise.subarray(0, 17)]);
    const scratch = Buffer.alloc(text.length + 100, 0x55);
    const viaScratch = inflater.inflateAt(buf, 33, stream.length + 17, text.length, scratch);
    expect(viaScratch.equals(text)).toBe(true);
    expect(inflater.inflateAt(buf, 33, stream.length, text.length).equals(text)).toBe(true);
    // Cut short, or one byte longer than it says: refused, as `inflate` refuses them.
    expect(() => inflater.inflateAt(buf, 33, stream.length - 10, text.length, scratch)).toThrow();
    expect(() => inflater.inflateAt(buf, 33, stream.length, text.length - 1, scratch)).toThrow();
    expect(inflater.inflateAt(buf, 33, stream.length, text.length, scratch).equals(text)).toBe(true);
  });

  it('inflates the first bytes of a stream from its first compressed bytes', () => {
    const inflater = make();
    const stream = zlib.deflateSync(text);
    expect(inflater.inflatePrefix(stream.subarray(0, 40), 20)?.equals(text.subarray(0, 20))).toBe(true);
    expect(inflater.inflatePrefix(Buffer.from('not zlib at all'), 20)).toBeUndefined();
  });
});

describe('createInflater', () => {
  it("reuses one zlib state on this Node's binding", () => {
    expect(createInflater()).toBeInstanceOf(ReusedInflater);
  });
});
