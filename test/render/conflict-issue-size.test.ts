// A conflict issue body must fit GitHub's 65,536 characters however large the conflict is:
// what is cut goes first, and what stays says what is missing.
import { describe, expect, it } from '@jest/globals';
import { renderConflictIssueBody } from '../../src/render/conflict-issue.js';
import { findMarker } from '../../src/render/marker.js';
import { closedBlocks, conflictIssueInput } from './conflict-issue-input.js';
import { commits, conflictResult, contentConflict, hunk, SHA_A, SHA_B, SHA_C } from './fixtures.js';

const LIMIT = 65_536;

describe('renderConflictIssueBody', () => {
  describe('size limit', () => {
    const longLine = `${'`'.repeat(12)}${'x'.repeat(5_000)}\n`;
    const bigHunk = (i: number) =>
      hunk({
        ours: { start: i * 10 + 1, count: 3 },
        oursLines: [longLine, `ours ${i}\n`, '```\n'],
        baseLines: [longLine, `base ${i}\n`],
        patch: `@@ -1,2 +1,2 @@\n-${longLine}+${longLine} context \`\`\`\`\`\`\n`,
      });

    it('shows everything when it fits', () => {
      const body = renderConflictIssueBody(conflictIssueInput());
      expect(body).not.toContain('are not shown');
      expect(body).not.toContain('(details not shown)');
    });

    it('drops details of the largest files first and keeps the small ones', () => {
      const huge = contentConflict(
        'huge.ts',
        Array.from({ length: 400 }, (_, i) => bigHunk(i)),
      );
      const small = contentConflict('small.ts');
      const body = renderConflictIssueBody(
        conflictIssueInput({ result: conflictResult({ conflicts: [huge, small] }) }),
      );
      expect(body.length).toBeLessThan(LIMIT);
      expect(body).toContain('- `huge.ts`: content conflict, 400 hunks (details not shown)');
      expect(body).toContain('- `small.ts`: content conflict, 1 hunk\n');
      expect(body).toContain('### `small.ts`');
      expect(body).not.toContain('### `huge.ts`');
      expect(body).toContain('Details of 1 file (400 hunks) are not shown');
      expect(body).toContain('## Finish by hand');
      closedBlocks(body);
    });

    it('cuts very long lines and very long blocks, saying how much is hidden', () => {
      const lines = Array.from({ length: 500 }, (_, i) => `line ${i}\n`);
      const body = renderConflictIssueBody(
        conflictIssueInput({
          result: conflictResult({
            conflicts: [
              contentConflict('a.ts', [
                hunk({ ours: { start: 1, count: 500 }, oursLines: lines, baseLines: [longLine] }),
              ]),
            ],
          }),
        }),
      );
      expect(body).toContain('… 300 more lines');
      expect(body).toContain('[4,012 more characters]');
      expect(body.length).toBeLessThan(LIMIT);
    });

    it('keeps a summary line per file when hundreds of large files conflict', () => {
      const conflicts = Array.from({ length: 300 }, (_, i) =>
        contentConflict(`pkg/module-${i}/file.ts`, [bigHunk(i), bigHunk(i + 1)]),
      );
      const merged = Array.from({ length: 3_000 }, (_, i) => `clean/${i}.ts`);
      const body = renderConflictIssueBody(
        conflictIssueInput({
          commits: commits(SHA_A, SHA_B, SHA_C),
          result: conflictResult({ conflicts, merged }),
        }),
      );
      expect(body.length).toBeLessThan(LIMIT);
      for (const file of conflicts) {
        expect(body).toMatch(
          new RegExp(`\\n- \`${file.path}\`: content conflict, 2 hunks( \\(details not shown\\))?\\n`),
        );
      }
      expect(body).toMatch(/Details of \d+ files \(\d+ hunks\) are not shown/);
      expect(body).toMatch(/\n- … and \d+ more\n/);
      expect(body).toContain(`git cherry-pick -x ${SHA_A} ${SHA_B} ${SHA_C}`);
      expect(findMarker(body, 'conflict-issue')?.commits).toEqual([SHA_A, SHA_B, SHA_C]);
      closedBlocks(body);
    });

    it('falls back to a list of paths when a line per file would not fit', () => {
      const conflicts = Array.from({ length: 1_500 }, (_, i) =>
        contentConflict(`pkg/m-${i}/f.ts`, [bigHunk(i)]),
      );
      const body = renderConflictIssueBody(conflictIssueInput({ result: conflictResult({ conflicts }) }));
      expect(body.length).toBeLessThan(LIMIT);
      const list = closedBlocks(body).find((b) => b.content.startsWith('pkg/m-0/f.ts\n'));
      expect(list?.content.split('\n').slice(0, -1)).toEqual(conflicts.map((c) => c.path));
      expect(body).toMatch(/Details of 1[0-9]{3} files \(1[0-9]{3} hunks\) are not shown/);
    });

    it('stays under the limit even when the paths alone would not fit', () => {
      const conflicts = Array.from({ length: 4_000 }, (_, i) =>
        contentConflict(`${'deep/'.repeat(40)}${i}.ts`),
      );
      const body = renderConflictIssueBody(conflictIssueInput({ result: conflictResult({ conflicts }) }));
      expect(body.length).toBeLessThan(LIMIT);
      expect(body).toMatch(/… and \d+ more \(`git status` lists them after the commands\)/);
      expect(body).toContain('## Finish by hand');
      expect(findMarker(body, 'conflict-issue')).toBeDefined();
      closedBlocks(body);
    });
  });
});
