import { describe, expect, it } from '@jest/globals';
import type { Fact } from '../../src/ledger/ledger-facts.js';
import { isOpenItem } from '../../src/ledger/ledger-item.js';
import { deriveLedger } from '../../src/ledger/ledger-reducer.js';
import { labelRules } from '../../src/config/label-rules.js';
import { at, backportPr, conflictIssue, prChecks, request, shuffled, sourcePr } from './fact-builders.js';

const ONE = (facts: Fact[]) => {
  const items = deriveLedger(facts);
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe('ledger states', () => {
  it('a request label on an unmerged PR is requested but not yet open work', () => {
    const item = ONE([sourcePr({ number: 5, labels: ['backport-to: v1.2'] })]);
    expect(item).toMatchObject({ source: 5, target: 'v1.2', state: 'requested', reason: 'requested' });
    expect(item.since).toBeNull();
    expect(isOpenItem(item)).toBe(false);
  });

  it('a merged PR with a request label and no pick yet is requested and open since the merge', () => {
    const item = ONE([sourcePr({ number: 5, mergedAt: at(10), labels: ['backport-to: v1.2'] })]);
    expect(item).toMatchObject({ state: 'requested', since: at(10), sourceMergedAt: at(10) });
    expect(isOpenItem(item)).toBe(true);
  });

  it('requested → pr-open when the backport PR appears, with its age and checks', () => {
    const facts: Fact[] = [
      sourcePr({ number: 5, mergedAt: at(10), labels: ['backport-to: v1.2'] }),
      backportPr({ number: 9, source: 5, target: 'v1.2', createdAt: at(11) }),
    ];
    expect(ONE(facts)).toMatchObject({
      state: 'pr-open',
      since: at(11),
      backportPr: { number: 9, checks: 'unknown' },
    });
    expect(ONE([...facts, prChecks({ number: 9, state: 'failure' })]).backportPr?.checks).toBe('failure');
  });

  it('ignores checks reported for an earlier head of the backport PR', () => {
    const item = ONE([
      backportPr({
        number: 9,
        source: 5,
        target: 'v1.2',
        headSha: 'new',
        checks: 'pending',
        updatedAt: at(3),
      }),
      prChecks({ number: 9, headSha: 'old', state: 'failure', updatedAt: at(4) }),
    ]);
    expect(item.backportPr?.checks).toBe('pending');
  });

  it('pr-open → merged, with the latency from the source merge', () => {
    const item = ONE([
      sourcePr({ number: 5, mergedAt: at(10), labels: ['backport-to: v1.2'] }),
      backportPr({ number: 9, source: 5, target: 'v1.2', createdAt: at(11), mergedAt: at(40) }),
    ]);
    expect(item).toMatchObject({
      state: 'merged',
      reason: 'pr-merged',
      since: at(40),
      latencyMs: 30 * 3_600_000,
    });
  });

  it('pr-open → abandoned when the backport PR is closed unmerged', () => {
    const item = ONE([
      sourcePr({ number: 5, mergedAt: at(10), labels: ['backport-to: v1.2'] }),
      backportPr({ number: 9, source: 5, target: 'v1.2', closedAt: at(20) }),
    ]);
    expect(item).toMatchObject({ state: 'abandoned', reason: 'pr-closed', since: at(20) });
    expect(isOpenItem(item)).toBe(false);
  });

  it('requested → conflict when the app files an issue, with assignees', () => {
    const item = ONE([
      sourcePr({ number: 5, mergedAt: at(10), labels: ['backport-to: v1.2'] }),
      conflictIssue({ number: 12, source: 5, target: 'v1.2', createdAt: at(12), assignees: ['zed', 'amy'] }),
    ]);
    expect(item).toMatchObject({
      state: 'conflict',
      since: at(12),
      conflictIssue: { number: 12, assignees: ['amy', 'zed'] },
    });
  });

  it('conflict → abandoned when the issue is closed without a PR', () => {
    const item = ONE([conflictIssue({ number: 12, source: 5, target: 'v1.2', closedAt: at(30) })]);
    expect(item).toMatchObject({ state: 'abandoned', reason: 'issue-closed', since: at(30) });
  });

  it('conflict → pr-open → merged when a person resolves it into a backport PR', () => {
    const base: Fact[] = [
      sourcePr({ number: 5, mergedAt: at(10), labels: ['backport-to: v1.2'] }),
      conflictIssue({ number: 12, source: 5, target: 'v1.2', createdAt: at(12) }),
      backportPr({ number: 14, source: 5, target: 'v1.2', createdAt: at(20) }),
    ];
    expect(ONE(base)).toMatchObject({ state: 'pr-open', conflictIssue: { number: 12, state: 'open' } });
    const done = ONE([
      ...base,
      backportPr({ number: 14, source: 5, target: 'v1.2', createdAt: at(20), mergedAt: at(25) }),
      conflictIssue({ number: 12, source: 5, target: 'v1.2', createdAt: at(12), closedAt: at(25) }),
    ]);
    expect(done).toMatchObject({ state: 'merged', latencyMs: 15 * 3_600_000 });
  });

  it('a no-backport label declines, alone or over a request label', () => {
    expect(ONE([sourcePr({ number: 5, mergedAt: at(1), labels: ['no-backport'] })])).toMatchObject({
      target: '*',
      state: 'declined',
      reason: 'declined-all',
    });
    expect(ONE([sourcePr({ number: 5, labels: ['backport-to: v1.2', 'no-backport'] })])).toMatchObject({
      target: 'v1.2',
      state: 'declined',
    });
  });

  it('no-backport-to: X declines only X', () => {
    const items = deriveLedger([
      sourcePr({ number: 5, labels: ['backport-to: v1.3', 'no-backport-to: v1.2'] }),
    ]);
    expect(items.map((i) => [i.target, i.state, i.reason])).toEqual([
      ['v1.2', 'declined', 'declined-target'],
      ['v1.3', 'requested', 'requested'],
    ]);
  });

  it('reads labels as the repository configures them', () => {
    const rules = labelRules({
      labelPattern: '^backport (?<target>\\S+)$',
      targetBranch: 'release/{target}',
      noBackportLabel: 'wontfix-old',
    });
    const items = deriveLedger(
      [
        sourcePr({ number: 5, labels: ['backport 2.0', 'backport-to: v1'] }),
        sourcePr({ number: 6, labels: ['Wontfix-Old'] }),
        sourcePr({ number: 7, labels: ['no-backport-to: 3.0'] }),
      ],
      rules,
    );
    expect(items.map((i) => [i.source, i.target, i.state])).toEqual([
      [6, '*', 'declined'],
      [5, 'release/2.0', 'requested'],
      [7, 'release/3.0', 'declined'],
    ]);
  });

  it('abandoned → requested again when asked after the close, and back to pr-open on a new PR', () => {
    const closed: Fact[] = [
      sourcePr({ number: 5, mergedAt: at(10), labels: ['backport-to: v1.2'] }),
      backportPr({ number: 9, source: 5, target: 'v1.2', closedAt: at(20) }),
    ];
    expect(ONE([...closed, request({ source: 5, target: 'v1.2', updatedAt: at(15) })]).state).toBe(
      'abandoned',
    );
    const again = [...closed, request({ source: 5, target: 'v1.2', updatedAt: at(30) })];
    expect(ONE(again)).toMatchObject({ state: 'requested', reason: 're-requested', since: at(30) });
    const reopened = ONE([
      ...again,
      backportPr({ number: 11, source: 5, target: 'v1.2', createdAt: at(31) }),
    ]);
    expect(reopened).toMatchObject({ state: 'pr-open', backportPr: { number: 11 } });
  });

  it('a source PR closed without merging abandons its requests', () => {
    const item = ONE([
      sourcePr({ number: 5, state: 'closed', closedAt: at(3), labels: ['backport-to: v1.2'] }),
    ]);
    expect(item).toMatchObject({ state: 'abandoned', reason: 'source-closed', since: at(3) });
  });

  it('removing the request label before anything happened removes the item', () => {
    const facts = [
      sourcePr({ number: 5, labels: ['backport-to: v1.2'], updatedAt: at(1) }),
      sourcePr({ number: 5, labels: [], updatedAt: at(2) }),
    ];
    expect(deriveLedger(facts)).toEqual([]);
  });

  it('a request by command needs no label, and a label naming the base branch is ignored', () => {
    const items = deriveLedger([
      sourcePr({ number: 5, mergedAt: at(1), labels: ['backport-to: main'] }),
      request({ source: 5, target: 'v1.2' }),
    ]);
    expect(items.map((i) => [i.target, i.state])).toEqual([['v1.2', 'requested']]);
  });
});

describe('ledger order independence', () => {
  // One story with every intermediate record, as webhooks would deliver it.
  const story: Fact[] = [
    sourcePr({ number: 5, labels: [], updatedAt: at(0) }),
    sourcePr({ number: 5, labels: ['backport-to: v1.2', 'backport-to: v1.3'], updatedAt: at(1) }),
    sourcePr({ number: 5, labels: ['backport-to: v1.2', 'backport-to: v1.3'], mergedAt: at(10) }),
    backportPr({ number: 9, source: 5, target: 'v1.2', createdAt: at(11) }),
    prChecks({ number: 9, state: 'pending', updatedAt: at(11) }),
    prChecks({ number: 9, state: 'success', updatedAt: at(12) }),
    backportPr({ number: 9, source: 5, target: 'v1.2', createdAt: at(11), mergedAt: at(13) }),
    conflictIssue({ number: 10, source: 5, target: 'v1.3', createdAt: at(11) }),
    conflictIssue({
      number: 10,
      source: 5,
      target: 'v1.3',
      createdAt: at(11),
      assignees: ['amy'],
      updatedAt: at(14),
    }),
    sourcePr({ number: 6, labels: ['no-backport'], updatedAt: at(3) }),
  ];
  const expected = deriveLedger(story);

  it('gives one ledger for every delivery order, with redeliveries', () => {
    expect(expected.map((i) => [i.source, i.target, i.state])).toEqual([
      [6, '*', 'declined'],
      [5, 'v1.2', 'merged'],
      [5, 'v1.3', 'conflict'],
    ]);
    for (let seed = 1; seed <= 60; seed++) {
      const replay = shuffled([...story, ...story.slice(0, seed % story.length)], seed);
      expect(deriveLedger(replay)).toEqual(expected);
    }
  });

  it('prefers the further-along record when two share one timestamp', () => {
    const open = backportPr({ number: 9, source: 5, target: 'v1.2', createdAt: at(1), updatedAt: at(5) });
    const merged = { ...open, state: 'closed' as const, mergedAt: at(5), closedAt: at(5) };
    expect(ONE([open, merged]).state).toBe('merged');
    expect(ONE([merged, open]).state).toBe('merged');
  });
});
