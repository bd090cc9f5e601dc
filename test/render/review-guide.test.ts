import { describe, expect, it } from '@jest/globals';
import type { FileComparison } from '../../src/pick/compare-changes.js';
import { renderBackportPrBody } from '../../src/render/backport-pr-body.js';
import { GITHUB_BODY_LIMIT } from '../../src/render/body-limits.js';
import { renderReviewGuide } from '../../src/render/review-guide.js';
import { commits, sourcePr, SHA_A } from './fixtures.js';
import { mentions, splitFences } from './markdown-check.js';

const adapted = (path: string, n: number): FileComparison => ({
  path,
  kind: 'adapted',
  diff: Array.from({ length: n }, (_, i) => `-+@someone \`\`\` line ${i} ${'x'.repeat(200)}`),
});

describe('renderReviewGuide', () => {
  it('names each file and shows only the adapted ones’ patch comparison', () => {
    const text = renderReviewGuide(
      12,
      [{ path: 'a.c', kind: 'identical' }, { path: 'b.c', kind: 'context' }, adapted('c.c', 2)],
      10_000,
    );
    expect(text.split('\n').slice(0, 5)).toEqual([
      '**What to review:** how this change differs from #12, file by file; 1 adapted.',
      '',
      '- `a.c`: identical to the original',
      '- `b.c`: the same change, at other lines or with other context',
      '- `c.c`: **adapted**',
    ]);
    expect(splitFences(text).blocks).toHaveLength(1);
  });

  it('keeps the whole body under GitHub’s limit with thousands of adapted files, pinging nobody', () => {
    const files = Array.from({ length: 3000 }, (_, i) => adapted(`src/@team/file-${i}.c`, 500));
    const body = renderBackportPrBody({
      source: sourcePr(),
      target: 'v1.2',
      branch: 'v1.2',
      commits: commits(SHA_A),
      copied: { labels: [], assignees: [], reviewers: [] },
      comparison: files,
    });
    expect(body.length).toBeLessThan(GITHUB_BODY_LIMIT);
    expect(body).toContain('more adapted files is left out for size');
    const { unclosed } = splitFences(body);
    expect(unclosed).toBe(false);
    expect(mentions(body)).toEqual([]);
  });
});
