import { expect } from '@jest/globals';
import type { SimIssue } from '../../tools/github-sim/index.js';
import type { Harness } from './app-harness.js';
import { backportPulls, commitsOnTop, fix, mergedPull } from './world.js';

/**
 * What the suites of a target that moves under a backport job share (bad-input's races,
 * conflict-race): merging the fix while hooks wait to move targets, and the checks of where
 * the app's commits and pushes ended up.
 */

/** A hook armed on the simulator: a move (see `moveAfterFetch`), or a watch that moves nothing. */
export interface Armed {
  restore(): void;
  /** The target's new tip, once moved. */
  moved?(): string | undefined;
}

/**
 * Merges the fix with `labels` while `armed` hooks wait, waits for the app, checks that every
 * move was made, and runs `check`. The hooks are restored whatever happens, last armed first
 * (each restore puts back what it wrapped); then the simulator must have seen no request that
 * breaks GitHub's contract.
 */
export async function backportWhileMoving(
  h: Harness,
  repo: string,
  labels: string[],
  armed: readonly Armed[],
  check: (merged: { number: number; mergeSha: string }) => Promise<void> | void,
): Promise<void> {
  try {
    const merged = await mergedPull(h.sim, repo, fix(labels));
    await h.idle();
    for (const hook of armed) if (hook.moved) expect(hook.moved()).toBeDefined();
    await check(merged);
  } finally {
    for (const hook of [...armed].reverse()) hook.restore();
  }
  expect(h.sim.violations).toEqual([]);
}

/** The one backport PR to `target`, checked to be a draft or not, with its branch's ref and tip. */
export async function theBackportPull(
  h: Harness,
  repo: string,
  target: string,
  draft: boolean,
): Promise<{ pull: SimIssue; ref: string; tip: string }> {
  const pulls = backportPulls(h.sim, repo, target);
  expect(pulls).toHaveLength(1);
  expect(pulls[0]!.pull!.draft).toBe(draft);
  const ref = `refs/heads/${pulls[0]!.pull!.headRef}`;
  return { pull: pulls[0]!, ref, tip: (await h.sim.resolve(repo, ref))! };
}

/**
 * `tip` is one commit on `onto` (its only parent); given `mergeSha`, a commit whose message
 * says it was cherry-picked from it.
 */
export async function expectOneCommitOn(
  h: Harness,
  repo: string,
  onto: string,
  tip: string,
  mergeSha?: string,
): Promise<void> {
  const ours = await commitsOnTop(h.sim, repo, onto, tip);
  expect(ours.parents).toEqual([onto]);
  if (mergeSha !== undefined) {
    expect(ours.messages).toEqual([expect.stringContaining(`(cherry picked from commit ${mergeSha})`)]);
  }
}

/**
 * The only pushes to `repo` were two accepted ones to `ref`: a commit on `oldTip` (the branch
 * went out before the move was seen), then `tip` over exactly it. Returns the first commit.
 */
export async function expectPushedOver(
  h: Harness,
  repo: string,
  ref: string,
  oldTip: string,
  tip: string,
): Promise<string> {
  const pushes = h.sim.pushLog.filter((p) => p.repo === repo);
  expect(pushes.map((p) => [p.ref, p.accepted])).toEqual([
    [ref, true],
    [ref, true],
  ]);
  await expectOneCommitOn(h, repo, oldTip, pushes[0]!.new);
  expect(pushes[1]).toMatchObject({ old: pushes[0]!.new, new: tip });
  return pushes[0]!.new;
}
