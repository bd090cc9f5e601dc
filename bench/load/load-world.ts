/**
 * The load benchmark's world: `repos` repositories with a `release` branch and `prs` open PRs
 * between them, each labelled `backport-to: release` and touching a file of its own, so every
 * backport is clean and no two backports of one repository conflict. `outcome` reads back
 * what the app made: complete pairs, and duplicates (never acceptable).
 */
import { findMarker } from '../../src/render/marker.js';
import { parseStatusComment } from '../../src/render/status-comment.js';
import type { GitHubSim } from '../../tools/github-sim/index.js';

export const LOAD_TARGET = 'release';

export interface LoadPull {
  repo: string;
  number: number;
}

/** Builds the world, several repositories at a time (the simulator's git work is the cost). */
export async function buildLoadWorld(sim: GitHubSim, prs: number, repos: number): Promise<LoadPull[]> {
  const perRepo = Array.from(
    { length: repos },
    (_, r) => Math.floor(prs / repos) + (r < prs % repos ? 1 : 0),
  );
  const pulls: LoadPull[][] = [];
  await inBatches(perRepo, 4, async (count, r) => {
    pulls[r] = await buildRepo(sim, `load-${r + 1}`, count);
  });
  return pulls.flat();
}

async function buildRepo(sim: GitHubSim, name: string, count: number): Promise<LoadPull[]> {
  const repo = `acme/${name}`;
  await sim.createRepo({ owner: 'acme', name });
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`src/f${i}.txt`] = `file ${i}\nline 2\nline 3\n`;
  await sim.commitFiles(repo, { branch: 'main', files, message: 'initial' });
  await sim.createBranch(repo, LOAD_TARGET, 'main');
  sim.addCollaborator(repo, 'maint', 'maintain');
  sim.addCollaborator(repo, 'alice', 'write');
  const pulls: LoadPull[] = [];
  for (let i = 0; i < count; i++) {
    await sim.commitFiles(repo, {
      branch: `fix-${i}`,
      files: { [`src/f${i}.txt`]: `file ${i}\nline 2 fixed\nline 3\n` },
      message: `Fix ${i}\n\nDetails of fix ${i}.`,
      author: 'alice',
    });
    const number = await sim.createPull({
      repo,
      head: `fix-${i}`,
      base: 'main',
      title: `Fix ${i}`,
      user: 'alice',
      labels: [`backport-to: ${LOAD_TARGET}`],
    });
    pulls.push({ repo, number });
  }
  return pulls;
}

/**
 * The burst: every repository merges its PRs one after the other (as a repository's main
 * branch moves one merge at a time), all repositories at once. Each merge delivers its
 * `pull_request.closed` webhook before the next one starts.
 */
export async function mergeBurst(sim: GitHubSim, pulls: readonly LoadPull[]): Promise<void> {
  const byRepo = new Map<string, LoadPull[]>();
  for (const p of pulls) byRepo.set(p.repo, [...(byRepo.get(p.repo) ?? []), p]);
  await Promise.all(
    [...byRepo.values()].map(async (list) => {
      for (const p of list)
        await sim.mergePull({ repo: p.repo, number: p.number, method: 'squash', mergedBy: 'maint' });
    }),
  );
}

export interface LoadOutcome {
  /** PRs with exactly one backport PR and an "opened" row in their one status comment. */
  complete: number;
  unfinished: string[];
  duplicates: string[];
}

export function loadOutcome(sim: GitHubSim, pulls: readonly LoadPull[]): LoadOutcome {
  const result: LoadOutcome = { complete: 0, unfinished: [], duplicates: [] };
  const botPulls = new Map<string, ReturnType<GitHubSim['pulls']>>();
  for (const { repo, number } of pulls) {
    const statuses = sim
      .comments(repo, number)
      .filter((c) => c.user === sim.botLogin && findMarker(c.body, 'status-comment'));
    if (statuses.length > 1) result.duplicates.push(`${repo}#${number}: ${statuses.length} status comments`);
    if (!botPulls.has(repo))
      botPulls.set(
        repo,
        sim.pulls(repo).filter((p) => p.user === sim.botLogin),
      );
    const made = botPulls
      .get(repo)!
      .filter((p) => p.pull!.headRef === `backport/${number}-to-${LOAD_TARGET}`);
    if (made.length > 1) result.duplicates.push(`${repo}#${number}: ${made.length} backport PRs`);
    const row = statuses[0]
      ? parseStatusComment(statuses[0].body).find((r) => r.target === LOAD_TARGET)
      : undefined;
    if (made.length === 1 && row?.state === 'opened' && row.link?.number === made[0]!.number)
      result.complete++;
    else result.unfinished.push(`${repo}#${number}: ${made.length} PRs, row ${row?.state ?? 'missing'}`);
  }
  return result;
}

async function inBatches<T>(
  items: readonly T[],
  width: number,
  run: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await run(items[i]!, i);
      }
    }),
  );
}
