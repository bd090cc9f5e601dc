import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse-config.js';
import { labelRules } from '../../src/config/label-rules.js';
import { copiedLabels } from '../../src/plan/copied-labels.js';
import { resolveTargets } from '../../src/plan/targets.js';
import { supportedBranches } from '../../src/ledger/ledger-config.js';
import { problemsOf } from './problems-of.js';

// The pattern of defect a. A backtracking engine needs about 2^n steps on n letters `a` and
// a final `!`: with 40 letters that is days, so these tests only finish on a linear engine.
const EVIL = '^(a+)+$|^(?<target>v\\d)$';
const ATTACK = `${'a'.repeat(40)}!`;

describe('configuration patterns (defect a)', () => {
  it('reads an exponential pattern in linear time everywhere a pattern is used', () => {
    const config = parseConfig({
      labelPattern: EVIL,
      label: '{target}',
      // Both alternatives behind `no-`, so that `v1` asks for a backport and does not decline one.
      noBackportToPattern: '^no-(?:(a+)+$|(?<target>v\\d)$)',
      copyLabels: ['^(x+)+$'],
      branches: { pattern: '^(b+)+$' },
    });
    expect(resolveTargets({ labels: [ATTACK, 'v1'], config, baseBranch: 'main' }).targets).toEqual([
      { label: 'v1', target: 'v1', branch: 'v1' },
    ]);
    expect(labelRules(config).requestTarget(ATTACK)).toBeUndefined();
    expect(labelRules(config).declineTarget(`no-${ATTACK}`)).toBeUndefined();
    expect(copiedLabels([`${'x'.repeat(40)}!`, 'xx'], config)).toEqual(['xx']);
    expect(supportedBranches({ pattern: '^(b+)+$' }, [`${'b'.repeat(40)}!`, 'bb'])).toEqual(['bb']);
  });

  it('refuses what a linear engine cannot run, naming the key', () => {
    expect(problemsOf({ labelPattern: '^(?<target>(a)\\2)$' })).toEqual([
      expect.objectContaining({
        key: 'labelPattern',
        problem: expect.stringMatching(/not a valid regular expression/),
      }),
    ]);
    expect(problemsOf({ copyLabels: ['^(?=x)x'] })[0]?.key).toBe('copyLabels[0]');
    expect(problemsOf({ branches: { pattern: '(?<!a)b' } })[0]?.key).toBe('branches.pattern');
  });

  it('caps the length of patterns and templates', () => {
    expect(problemsOf({ noBackportToPattern: `^(?<target>x)${'y'.repeat(300)}$` })).toEqual([
      { key: 'noBackportToPattern', problem: expect.stringMatching(/longer than 200 characters/) },
    ]);
    expect(problemsOf({ title: `{title}${'t'.repeat(300)}` })[0]).toEqual({
      key: 'title',
      problem: expect.stringMatching(/longer than 200 characters/),
    });
    expect(problemsOf({ body: 'b'.repeat(20_001) })[0]?.key).toBe('body');
  });

  it('keeps the named group target and the usual syntax', () => {
    const config = parseConfig({ labelPattern: '^bp/(?<target>v\\d+\\.\\d+)$', label: 'bp/{target}' });
    expect(labelRules(config).requestTarget('bp/v1.2')).toBe('v1.2');
    expect(problemsOf({ labelPattern: '^bp/(?<other>\\S+)$' })[0]?.problem).toMatch(/named group `target`/);
  });
});
