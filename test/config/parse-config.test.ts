import { describe, expect, it } from '@jest/globals';
import { isBackportError } from '../../src/errors.js';
import { backportBranchPrefix, DEFAULT_CONFIG, parseConfig } from '../../src/config/parse-config.js';
import { problemsOf } from './problems-of.js';

function messageOf(raw: unknown): string {
  try {
    parseConfig(raw);
  } catch (err) {
    if (isBackportError(err, 'invalid-config')) return err.message;
    throw err;
  }
  throw new Error('the config was accepted');
}

describe('parseConfig', () => {
  it('fills every default when the file is absent or empty', () => {
    const expected = {
      labelPattern: '^backport-to: (?<target>\\S+)$',
      label: 'backport-to: {target}',
      targetBranch: '{target}',
      branchName: 'backport/{number}-to-{target}',
      title: '[{target}] {title}',
      copyLabels: [],
      copyAssignees: true,
      copyMilestone: true,
      requestReviewers: ['{author}'],
      labels: ['backport'],
      conflict: 'issue',
      conflictLabels: ['backport-conflict'],
      assignOnConflict: ['{author}', '{merger}'],
      mainline: 1,
      maxFiles: 300,
      branches: [],
      noBackportLabel: 'no-backport',
      noBackportToPattern: '^no-backport-to: (?<target>\\S+)$',
      fixLabels: ['bug', 'security'],
      preview: 'informative',
      commits: 'push',
    };
    expect(parseConfig(null)).toEqual(expected);
    expect(parseConfig(undefined)).toEqual(expected);
    expect(parseConfig({})).toEqual(expected);
    expect(DEFAULT_CONFIG).toEqual(expected);
    expect(DEFAULT_CONFIG.body).toBeUndefined();
  });

  it('returns a deeply frozen config', () => {
    const config = parseConfig({ labels: ['a'], branches: { pattern: '^v' } });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.labels)).toBe(true);
    expect(Object.isFrozen(config.branches)).toBe(true);
  });

  it('keeps the values it is given and strips a leading @ from logins', () => {
    const config = parseConfig({
      targetBranch: 'release/{target}',
      conflict: 'both',
      maxFiles: 20,
      requestReviewers: ['@alice', '{merger}'],
      assignOnConflict: ['bob'],
      branches: ['release/1.2', 'release/1.3'],
    });
    expect(config.targetBranch).toBe('release/{target}');
    expect(config.conflict).toBe('both');
    expect(config.maxFiles).toBe(20);
    expect(config.requestReviewers).toEqual(['alice', '{merger}']);
    expect(config.assignOnConflict).toEqual(['bob']);
    expect(config.branches).toEqual(['release/1.2', 'release/1.3']);
  });

  it('accepts and drops the `_extends` key Probot resolves', () => {
    expect('_extends' in parseConfig({ _extends: 'org/.github' })).toBe(false);
  });

  it('names the key and the problem in plain words', () => {
    expect(problemsOf({ labelPattern: '^backport (?<branch>.+)$' })).toEqual([
      { key: 'labelPattern', problem: '`labelPattern` has no named group `target`, as in `(?<target>\\S+)`' },
    ]);
    expect(problemsOf({ maxFiles: 'many' })).toEqual([
      { key: 'maxFiles', problem: '`maxFiles` must be a whole number, got "many"' },
    ]);
    expect(problemsOf({ mainline: 1.5 })[0]?.problem).toBe('`mainline` must be a whole number, got 1.5');
    expect(problemsOf({ mainline: 0 })[0]?.problem).toBe('`mainline` must be at least 1, got 0');
    expect(problemsOf({ lables: ['x'] })).toEqual([
      { key: 'lables', problem: 'unknown key `lables` (did you mean `labels`?)' },
    ]);
    expect(problemsOf({ conflict: 'pr' })[0]?.problem).toBe(
      '`conflict` must be one of `issue`, `draft-pr`, `both`, got "pr"',
    );
    expect(problemsOf({ copyAssignees: 'yes' })[0]?.problem).toBe(
      '`copyAssignees` must be true or false, got "yes"',
    );
    expect(problemsOf({ labelPattern: '(' })[0]?.problem).toBe(
      '`labelPattern` is not a valid regular expression (missing closing ): `(`)',
    );
  });

  it('offers no guess for an unknown key that resembles nothing', () => {
    expect(problemsOf({ colour: 'red' })).toEqual([{ key: 'colour', problem: 'unknown key `colour`' }]);
  });

  it('reports every problem at once and puts them in the error message', () => {
    const message = messageOf({ maxFiles: 'many', lables: [], conflict: 'nope' });
    expect(message).toContain('`maxFiles` must be a whole number, got "many"');
    expect(message).toContain('unknown key `lables` (did you mean `labels`?)');
    expect(message).toContain('`conflict` must be one of');
  });

  it('hints at YAML quoting when a template was read as a list or mapping', () => {
    // `title: [{target}] {title}` unquoted is a YAML flow sequence.
    expect(problemsOf({ title: [{ target: null }] })[0]?.problem).toMatch(
      /^`title` must be text, got a list \(quote the value/,
    );
  });

  it('refuses placeholders a template may not use, and missing required ones', () => {
    expect(problemsOf({ branchName: 'backport/{number}-{title}' }).map((p) => p.problem)).toEqual([
      '`branchName` uses `{title}`, but only `{number}`, `{target}` may be used there',
      '`branchName` must contain `{target}`',
    ]);
    expect(problemsOf({ label: 'backport' })[0]?.problem).toBe('`label` must contain `{target}`');
    expect(problemsOf({ title: '{target}: {titel}' })[0]?.problem).toMatch(/^`title` uses `\{titel\}`/);
    expect(parseConfig({ title: '{target} {number} {title} {commits} {url}' }).title).toContain('{commits}');
  });

  it('checks that the label the app adds is read back as the same target', () => {
    expect(problemsOf({ label: 'bp {target}' })[0]?.problem).toBe(
      '`label` renders `bp v1.2` for target `v1.2`, which `labelPattern` does not match',
    );
    expect(problemsOf({ label: 'backport-to: {target}-x' })[0]?.problem).toBe(
      '`label` renders `backport-to: v1.2-x` for target `v1.2`, but `labelPattern` captures `v1.2-x` from it',
    );
    // A pattern that only accepts some targets is fine as long as the label round-trips.
    const strict = parseConfig({
      labelPattern: '^backport (?<target>\\d+\\.\\d+)$',
      label: 'backport {target}',
    });
    expect(strict.label).toBe('backport {target}');
  });

  it('requires the branch name to start with a fixed prefix no target branch uses', () => {
    expect(problemsOf({ branchName: '{number}-to-{target}' })[0]?.problem).toMatch(
      /^`branchName` must start with fixed text/,
    );
    expect(
      problemsOf({ branchName: 'release/{number}-{target}', targetBranch: 'release/{target}' })[0]?.problem,
    ).toBe(
      '`branchName` starts with `release/`, which target branches such as `release/v1.2` also start with',
    );
    expect(problemsOf({ branchName: 'bp..x/{number}-{target}' })[0]?.problem).toBe(
      '`branchName` gives `bp..x/123-v1.2`, which is not a valid branch name: it contains `..`',
    );
    expect(backportBranchPrefix(parseConfig({ branchName: 'bp-{target}-{number}' }))).toBe('bp-');
    expect(backportBranchPrefix(DEFAULT_CONFIG)).toBe('backport/');
  });

  it('checks that the target branch template gives a valid branch name', () => {
    expect(problemsOf({ targetBranch: '{target}.lock' })[0]?.problem).toBe(
      '`targetBranch` gives `v1.2.lock` for target `v1.2`, which is not a valid branch name: a part of it ends with `.lock`',
    );
  });

  it('validates both shapes of `branches`', () => {
    expect(parseConfig({ branches: { pattern: '^release/' } }).branches).toEqual({ pattern: '^release/' });
    expect(problemsOf({ branches: ['ok', 'v1..2'] })).toEqual([
      { key: 'branches[1]', problem: '`branches[1]` is not a valid branch name: it contains `..`' },
    ]);
    expect(problemsOf({ branches: { pattern: '[', patern: 1 } }).map((p) => p.problem)).toEqual([
      '`branches.pattern` is not a valid regular expression (missing closing ]: `[`)',
      'unknown key `branches.patern` (did you mean `branches.pattern`?)',
    ]);
    expect(problemsOf({ branches: 'v1' })[0]?.problem).toBe(
      '`branches` must be a list of branch names or a mapping with `pattern`, got "v1"',
    );
    expect(problemsOf({ branches: {} })[0]?.problem).toBe('`branches.pattern` is missing');
  });

  it('validates labels, logins and patterns inside lists', () => {
    expect(problemsOf({ labels: ['', 'x'.repeat(51)] }).map((p) => p.problem)).toEqual([
      '`labels[0]` must not be empty',
      "`labels[1]` is longer than 50 characters, GitHub's limit for a label",
    ]);
    expect(problemsOf({ requestReviewers: ['bad login!'] })[0]?.problem).toBe(
      '`requestReviewers[0]` must be a GitHub login, `{author}` or `{merger}`, got "bad login!"',
    );
    expect(problemsOf({ copyLabels: ['ok', '(?<'] })[0]?.key).toBe('copyLabels[1]');
    expect(problemsOf({ noBackportToPattern: 'no-backport' })[0]?.problem).toMatch(
      /has no named group `target`/,
    );
    expect(problemsOf({ fixLabels: 'bug' })[0]?.problem).toBe('`fixLabels` must be a list, got "bug"');
    expect(problemsOf({ preview: 'maybe' })[0]?.problem).toMatch(
      /^`preview` must be one of `informative`, `required`, `off`/,
    );
  });

  it('refuses a file that is not a mapping', () => {
    expect(problemsOf(['a'])[0]?.problem).toBe('the file must be a mapping of keys to values, got a list');
    expect(problemsOf('labels: x')[0]?.problem).toBe(
      'the file must be a mapping of keys to values, got a single value',
    );
  });
});
