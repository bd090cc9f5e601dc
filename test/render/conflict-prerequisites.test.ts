import { describe, expect, it } from '@jest/globals';
import {
  PREREQUISITES_LIMIT,
  renderPrerequisites,
  type PrerequisiteRow,
  type PrerequisitesInput,
} from '../../src/render/conflict-prerequisites.js';

const sha = (c: string) => c.repeat(40);

function row(c: string, extra: Partial<PrerequisiteRow> = {}): PrerequisiteRow {
  return {
    commit: sha(c),
    subject: `Change ${c}`,
    files: 1,
    added: 2,
    deleted: 1,
    survives: false,
    labelled: false,
    ...extra,
  };
}

function input(extra: Partial<PrerequisitesInput>): PrerequisitesInput {
  return {
    repo: 'https://github.com/o/r',
    branch: 'v1.2',
    rows: [],
    verdict: { clean: false, reason: 'none-found' },
    onTarget: [],
    more: 0,
    ...extra,
  };
}

describe('renderPrerequisites', () => {
  it('marks the clean prefix and says where each backport stands', () => {
    const text = renderPrerequisites(
      input({
        rows: [
          row('a', {
            pull: { number: 4, url: 'https://github.com/o/r/pull/4' },
            labelled: true,
            backport: { state: 'merged', link: { number: 9, url: 'https://github.com/o/r/pull/9' } },
          }),
          row('b', { survives: true, pull: { number: 5, url: 'https://github.com/o/r/pull/5' } }),
          row('c'),
        ],
        verdict: { clean: true, commits: [sha('a'), sha('b')] },
        target: '1.2',
        more: 2,
        truncated: 'shallow',
        onTarget: [{ commit: sha('d'), reason: 'trailer' }],
      }),
    );
    expect(text).toContain(
      'Picking `aaaaaaa`, then `bbbbbbb` first makes this backport apply cleanly to `v1.2`',
    );
    expect(text).toContain('comment `/backport 1.2 with aaaaaaa bbbbbbb` on the original pull request');
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes('`aaaaaaa`]'))).toMatch(/^\| ✓ .*labelled, backport merged \[#9\]/);
    expect(lines.find((l) => l.includes('`bbbbbbb`]'))).toMatch(
      /^\| ✓ .*some survive the fix \| not labelled \|$/,
    );
    expect(lines.find((l) => l.includes('`ccccccc`]'))).toMatch(/^\| \[.*none found .*\| {2}\|$/);
    expect(text).toContain('2 older commits also changed these lines and were not tried.');
    expect(text).toContain('Already on `v1.2` in another form: `ddddddd` (cherry-picked).');
    expect(text).toContain('the history fetched ends there');
  });

  it('says why nothing helps', () => {
    expect(renderPrerequisites(input({}))).toContain('No upstream commit missing from `v1.2`');
    expect(
      renderPrerequisites(
        input({
          rows: [row('a')],
          verdict: { clean: false, reason: 'prerequisite-conflicts', commit: sha('a') },
        }),
      ),
    ).toContain('`aaaaaaa` does not apply to `v1.2` itself');
    expect(
      renderPrerequisites(input({ rows: [row('a')], verdict: { clean: false, reason: 'still-conflicts' } })),
    ).toContain('still leaves this backport conflicting');
  });

  it('keeps subjects from breaking the table or pinging, and stays within its share', () => {
    const text = renderPrerequisites(
      input({
        rows: Array.from({ length: 5 }, (_, i) =>
          row(String(i), { subject: `@team | ${'x'.repeat(5_000)}` }),
        ),
        onTarget: Array.from({ length: 500 }, (_, i) => ({
          commit: i.toString(16).padStart(40, '0'),
          reason: 'patch-id' as const,
        })),
      }),
    );
    expect(text.length).toBeLessThanOrEqual(PREREQUISITES_LIMIT);
    expect(text).not.toMatch(/@team/);
    for (const l of text.split('\n').filter((x) => x.startsWith('| [')))
      expect(l.split(/(?<!\\)\|/)).toHaveLength(7);
    expect(text).toMatch(/and \d+ more\./);
  });
});
