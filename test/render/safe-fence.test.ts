import { describe, expect, it } from '@jest/globals';
import { fence, longestRun } from '../../src/render/safe-fence.js';
import { splitFences } from './markdown-check.js';

describe('fence', () => {
  it('uses three backticks for plain content', () => {
    expect(fence('a\nb\n', 'diff')).toBe('```diff\na\nb\n```');
    expect(fence('no newline')).toBe('```\nno newline\n```');
  });

  it('is always longer than any backtick run inside, so the content comes back whole', () => {
    const nasty = '```\nnot the end\n````js\n`````\n  ``````   \n~~~\ninline ` and `` too\n';
    const block = fence(nasty, 'text');
    expect(block.startsWith('```````text\n')).toBe(true);
    const parsed = splitFences(`before\n${block}\nafter`);
    expect(parsed.unclosed).toBe(false);
    expect(parsed.blocks).toEqual([{ info: 'text', content: nasty }]);
    expect(parsed.outside).toBe('before\nafter');
  });

  it('keeps a tag that cannot break the opening line', () => {
    expect(fence('x', 'c` a\nb')).toBe('```cab\nx\n```');
  });

  it('counts backtick runs', () => {
    expect(longestRun('a``b````c`', '`')).toBe(4);
    expect(longestRun('', '`')).toBe(0);
  });
});
