/**
 * The world of the durability tests: a few repositories, each with release branches, and
 * merged-to-be PRs that each backport cleanly to every branch (every PR touches a file of
 * its own). `outcome` reads back what the app made and lists every way it is not yet right.
 */
import { findMarker } from '../../../src/render/marker.js';
import { parseStatusComment } from '../../../src/render/status-comment.js';
import type { GitHubSim } from '../../../tools/github-sim/index.js';
import { makeRepo, openPull } from '../world.js';

export const TARGETS = ['v1', 'v2'];

export interface PlannedPull {
  repo: string;
  number: number;
}

/** `repos` repositories with `perRepo` open PRs each, labelled for every target, not merged. */
export async function buildWorld(sim: GitHubSim, repos: number, perRepo: number): Promise<PlannedPull[]> {
  const pulls: PlannedPull[] = [];
  for (let r = 0; r < repos; r++) {
    const files: Record<string, string> = {};
    for (let i = 0; i < perRepo; i++) files[`src/f${i}.txt`] = `file ${i}\nline 2\nline 3\n`;
    const repo = await makeRepo(sim, 'durable', {
      files,
      branches: Object.fromEntries(TARGETS.map((t) => [t, null])),
    });
    for (let i = 0; i < perRepo; i++) {
      const number = await openPull(sim, repo, {
        branch: `fix-${i}`,
        title: `Fix ${i}`,
        commits: [{ [`src/f${i}.txt`]: `file ${i}\nline 2 fixed\nline 3\n` }],
        labels: TARGETS.map((t) => `backport-to: ${t}`),
      });
      pulls.push({ repo, number });
    }
  }
  return pulls;
}

export interface Outcome {
  /** (PR, target) pairs with exactly one backport PR and an "opened" row. */
  complete: number;
  /** Everything not right yet, one sentence each. */
  problems: string[];
  /** Duplicates: a second PR, issue or status comment. Never acceptable, even mid-run. */
  duplicates: string[];
}

export function outcome(sim: GitHubSim, pulls: readonly PlannedPull[]): Outcome {
  const result: Outcome = { complete: 0, problems: [], duplicates: [] };
  for (const { repo, number } of pulls) {
    const statuses = sim
      .comments(repo, number)
      .filter((c) => c.user === sim.botLogin && findMarker(c.body, 'status-comment'));
    if (statuses.length > 1) result.duplicates.push(`${repo}#${number}: ${statuses.length} status comments`);
    const rows = statuses[0] ? parseStatusComment(statuses[0].body) : [];
    for (const target of TARGETS) {
      const made = sim
        .pulls(repo)
        .filter((p) => p.user === sim.botLogin && p.pull!.headRef === `backport/${number}-to-${target}`);
      const issues = sim.issues(repo).filter((i) => {
        const marker = findMarker(i.body, 'conflict-issue');
        return i.user === sim.botLogin && marker?.source === number && marker.target === target;
      });
      if (made.length + issues.length > 1)
        result.duplicates.push(`${repo}#${number} → ${target}: ${made.length} PRs, ${issues.length} issues`);
      const row = rows.find((r) => r.target === target);
      if (made.length === 1 && row?.state === 'opened' && row.link?.number === made[0]!.number)
        result.complete++;
      else
        result.problems.push(
          `${repo}#${number} → ${target}: ${made.length} PRs, row ${row?.state ?? 'missing'}`,
        );
    }
  }
  return result;
}

/** Polls `check` until it answers true; throws with `describe()` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A small seeded generator (mulberry32), so the kill schedule is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
