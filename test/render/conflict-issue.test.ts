import { describe, expect, it } from '@jest/globals';
import type { FileConflict } from '../../src/pick/types.js';
import { renderConflictIssueBody, renderConflictIssueTitle } from '../../src/render/conflict-issue.js';
import { findMarker } from '../../src/render/marker.js';
import { closedBlocks, conflictIssueInput } from './conflict-issue-input.js';
import { commits, conflictResult, contentConflict, hunk, SHA_A, SHA_B, SHA_C, sourcePr } from './fixtures.js';
import { mentions } from './markdown-check.js';

describe('renderConflictIssueTitle', () => {
  it('names the pull request and the target on one line', () => {
    expect(renderConflictIssueTitle(conflictIssueInput())).toBe(
      'Backport #12 to v1.2 needs manual adaptation',
    );
    expect(renderConflictIssueTitle(conflictIssueInput({ target: 'a\nb' }))).toBe(
      'Backport #12 to a b needs manual adaptation',
    );
  });
});

describe('renderConflictIssueBody', () => {
  it('summarises the pull request, the series and which commit failed', () => {
    const body = renderConflictIssueBody(
      conflictIssueInput({
        commits: commits(SHA_A, SHA_B, SHA_C),
        source: sourcePr({ mergeMethod: 'rebase' }),
        result: conflictResult({
          commit: SHA_B,
          index: 1,
          picked: [{ source: SHA_A, result: 'd'.repeat(40), empty: true }],
        }),
      }),
    );
    expect(body.split('\n')[0]).toBe(
      'Backporting [#12](<https://github.com/acme/widgets/pull/12>) to `release/v1.2` needs a person: `bbbbbbb`, commit 2 of 3, does not apply cleanly.',
    );
    expect(body).toContain('(rebase merge)');
    expect(body).toContain(
      `[\`aaaaaaa\`](<https://github.com/acme/widgets/commit/${SHA_A}>) Commit 1: already on \`release/v1.2\``,
    );
    expect(body).toContain('Commit 2: **conflicts** (below)');
    expect(body).toContain('Commit 3: not tried yet');
  });

  it('shows each hunk: the upstream diff, the target lines with their numbers, the expected text', () => {
    const h = hunk({
      ours: { start: 98, count: 3 },
      oursLines: ['first\n', 'second\n', 'third\n'],
      base: { start: 7, count: 1 },
      baseLines: ['expected\n'],
      patch: '@@ -7,1 +7,1 @@\n-expected\n+changed\n',
    });
    const body = renderConflictIssueBody(
      conflictIssueInput({ result: conflictResult({ conflicts: [contentConflict('src/a.ts', [h])] }) }),
    );
    const found = closedBlocks(body);
    expect(found).toContainEqual({ info: 'diff', content: '@@ -7,1 +7,1 @@\n-expected\n+changed\n' });
    // Widths line up: 98, 99, 100.
    expect(found).toContainEqual({ info: '', content: ' 98 | first\n 99 | second\n100 | third\n' });
    expect(found).toContainEqual({ info: '', content: '7 | expected\n' });
    expect(body).toContain('#### Hunk 1 of 1: lines 98–100 on `release/v1.2`');
    expect(body).toContain('What `release/v1.2` has at lines 98–100:');
    expect(body).toContain('What upstream expected to find (line 7 before the change)');
  });

  it('explains a hunk whose lines are gone on the target', () => {
    const h = hunk({ ours: { start: 40, count: 0 }, oursLines: [] });
    const body = renderConflictIssueBody(
      conflictIssueInput({ result: conflictResult({ conflicts: [contentConflict('a', [h])] }) }),
    );
    expect(body).toContain(
      '`release/v1.2` has none of these lines: they were removed just before its line 40.',
    );
  });

  it('keeps a patch full of backticks and mentions inside its own block', () => {
    const patch = '@@ -1,2 +1,2 @@\n-```js\n+````ts\n @alice ``````\n';
    const body = renderConflictIssueBody(
      conflictIssueInput({
        result: conflictResult({ conflicts: [contentConflict('README.md', [hunk({ patch })])] }),
      }),
    );
    expect(closedBlocks(body)).toContainEqual({ info: 'diff', content: patch });
    expect(mentions(body)).toEqual([]);
  });

  it('gives each kind that has no lines to merge a sentence of what to decide', () => {
    const file = (
      kind: FileConflict['kind'],
      paths: FileConflict['paths'] = { base: 'f', ours: 'f', theirs: 'f' },
    ) => ({
      path: `${kind}.txt`,
      kind,
      message: `CONFLICT (${kind})`,
      paths,
      hunks: [],
    });
    const body = renderConflictIssueBody(
      conflictIssueInput({
        result: conflictResult({
          conflicts: [
            file('modify/delete', { base: 'f', theirs: 'f' }),
            file('binary'),
            file('rename', { base: 'old.c', ours: 'mid.c', theirs: 'new.c' }),
            file('mode'),
            file('directory'),
            file('submodule'),
          ],
        }),
      }),
    );
    expect(body).toContain('- `modify/delete.txt`: modified on one side, deleted on the other');
    expect(body).toContain('`release/v1.2` no longer has this file, but upstream changed it.');
    expect(body).toContain('Both sides changed this binary file and no line merge is possible.');
    expect(body).toContain('(before: `old.c`; on `release/v1.2`: `mid.c`; upstream: `new.c`)');
    expect(body).toContain("The sides disagree on the file's mode");
    expect(body).toContain('This path is a file on one side and a directory on the other.');
    expect(body).toContain('Decide which commit `release/v1.2` should point to.');
    expect(body).toContain('*CONFLICT (binary)*');
  });

  it('lists the files that applied cleanly', () => {
    const body = renderConflictIssueBody(
      conflictIssueInput({ result: conflictResult({ merged: ['a.ts', 'b.ts'] }) }),
    );
    expect(body).toContain('## Applied cleanly (2 files)\n\n- `a.ts`\n- `b.ts`');
  });

  it('gives exact commands to finish by hand, with git and with the CLI', () => {
    const body = renderConflictIssueBody(conflictIssueInput({ commits: commits(SHA_A, SHA_B), mainline: 1 }));
    const sh = closedBlocks(body).filter((b) => b.info === 'sh');
    expect(sh[0]!.content.split('\n')).toEqual([
      `git fetch origin release/v1.2 ${SHA_A} ${SHA_B}`,
      'git switch -c backport/12-to-v1.2 origin/release/v1.2',
      `git cherry-pick -x -m 1 ${SHA_A} ${SHA_B}`,
      '# resolve the conflicts, then for each stop: git add <files> && git cherry-pick --continue',
      'git push origin backport/12-to-v1.2',
      '',
    ]);
    expect(sh[1]!.content).toBe(
      `npx backport-assistant pick ${SHA_A} ${SHA_B} --mainline 1 --onto origin/release/v1.2 --branch backport/12-to-v1.2\n`,
    );
  });

  it('quotes hostile branch names in the commands', () => {
    const body = renderConflictIssueBody(conflictIssueInput({ branch: '$(touch x)`id`' }));
    const git = closedBlocks(body).find((b) => b.info === 'sh')!.content;
    expect(git).toContain("git fetch origin '$(touch x)`id`' ");
    expect(git).toContain("git switch -c backport/12-to-v1.2 'origin/$(touch x)`id`'");
  });

  it('links the draft and lets the push replace it', () => {
    const body = renderConflictIssueBody(
      conflictIssueInput({
        draft: { branch: 'backport/12-to-v1.2', url: 'https://github.com/acme/widgets/pull/41', number: 41 },
      }),
    );
    expect(body).toContain(
      'A draft with conflict markers is on [`backport/12-to-v1.2`](<https://github.com/acme/widgets/tree/backport/12-to-v1.2>), in [#41](<https://github.com/acme/widgets/pull/41>).',
    );
    const git = closedBlocks(body).find((b) => b.info === 'sh')!.content;
    expect(git).toContain(`git fetch origin release/v1.2 backport/12-to-v1.2 ${SHA_A}`);
    expect(git).toContain('git push --force-with-lease origin backport/12-to-v1.2');
  });

  it('ends with a marker that parses back to this backport', () => {
    const body = renderConflictIssueBody(
      conflictIssueInput({ commits: commits(SHA_A, SHA_B), onto: SHA_B, mainline: 1 }),
    );
    expect(body.endsWith('-->')).toBe(true);
    // Where the pick was made, so `/backport resolve` redoes exactly the pick shown.
    expect(findMarker(body, 'conflict-issue')).toEqual({
      type: 'conflict-issue',
      source: 12,
      target: 'v1.2',
      commits: [SHA_A, SHA_B],
      branch: 'release/v1.2',
      onto: SHA_B,
      mainline: 1,
    });
  });

  it('never pings, whatever the title, paths and subjects say', () => {
    const body = renderConflictIssueBody(
      conflictIssueInput({
        source: sourcePr({ title: '@alice @org/team', author: 'eve' }),
        commits: [{ sha: SHA_A, subject: '@bob fix' }],
        result: conflictResult({
          conflicts: [{ ...contentConflict('@carol/x.ts'), message: '@dave says hi' }],
          merged: ['@erin.md'],
        }),
      }),
    );
    expect(mentions(body)).toEqual([]);
  });
});
