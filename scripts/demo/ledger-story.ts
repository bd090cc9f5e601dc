/**
 * History for the release managers' view (`--serve`): after the demo's main pull request,
 * more pull requests land on the sample repository so that both release branches show every
 * ledger state. Steps, each as a person would do it on GitHub:
 *   - merged:    a fix backported to both branches, both backport PRs merged;
 *   - PR open:   a fix whose backport PRs stay open, one with passing checks, one failing;
 *   - conflict:  a docs fix that conflicts on both branches; on v1.4 the issue is then closed
 *                without a PR (abandoned), on v2.0 it stays open;
 *   - abandoned: on v2.0, a backport PR closed without merging;
 *   - declined:  a PR labelled `no-backport`;
 *   - requested: an open PR already labelled for both branches;
 *   - missing:   a merged `bug` fix nobody asked to backport, and a direct `fix:` commit.
 */
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { MAINTAINER } from './demo-pull.js';
import { README, SAMPLE_REPO } from './sample-repo.js';

const REPO = SAMPLE_REPO;
const BOTH = ['backport-to: v2.0', 'backport-to: v1.4'];

export async function playLedgerStory(sim: GitHubSim, settle: () => Promise<void>): Promise<string[]> {
  const pr = async (
    branch: string,
    files: Record<string, string>,
    title: string,
    labels: string[],
    merge = true,
  ) => {
    await sim.commitFiles(REPO, { branch, files, message: title, author: 'alice' });
    const number = await sim.createPull({
      repo: REPO,
      head: branch,
      base: 'main',
      title,
      user: 'alice',
      labels,
    });
    if (merge) await sim.mergePull({ repo: REPO, number, method: 'squash', mergedBy: MAINTAINER });
    await settle();
    return number;
  };
  const backport = (source: number, target: string) =>
    sim.pulls(REPO).find((p) => p.pull?.headRef === `backport/${source}-to-${target}`);
  const conflictIssue = (source: number, target: string) =>
    sim.issues(REPO).find((i) => i.title === `Backport #${source} to ${target} needs manual adaptation`);

  const merged = await pr(
    'fix-error-types',
    { 'src/errors.ts': 'export class RateLimited extends Error {\n  readonly code = "rate-limited";\n}\n' },
    'Export a typed RateLimited error',
    [...BOTH, 'bug'],
  );
  for (const target of ['v2.0', 'v1.4']) {
    const p = backport(merged, target);
    if (p) await sim.mergePull({ repo: REPO, number: p.number, method: 'merge', mergedBy: MAINTAINER });
  }
  await settle();

  const open = await pr(
    'fix-validate-input',
    {
      'src/validate.ts':
        'export function assertTokens(n: number): void {\n  if (!(n > 0)) throw new RangeError("n must be positive");\n}\n',
    },
    'fix: reject non-positive token counts',
    BOTH,
  );
  const v20 = backport(open, 'v2.0');
  const v14 = backport(open, 'v1.4');
  if (v20)
    await sim.setCheckRuns(REPO, `refs/heads/${v20.pull!.headRef}`, [
      { name: 'ci', status: 'completed', conclusion: 'success' },
    ]);
  if (v14)
    await sim.setCheckRuns(REPO, `refs/heads/${v14.pull!.headRef}`, [
      { name: 'ci', status: 'completed', conclusion: 'failure' },
    ]);

  const docs = await pr(
    'docs-clock-skew',
    { 'README.md': `${README}\nWorks with any \`Clock\`, including a fake one in tests.\n` },
    'Document fake clocks',
    BOTH,
  );
  const dropped = conflictIssue(docs, 'v1.4');
  if (dropped) await sim.closeIssue(REPO, dropped.number, MAINTAINER, 'not_planned');

  const closed = await pr(
    'add-metrics',
    { 'src/metrics.ts': 'export const metrics = { taken: 0, refused: 0 };\n' },
    'Count taken and refused tokens',
    ['backport-to: v2.0'],
  );
  const unwanted = backport(closed, 'v2.0');
  if (unwanted) await sim.closePull(REPO, unwanted.number, MAINTAINER);

  await pr(
    'tidy-readme',
    { 'CONTRIBUTING.md': 'Run `npm test` before sending a PR.\n' },
    'Add contributing notes',
    ['no-backport'],
  );
  await pr(
    'fix-burst',
    { 'src/burst.ts': 'export const MAX_BURST = 100;\n' },
    'fix: cap bursts at 100 tokens',
    BOTH,
    false,
  );
  // A fix pushed straight to main, with no pull request to label.
  await sim.commitFiles(REPO, {
    branch: 'main',
    files: { 'src/interval.ts': 'export const MIN_INTERVAL_MS = 1;\n' },
    message: 'fix: clamp the refill interval\n\nA zero interval divided by zero.',
    author: 'bob',
  });
  await pr(
    'fix-zero-capacity',
    { 'src/capacity.ts': 'export const MIN_CAPACITY = 1;\n' },
    'Refuse a zero capacity',
    ['bug'],
  );
  await settle();
  return [
    "release managers' view: more pull requests landed so both branches show every ledger state " +
      '(merged, PR open with checks, conflict, abandoned, declined, requested) and missing fixes',
  ];
}
