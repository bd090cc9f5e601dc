import { describe, expect, it } from '@jest/globals';
import { LineInterner, splitLines } from '../../src/pick/lines.js';
import { internVersions, sharedEnds } from '../../src/pick/shared-lines.js';
import { Random } from '../support/random.js';

/** Which positions hold equal ids, across all the arrays: what the diffs and the merge see. */
function equalities(...arrays: Int32Array[]): string {
  const all = arrays.flatMap((a) => [...a]);
  return all.map((id) => all.indexOf(id)).join(',');
}

function randomText(rng: Random, alphabet: string[], length: number): string {
  let text = Array.from({ length }, () => rng.pick(alphabet)).join('');
  if (rng.chance(0.2)) text = text.replace(/\n$/, '');
  return text;
}

function edited(rng: Random, text: string, alphabet: string[]): string {
  const lines = splitLines(text);
  for (let n = rng.int(4); n > 0; n--) {
    const at = rng.int(lines.length + 1);
    lines.splice(at, rng.int(3), ...Array.from({ length: rng.int(3) }, () => rng.pick(alphabet)));
  }
  let out = lines.join('');
  if (rng.chance(0.1)) out = out.replace(/\n$/, '');
  if (rng.chance(0.1)) out += rng.pick(['x', 'x\n', '\r\n']);
  return out;
}

describe('internVersions', () => {
  it('gives the same lines, and ids equal exactly where interning every line gives equal ids', () => {
    const rng = new Random(7);
    for (let round = 0; round < 1500; round++) {
      const alphabet = ['\n', 'a\n', 'b\n', 'a', 'b\r\n', 'long line that repeats\n', 'x'.repeat(300) + '\n'];
      const base = randomText(rng, alphabet, rng.int(30));
      const versions = [edited(rng, base, alphabet), edited(rng, base, alphabet)];
      const got = internVersions(base, versions);
      const interner = new LineInterner();
      const want = [base, ...versions].map((text) => splitLines(text));
      const wantIds = want.map((lines) => interner.intern(lines));
      expect([got.base.lines, ...got.versions.map((v) => v.lines)]).toEqual(want);
      expect(equalities(got.base.ids, ...got.versions.map((v) => v.ids))).toBe(equalities(...wantIds));
    }
  });
});

describe('sharedEnds', () => {
  it('cuts the shared start and end back to whole lines in both texts', () => {
    expect(sharedEnds('a\nb\nc\n', 'a\nx\nc\n')).toEqual({ prefix: 2, suffix: 2 });
    expect(sharedEnds('ab\n', 'ac\n')).toEqual({ prefix: 0, suffix: 0 });
    expect(sharedEnds('p\nq', 'r\nq')).toEqual({ prefix: 0, suffix: 1 });
    expect(sharedEnds('x', 'x\n')).toEqual({ prefix: 0, suffix: 0 });
    expect(sharedEnds('a\n', 'a\na\n')).toEqual({ prefix: 2, suffix: 0 });
    expect(sharedEnds('same\n', 'same\n')).toEqual({ prefix: 5, suffix: 0 });
  });
});
