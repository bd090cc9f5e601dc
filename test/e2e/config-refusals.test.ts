import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findMarker } from '../../src/render/marker.js';
import { startHarness, type Harness } from './app-harness.js';
import {
  backportPulls,
  botComments,
  conflictIssues,
  expectNoTokenLeak,
  lines,
  makeRepo,
  mergedPull,
  statusComments,
  statusRow,
} from './world.js';

/**
 * What the configuration makes the app refuse, with one clear message and nothing pushed: a
 * change over `maxFiles`, and a configuration it cannot use.
 */
describe('.github/backport.yml refusals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('maxFiles: a change touching more files than allowed is refused with a clear message', async () => {
    const repo = await makeRepo(h.sim, 'maxfiles', {
      files: { 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' },
      branches: { 'v1.2': null },
      config: 'maxFiles: 2\n',
    });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'big',
      labels: ['backport-to: v1.2'],
      commits: [{ 'a.txt': 'A\n', 'b.txt': 'B\n', 'c.txt': 'C\n' }],
    });
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'failed',
      error: {
        code: 'too-many-files',
        message:
          'The change touches 3 files, more than maxFiles (2) allows; backport it by hand or raise maxFiles.',
      },
    });
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it.each([
    ['a wrong type', 'maxFiles: many\n', /`maxFiles` must be a whole number, got "many"/],
    ['an unknown key', 'lables: [backport]\n', /unknown key `lables` \(did you mean `labels`\?\)/],
    [
      'a regex that does not compile',
      "labelPattern: '^backport-to: (?<target>[a-z'\n",
      /`labelPattern` is not a valid regular expression/,
    ],
    [
      'a regex without a target group',
      "labelPattern: '^backport-to: (\\S+)$'\n",
      /`labelPattern` has no named group `target`/,
    ],
    [
      'a YAML syntax error',
      'labels: [backport\nmaxFiles: 3\n',
      /`\.github\/backport\.yml` is not valid YAML: Flow sequence .* at line 2, column 1$/m,
    ],
  ])(
    'invalid config (%s): one clear comment naming the problem, and nothing else',
    async (_, config, problem) => {
      const repo = await makeRepo(h.sim, 'invalid', {
        files: { 'src/calc.c': lines(20) },
        branches: { 'v1.2': null },
        config,
      });
      const { number } = await mergedPull(h.sim, repo, {
        branch: 'fix',
        labels: ['backport-to: v1.2'],
        commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
      });
      await h.idle();
      // A second event and a /backport command do not add comments or guess labels.
      await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
      await h.sim.comment(repo, number, '/backport v1.4', 'maint');
      await h.idle();

      const comments = botComments(h.sim, repo, number);
      expect(comments).toHaveLength(1);
      expect(findMarker(comments[0]!.body, 'config-error')).toEqual({ type: 'config-error', source: number });
      expect(comments[0]!.body).toContain(
        '**Backport Assistant cannot use `.github/backport.yml`**, so no backport was started.',
      );
      expect(comments[0]!.body).toMatch(problem);
      expect(statusComments(h.sim, repo, number)).toEqual([]);
      expect(
        h.sim
          .pulls(repo)
          .find((p) => p.number === number)!
          .labels.sort(),
      ).toEqual(['backport-to: v1.2', 'backport-to: v1.3']);
      expect(backportPulls(h.sim, repo)).toEqual([]);
      expect(conflictIssues(h.sim, repo)).toEqual([]);
      expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
      expect(h.sim.violations).toEqual([]);
    },
  );

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
