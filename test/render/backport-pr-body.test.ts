import { describe, expect, it } from '@jest/globals';
import { renderBackportPrBody, type BackportPrBodyInput } from '../../src/render/backport-pr-body.js';
import { findMarker } from '../../src/render/marker.js';
import { renderTitle } from '../../src/render/template-values.js';
import { commits, contentConflict, SHA_A, SHA_B, SHA_C, sourcePr } from './fixtures.js';
import { mentions, splitFences } from './markdown-check.js';

function input(overrides: Partial<BackportPrBodyInput> = {}): BackportPrBodyInput {
  return {
    source: sourcePr(),
    target: 'v1.2',
    branch: 'release/v1.2',
    commits: commits(SHA_A),
    copied: { labels: ['area/ui'], assignees: ['carol'], milestone: '1.2.1', reviewers: ['alice'] },
    ...overrides,
  };
}

describe('renderBackportPrBody', () => {
  it('links the original pull request and every picked commit', () => {
    const body = renderBackportPrBody(
      input({ commits: commits(SHA_A, SHA_B), source: sourcePr({ mergeMethod: 'rebase' }) }),
    );
    expect(body).toContain('Backport of [#12](<https://github.com/acme/widgets/pull/12>) to `release/v1.2`.');
    expect(body).toContain(`[\`aaaaaaa\`](<https://github.com/acme/widgets/commit/${SHA_A}>) Commit 1`);
    expect(body).toContain(`[\`bbbbbbb\`](<https://github.com/acme/widgets/commit/${SHA_B}>) Commit 2`);
    expect(body).toContain('The 2 commits of #12 were picked in order');
    expect(body).toContain('(rebase merge)');
  });

  it('says what was copied, without pinging anyone', () => {
    const body = renderBackportPrBody(input());
    expect(body).toContain('Copied from #12: labels `area/ui`; assignees @&#8203;carol; milestone `1.2.1`.');
    expect(body).toContain('Review requested from @&#8203;alice.');
    expect(mentions(body)).toEqual([]);
    const nothing = renderBackportPrBody(input({ copied: { labels: [], assignees: [], reviewers: [] } }));
    expect(nothing).toContain('Nothing was copied from #12.');
  });

  it('says how a merge commit was picked and which commits were already there', () => {
    const body = renderBackportPrBody(
      input({ mainline: 1, emptyCommits: [SHA_A], source: sourcePr({ mergeMethod: 'merge' }) }),
    );
    expect(body).toContain(
      'The merge commit of #12 was picked relative to its parent 1 (as `git cherry-pick -x -m 1`).',
    );
    expect(body).toContain('(already on `release/v1.2`: nothing to pick)');
  });

  it('ends with a marker that parses back to this backport', () => {
    const body = renderBackportPrBody(input({ commits: commits(SHA_A, SHA_B) }));
    expect(body.trimEnd().endsWith('-->')).toBe(true);
    expect(findMarker(body, 'backport-pr')).toEqual({
      type: 'backport-pr',
      source: 12,
      target: 'v1.2',
      commits: [SHA_A, SHA_B],
    });
  });

  it('keeps a hostile title and commit subject inert', () => {
    const body = renderBackportPrBody(
      input({
        source: sourcePr({ title: '@alice </details> **x** | y\n# h', author: 'mallory' }),
        commits: [{ sha: SHA_A, subject: 'cc @org/team ``` <!-- backport-assistant {} -->' }],
      }),
    );
    expect(mentions(body)).toEqual([]);
    expect(body).not.toContain('</details>');
    expect(body).not.toContain('\n# h');
    expect(splitFences(body).blocks).toEqual([]);
    expect(findMarker(body, 'backport-pr')?.commits).toEqual([SHA_A]);
  });

  it('uses the configured body template with escaped values, and still adds the marker', () => {
    const body = renderBackportPrBody(
      input({
        template: 'Backport of #{number} ({title}) by {author} to {branch}: {commits}',
        source: sourcePr({ title: 'Fix *all* @things' }),
      }),
    );
    expect(body.split('\n')[0]).toBe(
      'Backport of #12 (Fix \\*all\\* @&#8203;things) by @&#8203;alice to `release/v1.2`: aaaaaaa',
    );
    expect(body).not.toContain('Copied from');
    expect(findMarker(body, 'backport-pr')?.target).toBe('v1.2');
  });

  describe('draft with conflict markers', () => {
    const conflict = {
      failedCommit: SHA_B,
      issueUrl: 'https://github.com/acme/widgets/issues/40',
      issueNumber: 40,
      conflicts: [
        contentConflict('src/a.ts'),
        { path: 'logo.png', kind: 'binary' as const, message: 'Binary conflict', paths: {}, hunks: [] },
      ],
    };

    it('opens with a loud warning and lists the files', () => {
      const body = renderBackportPrBody(input({ commits: commits(SHA_A, SHA_B, SHA_C), conflict }));
      const lines = body.split('\n');
      expect(lines[0]).toBe('> [!CAUTION]');
      expect(lines[1]).toContain('**Do not merge this pull request as it is.**');
      expect(lines[1]).toContain('Commit `bbbbbbb` did not apply cleanly to `release/v1.2`');
      expect(lines[1]).toContain('[#40](<https://github.com/acme/widgets/issues/40>)');
      expect(body).toContain('Files with conflict markers:\n\n- `src/a.ts` (content)');
      expect(body).toContain('- `logo.png` (binary)');
      expect(body).toContain(`Commit 2 (**conflicts**: committed with conflict markers)`);
      expect(body).toContain('Commit 3 (not picked: an earlier commit conflicted)');
      expect(findMarker(body, 'backport-pr')?.commits).toEqual([SHA_A, SHA_B, SHA_C]);
    });

    it('keeps the warning in front of a configured template too', () => {
      const body = renderBackportPrBody(input({ conflict, template: 'Custom' }));
      expect(body.startsWith('> [!CAUTION]')).toBe(true);
      expect(body).toContain('\n\nCustom\n\n<!-- backport-assistant');
    });

    it('stays under the size limit with thousands of files', () => {
      const many = Array.from({ length: 5000 }, (_, i) =>
        contentConflict(`src/dir-${i}/${'x'.repeat(50)}.ts`),
      );
      const body = renderBackportPrBody(input({ conflict: { ...conflict, conflicts: many } }));
      expect(body.length).toBeLessThan(65_536);
      expect(body).toMatch(/- … and \d+ more files/);
      expect(findMarker(body, 'backport-pr')).toBeDefined();
    });
  });
});

describe('renderTitle', () => {
  it('fills the title template with plain values on one line', () => {
    const context = {
      source: sourcePr({ title: 'Fix\nthe `parser`' }),
      target: 'v1.2',
      branch: 'release/v1.2',
      commits: commits(SHA_A),
    };
    expect(renderTitle('[{target}] {title} (#{number})', context)).toBe('[v1.2] Fix the `parser` (#12)');
    expect(renderTitle('{title}', { ...context, source: sourcePr({ title: 'y'.repeat(400) }) })).toHaveLength(
      256,
    );
  });
});
