import { describe, expect, it } from '@jest/globals';
import { isBackportError } from '../../src/errors.js';
import { diffLines } from '../../src/pick/diff-lines.js';
import { mergeText } from '../../src/pick/merge-text.js';

const labels = { ours: 'ours', base: 'base', theirs: 'theirs' };

/**
 * Defect e: two halves of repeated lines, swapped. Every line occurs more than 64 times, so
 * the histogram diff falls back to Myers, whose cost grows with lines × edits: unbounded, it
 * took 13 s at 20,000 lines and 79 s at 40,000 on the event loop.
 */
function swappedHalves(lines: number): { base: string; swapped: string } {
  const half = lines / 2;
  const x = 'x\n'.repeat(half);
  const y = 'y\n'.repeat(half);
  return { base: x + y, swapped: y + x };
}

describe('the diff is bounded (defect e)', () => {
  it('gives up on a pathological diff with a clear error instead of running for minutes', () => {
    const a = Int32Array.from({ length: 40_000 }, (_, i) => (i < 20_000 ? 1 : 2));
    const b = Int32Array.from({ length: 40_000 }, (_, i) => (i < 20_000 ? 2 : 1));
    let caught: unknown;
    try {
      diffLines(a, b);
    } catch (err) {
      caught = err;
    }
    expect(isBackportError(caught, 'diff-too-large')).toBe(true);
  });

  it('reports a conflict over the whole file when the bound is hit, never a guess', () => {
    const { base, swapped } = swappedHalves(40_000);
    const ours = `${base}ours\n`;
    const merged = mergeText(base, ours, swapped, labels);
    expect(merged.clean).toBe(false);
    expect(merged.tooLarge).toBe(true);
    expect(merged.hunks).toHaveLength(1);
    expect(merged.hunks[0]?.ours).toEqual({ start: 1, count: 40_001 });
    expect(merged.text.startsWith('<<<<<<< ours\n')).toBe(true);
    expect(merged.text.endsWith('>>>>>>> theirs\n')).toBe(true);
  });

  it('still merges ordinary large files', () => {
    const base = Array.from({ length: 30_000 }, (_, i) => `line ${i}\n`).join('');
    const theirs = base.replace('line 100\n', 'line one hundred\n');
    const ours = base.replace('line 20000\n', 'line twenty thousand\n');
    const merged = mergeText(base, ours, theirs, labels);
    expect(merged.clean).toBe(true);
    expect(merged.tooLarge).toBeUndefined();
    expect(merged.text).toContain('line one hundred\n');
  });
});
