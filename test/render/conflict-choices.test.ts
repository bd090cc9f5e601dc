import { describe, expect, it } from '@jest/globals';
import type { Decision } from '../../src/resolve/index.js';
import { renderChoices } from '../../src/render/conflict-choices.js';
import { renderConflictIssueBody } from '../../src/render/conflict-issue.js';
import { findMarker } from '../../src/render/marker.js';
import { closedBlocks, conflictIssueInput } from './conflict-issue-input.js';
import { conflictResult, contentConflict, hunk } from './fixtures.js';

const LIMIT = 65_536;

function region(id: string, path: string, diffLines = 3): Decision {
  const diff = (sign: string) =>
    `@@ -7,1 +7,${diffLines} @@\n-line 7 (branch)\n${Array.from({ length: diffLines }, (_, i) => `${sign}line 7.${i}`).join('\n')}\n`;
  return {
    id,
    path,
    kind: 'region',
    hunk: 0,
    candidates: [
      {
        id: 'A',
        kind: 'theirs',
        label: "Take upstream's lines; drops the branch's.",
        recommended: true,
        diff: diff('+'),
      },
      {
        id: 'B',
        kind: 'ours',
        label: "Keep the branch's lines; drops upstream's.",
        recommended: false,
        diff: '',
      },
    ],
  };
}

describe('the choices of a conflict issue', () => {
  it('numbers decisions, letters candidates, recommended first, each with its diff, then how to answer', () => {
    const text = renderChoices({ decisions: [region('1', 'src/a.c'), region('2', 'src/b.c')] }, 60_000);
    expect(text).toMatch(
      /^## Choices: 2 decisions\n\n\*\*1\. `src\/a\.c`\*\* \(conflicting lines, conflict 1\)\n- \*\*1A\*\* \(recommended\): Take upstream's lines; drops the branch's\.\n\n {2}```diff\n {2}@@ -7,1 \+7,3 @@\n {2}-line 7 \(branch\)\n/,
    );
    expect(text).toContain("- **1B**: Keep the branch's lines; drops upstream's.");
    expect(text.indexOf('**2. `src/b.c`**')).toBeGreaterThan(text.indexOf('**1B**'));
    expect(text).toContain('## How to answer');
    expect(text).toContain('`/backport resolve 1A 2A`');
    expect(text).toContain('`/backport resolve all A`');
    closedBlocks(text);
  });

  it('puts the prerequisites between the choices and how to answer', () => {
    const text = renderChoices(
      { decisions: [region('1', 'a.c')], prerequisites: '## Why it conflicts\n\nabc1234 first.' },
      60_000,
    );
    expect(text.indexOf('**1A**')).toBeLessThan(text.indexOf('## Why it conflicts'));
    expect(text.indexOf('## Why it conflicts')).toBeLessThan(text.indexOf('## How to answer'));
  });

  it('never pings, whatever the labels and paths say', () => {
    const d = region('1', '@team/x.c');
    d.candidates[0]!.label = 'Ask @alice';
    const text = renderChoices({ decisions: [d] }, 60_000);
    expect(text).not.toMatch(/(^|[^`&#;\w])@(alice|team)/);
  });

  it('fits its budget: diffs go first, then the last decisions, and it says so', () => {
    const many = Array.from({ length: 400 }, (_, i) => region(String(i + 1), `src/file-${i}.c`, 40));
    const roomy = renderChoices({ decisions: many.slice(0, 3) }, 60_000);
    expect(roomy).not.toContain('label only');
    const tight = renderChoices({ decisions: many.slice(0, 30) }, 12_000);
    expect(tight.length).toBeLessThanOrEqual(12_000);
    expect(tight).toContain('Some candidates are shown by their label only');
    expect(tight).toContain('**30. `src/file-29.c`**');
    const cut = renderChoices({ decisions: many }, 12_000);
    expect(cut.length).toBeLessThanOrEqual(12_000);
    expect(cut).toMatch(/Decisions \d+, \d+, .* are not shown/);
    expect(cut).toContain('## How to answer');
    closedBlocks(cut);
  });

  it('keeps a conflict issue with many choices and huge hunks under GitHub’s limit', () => {
    const longLine = `${'x'.repeat(5_000)}\n`;
    const big = contentConflict(
      'huge.ts',
      Array.from({ length: 200 }, (_, i) =>
        hunk({ ours: { start: i * 10 + 1, count: 1 }, oursLines: [longLine] }),
      ),
    );
    const body = renderConflictIssueBody(
      conflictIssueInput({
        result: conflictResult({ conflicts: [big] }),
        choices: { decisions: Array.from({ length: 300 }, (_, i) => region(String(i + 1), 'huge.ts', 60)) },
      }),
    );
    expect(body.length).toBeLessThan(LIMIT);
    expect(body).toContain('## Choices: 300 decisions');
    expect(body).toContain('## How to answer');
    expect(body).toContain('## Finish by hand');
    expect(findMarker(body, 'conflict-issue')).toBeDefined();
    closedBlocks(body);
  });
});
