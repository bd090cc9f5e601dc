import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/parse-config.js';
import { isBackportError } from '../../src/errors.js';
import { backportBranchName, labelForTarget, resolveTargets } from '../../src/plan/targets.js';

describe('resolveTargets', () => {
  it('turns matching labels into targets and ignores other labels', () => {
    const config = parseConfig({ targetBranch: 'release/{target}' });
    const result = resolveTargets({
      labels: [
        'bug',
        'backport-to: 1.2',
        { name: 'backport-to: 1.3' },
        'backport-to:1.4',
        'Backport-to: 1.5',
      ],
      config,
      baseBranch: 'main',
    });
    expect(result).toEqual({
      targets: [
        { label: 'backport-to: 1.2', target: '1.2', branch: 'release/1.2' },
        { label: 'backport-to: 1.3', target: '1.3', branch: 'release/1.3' },
      ],
      rejected: [],
    });
  });

  it('refuses targets that are not valid branch names, with the reason', () => {
    const { targets, rejected } = resolveTargets({
      labels: ['backport-to: v1..2', 'backport-to: -v1', 'backport-to: v1.lock', 'backport-to: v1'],
      config: DEFAULT_CONFIG,
      baseBranch: 'main',
    });
    expect(targets.map((t) => t.branch)).toEqual(['v1']);
    expect(rejected).toEqual([
      {
        label: 'backport-to: v1..2',
        target: 'v1..2',
        code: 'invalid-ref-name',
        reason: '`v1..2` is not a valid branch name: it contains `..`.',
      },
      {
        label: 'backport-to: -v1',
        target: '-v1',
        code: 'invalid-ref-name',
        reason: '`-v1` is not a valid branch name: it starts with `-`.',
      },
      {
        label: 'backport-to: v1.lock',
        target: 'v1.lock',
        code: 'invalid-ref-name',
        reason: '`v1.lock` is not a valid branch name: a part of it ends with `.lock`.',
      },
    ]);
  });

  it('refuses the branch the pull request was merged into', () => {
    const { targets, rejected } = resolveTargets({
      labels: ['backport-to: main', 'backport-to: v2'],
      config: DEFAULT_CONFIG,
      baseBranch: 'main',
    });
    expect(targets.map((t) => t.target)).toEqual(['v2']);
    expect(rejected).toEqual([
      {
        label: 'backport-to: main',
        target: 'main',
        code: 'target-is-base',
        reason: '`main` is the branch the pull request was merged into.',
      },
    ]);
  });

  it("refuses a target branch under the app's own branch prefix", () => {
    const { rejected } = resolveTargets({
      labels: ['backport-to: backport/12-to-v1'],
      config: DEFAULT_CONFIG,
      baseBranch: 'main',
    });
    expect(rejected[0]?.reason).toBe(
      '`backport/12-to-v1` is under `backport/`, where the app keeps its own backport branches.',
    );
  });

  it('keeps one target per branch, the first label that names it', () => {
    const config = parseConfig({ labelPattern: '^(?:backport-to|bp): (?<target>\\S+)$' });
    const { targets } = resolveTargets({
      labels: ['bp: v1', 'backport-to: v1', 'bp: v1', 'bp: v2'],
      config,
      baseBranch: 'main',
    });
    expect(targets).toEqual([
      { label: 'bp: v1', target: 'v1', branch: 'v1' },
      { label: 'bp: v2', target: 'v2', branch: 'v2' },
    ]);
  });
});

describe('labelForTarget', () => {
  it('renders the label for a target the pattern reads back', () => {
    expect(labelForTarget(DEFAULT_CONFIG, 'v1.2')).toBe('backport-to: v1.2');
  });

  it('refuses targets the label pattern would not read back as themselves', () => {
    const config = parseConfig({ labelPattern: '^backport-to: (?<target>v\\d+)$' });
    expect(() => labelForTarget(config, 'main')).toThrow(
      expect.objectContaining({ code: 'bad-argument' }) as unknown as Error,
    );
    // A space would end the target early.
    expect(() => labelForTarget(DEFAULT_CONFIG, 'v1 v2')).toThrow(/is not a target/);
  });

  it('refuses labels longer than GitHub allows and branches that cannot exist', () => {
    expect(() => labelForTarget(DEFAULT_CONFIG, 'v'.repeat(40))).toThrow(/longer than GitHub allows/);
    try {
      labelForTarget(DEFAULT_CONFIG, 'v1..2');
      throw new Error('accepted');
    } catch (err) {
      expect(isBackportError(err, 'invalid-ref-name')).toBe(true);
    }
  });
});

describe('backportBranchName', () => {
  it('renders the app branch and refuses one git would not accept', () => {
    expect(backportBranchName(DEFAULT_CONFIG, 42, 'v1.2')).toBe('backport/42-to-v1.2');
    expect(() => backportBranchName(DEFAULT_CONFIG, 42, 'x.lock')).toThrow(/is not a valid branch name/);
  });
});
