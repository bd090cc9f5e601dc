import { describe, expect, it } from '@jest/globals';
import {
  cherryPickSources,
  fixedCommits,
  fixesTrailers,
  isFixSubject,
} from '../../src/missing-fixes/commit-trailers.js';
import { describeReason, fixReasons } from '../../src/missing-fixes/fix-detection.js';
import { labelRules } from '../../src/config/label-rules.js';
import type { CandidateCommit } from '../../src/missing-fixes/missing-fixes.js';
import { findMissingFixes } from '../../src/missing-fixes/missing-fixes.js';
import { decisionsFromLedger } from '../../src/ledger/missing-fix-inputs.js';
import { deriveLedger } from '../../src/ledger/ledger-reducer.js';
import { sourcePr } from '../ledger/fact-builders.js';

const sha = (n: number) => n.toString(16).padStart(40, '0');
const commit = (
  n: number,
  message: string,
  labels: string[] = [],
  pr: number | null = n,
): CandidateCommit => ({
  sha: sha(n),
  message,
  labels,
  pr,
});

describe('fix detection', () => {
  it('recognises conventional fix subjects and nothing else', () => {
    for (const s of ['fix: crash', 'fix(parser): crash', 'fix!: drop API', 'Fix(io)!: x'])
      expect(isFixSubject(s)).toBe(true);
    for (const s of ['feat: x', 'fixes the build', 'fix:', 'prefix: fix: x', 'chore(fix): x'])
      expect(isFixSubject(s)).toBe(false);
  });

  it('gives every reason a commit looks like a fix', () => {
    const reasons = fixReasons(
      'fix(io): short read\n\nFixes: #12\nfixes: 1234abcd ("io: add reader")',
      ['Security', 'docs'],
      labelRules(),
    );
    expect(reasons.map(describeReason)).toEqual([
      'label Security',
      'Fixes: #12',
      'Fixes: 1234abcd ("io: add reader")',
      'fix: subject',
    ]);
  });

  it('reads commit ids from Fixes: trailers and cherry-pick trailers', () => {
    expect(fixedCommits('x\n\nFixes: #12\nFixes: ABCDEF1234 ("y")\nFixes: abcdef1234')).toEqual([
      'abcdef1234',
    ]);
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    expect(
      cherryPickSources(`x\n\n(cherry picked from commit ${a})\n(cherry picked from commit ${b})`),
    ).toEqual([a, b]);
  });
});

describe('missing fixes', () => {
  const commits = [
    commit(1, 'feat: new thing'),
    commit(2, 'fix: crash on empty input'),
    commit(3, 'Handle timeouts', ['bug']),
    commit(4, 'fix: declined everywhere', ['no-backport']),
    commit(5, 'fix: requested for v1', ['backport-to: v1']),
    commit(6, 'fix: declined for v1 only', ['no-backport-to: v1']),
    commit(7, 'fix: requested by command'),
    commit(8, `Repair reader\n\nFixes: ${'c'.repeat(12)} ("reader: add")`),
    commit(9, `Repair writer\n\nFixes: ${'d'.repeat(12)} ("writer: add")`),
    commit(10, `Repair thing\n\nFixes: ${'e'.repeat(12)}`),
    commit(11, 'fix: already picked'),
  ];
  const report = findMissingFixes({
    branches: [
      { branch: 'v1', forkPoint: sha(100), commits },
      { branch: 'v2', forkPoint: sha(200), commits },
    ],
    decisions: [{ pr: 7, target: 'v2' }],
    // c… is on both branches, d… only on v2, e… is not in the repository at all.
    branchContains: (s, branch) =>
      s.startsWith('c') ? true : s.startsWith('d') ? branch === 'v2' : undefined,
    isPresent: (s, branch) => s === sha(11) && branch === 'v1',
  });
  const byBranch = Object.fromEntries(report.map((r) => [r.branch, r]));

  it('lists undecided fixes per branch, with their reasons', () => {
    expect(byBranch.v1!.missing.map((m) => m.pr)).toEqual([2, 3, 7, 8, 10]);
    expect(byBranch.v2!.missing.map((m) => m.pr)).toEqual([2, 3, 5, 6, 8, 9, 10, 11]);
    expect(byBranch.v1!.missing[1]).toMatchObject({
      subject: 'Handle timeouts',
      reasons: [{ kind: 'label', label: 'bug' }],
    });
  });

  it('treats labels, commands and declines as decisions for the right branches only', () => {
    expect(byBranch.v1!.counts).toEqual({ fixes: 10, present: 1, decided: 3 });
    expect(byBranch.v2!.counts).toEqual({ fixes: 10, present: 0, decided: 2 });
  });

  it('only asks for a Fixes: <sha> fix on branches that contain the broken commit, and says so', () => {
    expect(byBranch.v1!.notNeeded).toEqual([
      { sha: sha(9), pr: 9, subject: 'Repair writer', fixes: ['d'.repeat(12)] },
    ]);
    expect(byBranch.v2!.notNeeded).toEqual([]);
    const v2 = byBranch.v2!.missing;
    expect(v2.find((m) => m.pr === 9)).toMatchObject({ fixesOnBranch: ['d'.repeat(12)], fixesUnknown: [] });
    expect(v2.find((m) => m.pr === 10)).toMatchObject({ fixesOnBranch: [], fixesUnknown: ['e'.repeat(12)] });
  });

  it('takes decisions from the ledger, a blanket decline included', () => {
    const items = deriveLedger([
      sourcePr({ number: 2, labels: ['no-backport'] }),
      sourcePr({ number: 3, labels: ['backport-to: v1'] }),
    ]);
    const [v1] = findMissingFixes({
      branches: [
        {
          branch: 'v1',
          forkPoint: null,
          commits: [commit(2, 'fix: a'), commit(3, 'fix: b'), commit(12, 'fix: c')],
        },
      ],
      decisions: decisionsFromLedger(items),
    });
    expect(v1!.missing.map((m) => m.pr)).toEqual([12]);
  });
});

describe('commit trailers on hostile messages (issue 10 e)', () => {
  it('reads a Fixes: line with a long blank run inside it in one pass', () => {
    // `^\s*fixes:\s*(\S.*?)\s*$` retried the blank run from every position: ~10^11 steps here.
    const value = `abc1234${' '.repeat(400_000)}x`;
    expect(fixesTrailers(`fix: parser\n\n  Fixes: ${value}  \n`)).toEqual([value]);
    expect(fixesTrailers('Subject\nFIXES:#12\nfixes:   \nNot Fixes: 1')).toEqual(['#12']);
  });
});
