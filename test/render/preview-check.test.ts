import { describe, expect, it } from '@jest/globals';
import { renderPreviewCheck, type PreviewOutcome } from '../../src/render/preview-check.js';
import { contentConflict, hunk } from './fixtures.js';
import { mentions, splitFences } from './markdown-check.js';

const LIMIT = 65_535;

describe('renderPreviewCheck', () => {
  it('gives one line per target and an excerpt of each conflict', () => {
    const out = renderPreviewCheck([
      { target: 'v1.2', branch: 'v1.2', state: 'clean' },
      { target: 'v1.1', branch: 'release/v1.1', state: 'conflict', conflicts: [contentConflict('src/a.ts')] },
      { target: 'v1.0', branch: 'v1.0', state: 'already-applied' },
      { target: 'bad..name', branch: 'bad..name', state: 'refused', reason: 'not a valid branch name' },
    ]);
    expect(out.title).toBe('Conflicts on 1 of 4 targets');
    expect(out.summary.split('\n').slice(2)).toEqual([
      '- ✅ applies cleanly to `v1.2`',
      '- ⚠️ conflicts in 1 file on `release/v1.1`: `src/a.ts`',
      '- ☑️ already on `v1.0`',
      '- ⛔ `bad..name`: not a valid branch name',
    ]);
    const { blocks, unclosed } = splitFences(out.text);
    expect(unclosed).toBe(false);
    expect(blocks.map((b) => b.content)).toEqual([
      [
        '@@ release/v1.1 has (line 10) @@',
        '- const a = 1; // target',
        '- const b = 3;',
        '@@ upstream expected @@',
        '  const a = 1;',
        '  const b = 2;',
        '@@ upstream wrote @@',
        '+ const a = 10;',
        '+ const b = 2;',
        '',
      ].join('\n'),
    ]);
  });

  it('stays under GitHub’s limits with huge conflicts on many targets, and pings nobody', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `@everyone line ${i} ${'x'.repeat(300)}\n`);
    const files = Array.from({ length: 400 }, (_, i) =>
      contentConflict(`src/@team/file-${i}.ts`, [hunk({ oursLines: long, theirsLines: long })]),
    );
    const outcomes: PreviewOutcome[] = Array.from({ length: 300 }, (_, i) => ({
      target: `v${i}`,
      branch: `release/@org/v${i}`,
      state: 'conflict',
      conflicts: files,
    }));
    const out = renderPreviewCheck(outcomes);
    expect(out.summary.length).toBeLessThan(LIMIT);
    expect(out.text.length).toBeLessThan(LIMIT);
    expect(out.text).toMatch(/more targets not shown$/);
    expect(mentions(out.summary)).toEqual([]);
    expect(mentions(out.text)).toEqual([]);
  });
});
