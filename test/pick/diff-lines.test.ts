import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffLines } from '../../src/pick/diff-lines.js';
import type { Hunk } from '../../src/pick/edit-script.js';
import { LineInterner, splitLines } from '../../src/pick/lines.js';
import { Random } from '../support/random.js';

// git is the reference: its histogram diff, with the indent heuristic off (merges do not
// use it), must place every hunk exactly where ours does.
function gitHunks(dir: string, a: string, b: string): Hunk[] {
  writeFileSync(join(dir, 'a'), a);
  writeFileSync(join(dir, 'b'), b);
  let out = '';
  try {
    execFileSync('git', ['diff', '--no-index', '--histogram', '--no-indent-heuristic', '-U0', 'a', 'b'], {
      cwd: dir,
      encoding: 'latin1',
    });
  } catch (err) {
    out = (err as { stdout: string }).stdout;
  }
  const hunks: Hunk[] = [];
  for (const m of out.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    const countA = m[2] === undefined ? 1 : Number(m[2]);
    const countB = m[4] === undefined ? 1 : Number(m[4]);
    const sa = Number(m[1]);
    const sb = Number(m[3]);
    hunks.push({ startA: countA === 0 ? sa : sa - 1, countA, startB: countB === 0 ? sb : sb - 1, countB });
  }
  return hunks;
}

function ours(a: string, b: string): Hunk[] {
  const interner = new LineInterner();
  return diffLines(interner.intern(splitLines(a)), interner.intern(splitLines(b)));
}

function randomText(rng: Random, alphabet: string[], length: number): string[] {
  return Array.from({ length }, () => rng.pick(alphabet));
}

function mutate(rng: Random, lines: string[], alphabet: string[]): string[] {
  const out = [...lines];
  const edits = 1 + rng.int(6);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(out.length + 1);
    const kind = rng.int(3);
    if (kind === 0) out.splice(at, 0, ...randomText(rng, alphabet, 1 + rng.int(4)));
    else if (kind === 1) out.splice(at, 1 + rng.int(3));
    else out.splice(at, 1 + rng.int(2), ...randomText(rng, alphabet, 1 + rng.int(3)));
  }
  return out;
}

describe('diffLines matches git diff --histogram', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bpa-diff-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on hand-picked ambiguous cases (repeated lines, blocks that can slide)', () => {
    const cases: Array<[string, string]> = [
      ['a\nb\nc\n', 'a\nb\nb\nc\n'],
      ['}\n\nfoo\n}\n', '}\n\nbar\n}\n\nfoo\n}\n'],
      ['x\n', 'x'],
      ['', 'a\n'],
      ['a\r\nb\r\n', 'a\nb\r\n'],
      ['a\na\na\na\n', 'a\na\n'],
    ];
    for (const [a, b] of cases) expect(ours(a, b)).toEqual(gitHunks(dir, a, b));
  });

  it('on 400 random edits over small alphabets (many repeated lines)', () => {
    const rng = new Random(20261125);
    const mismatches: string[] = [];
    for (let n = 0; n < 400; n++) {
      const alphabet = Array.from({ length: 2 + rng.int(12) }, (_, i) => (i === 0 ? '\n' : `line ${i}\n`));
      if (rng.chance(0.3)) alphabet.push('}\n', '{\n');
      const base = randomText(rng, alphabet, rng.int(60));
      const a = base.join('');
      const b = mutate(rng, base, alphabet).join('') + (rng.chance(0.1) ? 'tail' : '');
      const expected = gitHunks(dir, a, b);
      const actual = ours(a, b);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(JSON.stringify({ a, b }));
    }
    expect(mismatches).toEqual([]);
  });

  it("falls back to a diff no larger than git's where every line repeats more than 64 times", () => {
    const rng = new Random(7);
    for (let n = 0; n < 20; n++) {
      const base = randomText(rng, ['x\n', 'y\n'], 200);
      const a = base.join('');
      const b = mutate(rng, base, ['x\n', 'y\n']).join('');
      // Only the amount of change is compared: git's own Myers (with its speed heuristics)
      // may align such files differently; jsdiff's Myers is minimal, so never larger.
      const count = (hs: Hunk[]) => hs.reduce((s, h) => s + h.countA + h.countB, 0);
      expect(count(ours(a, b))).toBeLessThanOrEqual(count(gitHunks(dir, a, b)));
    }
  });
});
