import { conflictChoices, type Decision } from '../../src/resolve/index.js';
import { cherryPick } from '../../src/pick/cherry-pick.js';
import { findMarker } from '../../src/render/marker.js';
import { GitObjectStore } from '../../src/repo/storage/git-object-store.js';
import type { GitHubSim } from '../../tools/github-sim/index.js';
import type { SimIssue } from '../../tools/github-sim/state.js';
import { conflictIssues, lines, makeRepo, mergedPull } from './world.js';

/** A fix of line 7 that v1.1 changed too: one conflicting region in one file, and a clean file. */
export async function conflictedBackport(sim: GitHubSim, name: string, config = '') {
  const repo = await makeRepo(sim, name, {
    files: { 'src/calc.c': lines(20), 'src/ok.c': lines(5) },
    branches: { 'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) } },
    config,
  });
  const { number } = await mergedPull(sim, repo, {
    branch: 'fix',
    title: 'Fix overflow',
    labels: ['backport-to: v1.1'],
    commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }), 'src/ok.c': lines(5, { 1: 'ok fixed' }) }],
  });
  return { repo, number };
}

/** The conflict issue's decisions, computed the way the issue records the pick (its marker). */
export async function decisionsOf(sim: GitHubSim, repo: string, issue: SimIssue): Promise<Decision[]> {
  const marker = findMarker(issue.body, 'conflict-issue');
  if (!marker?.onto) throw new Error('the conflict issue does not record where it was picked');
  const store = new GitObjectStore(sim.repoPath(repo));
  const result = await cherryPick(store, {
    commits: marker.commits,
    onto: marker.onto,
    targetName: marker.branch,
  });
  if (result.status !== 'conflict') throw new Error('expected a conflict');
  return conflictChoices(store, result);
}

/** An answer choosing, for every decision, the first candidate of one of these kinds. */
export function answerWith(decisions: readonly Decision[], kinds: readonly string[]): string {
  return decisions
    .map((d) => {
      const c = d.candidates.find((x) => kinds.includes(x.kind));
      if (!c) throw new Error(`decision ${d.id} has none of ${kinds.join(', ')}`);
      return `${d.id}${c.id}`;
    })
    .join(' ');
}

export function theIssue(sim: GitHubSim, repo: string): SimIssue {
  const [issue] = conflictIssues(sim, repo, 'v1.1');
  if (!issue) throw new Error('no conflict issue');
  return issue;
}
