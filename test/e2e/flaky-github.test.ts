// Issue 10's fault test: a tenth of every call to GitHub (REST and git, token requests included)
// fails with a 5xx or a 429, at random, while backports run. Every backport must still complete,
// with exactly one PR or conflict issue per (PR, target) and one status comment per PR.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import {
  backportPulls,
  conflictIssues,
  lines,
  makeRepo,
  mergedPull,
  statusComments,
  statusRows,
} from './world.js';

const PRS_PER_REPO = 5;
// A fixed seed by default, so a failure can be replayed; FAULT_SEED tries others.
const SEED = Number(process.env.FAULT_SEED ?? 20261206);

describe('GitHub failing one call in ten', () => {
  let h: Harness;
  beforeAll(async () => {
    // Jobs retry transient failures with a short backoff; the client's own waits are recorded
    // and shortened, so the test runs in seconds, not in GitHub's retry-after minutes.
    h = await startHarness({ fastRetry: {}, jobs: { maxAttempts: 12, backoffMs: 10 } });
  });
  afterAll(() => h.stop());

  it('completes every backport exactly once', async () => {
    const repos: { repo: string; numbers: number[] }[] = [];
    for (const name of ['flaky-a', 'flaky-b']) {
      const repo = await makeRepo(h.sim, name, {
        files: files(() => lines(20)),
        // v1.1 changed the line every fix will change, so each fix conflicts there.
        branches: { 'v1.2': null, 'v1.1': files(() => lines(20, { 7: 'hotfix on 1.1' })) },
      });
      repos.push({ repo, numbers: [] });
    }
    h.sim.faults.randomly({ rate: 0.1, statuses: [500, 502, 503, 429], seed: SEED });

    for (const entry of repos) {
      for (let i = 0; i < PRS_PER_REPO; i++) {
        // Each fix changes its own file: clean on v1.2, in conflict with v1.1's hotfix there.
        const { number } = await mergedPull(h.sim, entry.repo, {
          branch: `fix-${i}`,
          title: `Fix ${i}`,
          labels: ['backport-to: v1.2', 'backport-to: v1.1'],
          commits: [{ [`src/f${i}.c`]: lines(20, { 7: `fixed ${i}` }) }],
        });
        entry.numbers.push(number);
      }
    }
    await h.idle();
    const { seen, fired } = h.sim.faults.randomCounts;
    h.sim.faults.clear();

    // The faults did happen, at about the rate asked for.
    expect(fired).toBeGreaterThan(20);
    expect(fired / seen).toBeGreaterThan(0.05);
    for (const { repo, numbers } of repos) {
      for (const n of numbers) {
        expect(statusComments(h.sim, repo, n)).toHaveLength(1);
        const rows = statusRows(h.sim, repo, n);
        expect(rows.map((r) => [r.target, r.state]).sort()).toEqual([
          ['v1.1', 'conflict'],
          ['v1.2', 'opened'],
        ]);
        const pulls = backportPulls(h.sim, repo, 'v1.2').filter(
          (p) => p.pull!.headRef === `backport/${n}-to-v1.2`,
        );
        expect(pulls).toHaveLength(1);
        const issues = conflictIssues(h.sim, repo, 'v1.1').filter((i) => i.title.includes(`#${n} `));
        expect(issues).toHaveLength(1);
      }
      // Nothing the app made belongs to no request: no duplicates under other names either.
      expect(backportPulls(h.sim, repo)).toHaveLength(numbers.length);
      expect(conflictIssues(h.sim, repo)).toHaveLength(numbers.length);
    }
    expect(h.sim.pushLog.every((p) => p.ref.startsWith('refs/heads/backport/'))).toBe(true);
    expect(h.sim.violations).toEqual([]);
  });
});

/** One file per fix, `src/f0.c` …, each with the given content. */
function files(content: () => string): Record<string, string> {
  return Object.fromEntries(Array.from({ length: PRS_PER_REPO }, (_, i) => [`src/f${i}.c`, content()]));
}
