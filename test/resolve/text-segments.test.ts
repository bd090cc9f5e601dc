import { describe, expect, it } from '@jest/globals';
import { mergeText } from '../../src/pick/merge-text.js';
import { regionOptions } from '../../src/resolve/rank-region-options.js';
import { learnSubstitutions } from '../../src/resolve/renames-learned.js';
import { assemble, lineEnding, textSegments } from '../../src/resolve/text-segments.js';
import { Random } from '../support/random.js';

/** Random three versions of a small file, edited so that they often conflict. */
function generate(rng: Random): { base: string; ours: string; theirs: string } {
  const alphabet = Array.from({ length: 3 + rng.int(12) }, (_, i) => `l${i} x${i % 3}\n`);
  const base = Array.from({ length: rng.int(30) }, () => rng.pick(alphabet));
  const edit = (lines: string[]) => {
    const out = [...lines];
    for (let n = 1 + rng.int(4); n > 0; n--) {
      const at = rng.int(out.length + 1);
      const k = rng.int(3);
      if (k === 0) out.splice(at, 0, `new${rng.int(5)} x${rng.int(3)}\n`);
      else if (k === 1) out.splice(at, 1 + rng.int(2));
      else out.splice(at, 1, `mod${rng.int(5)} x${rng.int(3)}\n`);
    }
    return out;
  };
  const crlf = rng.chance(0.1);
  const fix = (lines: string[]) => {
    let text = lines.join('');
    if (crlf) text = text.replace(/\n/g, '\r\n');
    if (rng.chance(0.1)) text = text.replace(/\r?\n$/, '');
    return text;
  };
  return { base: fix(base), ours: fix(edit(base)), theirs: fix(edit(base)) };
}

/** The engine's marker text with each conflict block replaced by one side (diff3 style, labelled). */
function resolveMarkers(text: string, side: 'ours' | 'theirs'): string {
  const out: string[] = [];
  let state: 'out' | 'ours' | 'base' | 'theirs' = 'out';
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('<<<<<<< OURS')) state = 'ours';
    else if (line.startsWith('||||||| BASE')) state = 'base';
    else if (line.startsWith('======= ') || line.replace(/\r?\n$/, '') === '=======') state = 'theirs';
    else if (line.startsWith('>>>>>>> THEIRS')) state = 'out';
    else if (state === 'out' || state === side) out.push(line);
  }
  return out.join('');
}

describe('textSegments cuts a merge exactly where the engine puts its conflicts', () => {
  it('on 800 random cases: same number of regions, the same settled text, and each side of each region', () => {
    const rng = new Random(8080);
    let conflicted = 0;
    for (let k = 0; k < 800; k++) {
      const c = generate(rng);
      const merged = mergeText(c.base, c.ours, c.theirs, { ours: 'OURS', base: 'BASE', theirs: 'THEIRS' });
      const text = textSegments(c.base, c.ours, c.theirs);
      expect(text.regions.length).toBe(merged.hunks.length);
      if (merged.clean) {
        expect(assemble(text, () => [])).toBe(merged.text);
        continue;
      }
      conflicted++;
      // A side that ends without a newline gets one inside markers; compare line contents.
      const strip = (s: string) => s.replace(/\r?\n$/, '');
      for (const side of ['ours', 'theirs'] as const) {
        expect(strip(assemble(text, (i) => text.regions[i]![side])!)).toBe(
          strip(resolveMarkers(merged.text, side)),
        );
      }
      // Every candidate of every region assembles, and no two give the same file.
      const ctx = {
        oursLines: text.oursLines,
        subs: learnSubstitutions(text.baseLines, text.oursLines, text.oursHunks),
      };
      text.regions.forEach((r, i) => {
        const files = regionOptions(r, ctx, lineEnding(text.oursLines)).map((o) =>
          assemble(
            text,
            (j) => (j === i ? o.lines : text.regions[j]!.ours),
            o.elsewhere ? [o.elsewhere] : [],
          ),
        );
        expect(files.every((f) => f !== undefined)).toBe(true);
        expect(new Set(files).size).toBe(files.length);
      });
    }
    expect(conflicted).toBeGreaterThan(200);
  });
});
