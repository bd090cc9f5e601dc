import { expect } from '@jest/globals';
import type { Harness } from './app-harness.js';
import { backportPulls, conflictIssues, lines, makeRepo, statusComments, statusRow } from './world.js';

/**
 * What the tests of repeated webhooks and of repeated runs share: a repository whose v1.2 and
 * v1.3 take the fix cleanly and whose v1.1 conflicts, a way to wait until nothing is in flight,
 * and the promise both check: each (PR, target) ends with exactly one backport PR or one
 * conflict issue.
 */
export interface RepeatWorld {
  /** Until no webhook is in flight and no job is queued (jobs cause webhooks and vice versa). */
  quiet(): Promise<void>;
  world(name: string): Promise<string>;
  /** One PR per target and one conflict issue per conflicting target, in the repository. */
  expectOneEach(repo: string, number: number, clean: string[], conflicting?: string[]): void;
}

export function repeatWorld(h: Harness): RepeatWorld {
  return {
    async quiet() {
      for (let i = 0; i < 3; i++) {
        await h.sim.settle();
        await h.idle();
      }
    },

    world: (name) =>
      makeRepo(h.sim, name, {
        files: { 'src/calc.c': lines(20) },
        branches: {
          'v1.2': null,
          'v1.3': null,
          'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) },
        },
      }),

    expectOneEach(repo, number, clean, conflicting = []) {
      const pulls = backportPulls(h.sim, repo);
      expect(pulls.map((p) => p.pull!.baseRef).sort()).toEqual([...clean].sort());
      expect(conflictIssues(h.sim, repo).map((i) => i.title)).toEqual(
        conflicting.map((t) => `Backport #${number} to ${t} needs manual adaptation`),
      );
      expect(statusComments(h.sim, repo, number)).toHaveLength(1);
      for (const t of clean) {
        const pull = pulls.find((p) => p.pull!.baseRef === t)!;
        expect(statusRow(h.sim, repo, number, t)).toMatchObject({
          state: 'opened',
          link: { number: pull.number },
        });
      }
    },
  };
}
