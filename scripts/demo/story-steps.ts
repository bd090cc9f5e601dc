/**
 * What people do on GitHub in the demo's history, one dated step each: a maintainer merges a
 * fix, merges or closes the backport PR the app opened, CI reports on it, an issue is dropped,
 * someone pushes to main. Steps name pull requests by their head branch (the numbers are
 * GitHub's to give); backport PRs and conflict issues are found as the app names them.
 */
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { MAINTAINER } from './demo-pull.js';
import { SAMPLE_REPO } from './sample-repo.js';

const REPO = SAMPLE_REPO;

export interface StoryContext {
  sim: GitHubSim;
  /** Source pull requests so far, by head branch. */
  sources: Map<string, number>;
}

export interface StoryStep {
  /** When it happens (UTC, ISO): GitHub's clock is moved there first. */
  at: string;
  run(ctx: StoryContext): Promise<void>;
}

/** A pull request against main: its head branch, one commit of files, title and labels. */
export interface Fix {
  branch: string;
  files: Record<string, string>;
  title: string;
  labels: string[];
  author?: string;
}

/**
 * The fix's PR opened with its labels, `reviewHours` before the maintainer squash-merges it
 * at `at`. Two steps, so whatever the app does on the open PR is done before the merge.
 */
export function mergeFix(at: string, fix: Fix, reviewHours = 3): StoryStep[] {
  const opened = new Date(Date.parse(at) - reviewHours * 3_600_000).toISOString();
  return [
    openFix(opened, fix),
    {
      at,
      run: async (ctx) => {
        const number = sourceOf(ctx, fix.branch);
        await ctx.sim.mergePull({ repo: REPO, number, method: 'squash', mergedBy: MAINTAINER });
      },
    },
  ];
}

/** The fix's PR opened with its labels, and not merged (yet). */
export function openFix(at: string, fix: Fix): StoryStep {
  return {
    at,
    run: async (ctx) => {
      await openPull(ctx, fix);
    },
  };
}

/** The backport PR of `branch`'s pull request to `target` merged. */
export function mergeBackport(at: string, branch: string, target: string): StoryStep {
  return {
    at,
    run: async (ctx) => {
      const number = backportOf(ctx, branch, target).number;
      await ctx.sim.mergePull({ repo: REPO, number, method: 'merge', mergedBy: MAINTAINER });
    },
  };
}

/** The backport PR of `branch`'s pull request to `target` closed without merging. */
export function closeBackport(at: string, branch: string, target: string): StoryStep {
  return {
    at,
    run: (ctx) => ctx.sim.closePull(REPO, backportOf(ctx, branch, target).number, MAINTAINER),
  };
}

/** CI finishes on the backport PR's head. */
export function ciResult(
  at: string,
  branch: string,
  target: string,
  conclusion: 'success' | 'failure',
): StoryStep {
  return {
    at,
    run: async (ctx) => {
      const head = backportOf(ctx, branch, target).pull!.headRef;
      await ctx.sim.setCheckRuns(REPO, `refs/heads/${head}`, [
        { name: 'ci', status: 'completed', conclusion },
      ]);
    },
  };
}

/** The conflict issue for `branch`'s pull request on `target` closed as not planned. */
export function dropConflict(at: string, branch: string, target: string): StoryStep {
  return {
    at,
    run: async (ctx) => {
      const title = `Backport #${sourceOf(ctx, branch)} to ${target} needs manual adaptation`;
      const issue = ctx.sim.issues(REPO).find((i) => i.title === title);
      if (!issue) throw new Error(`the story expected the issue "${title}", and the app filed none`);
      await ctx.sim.closeIssue(REPO, issue.number, MAINTAINER, 'not_planned');
    },
  };
}

/** A commit pushed straight to main: no pull request, so nothing to label. */
export function pushToMain(at: string, files: Record<string, string>, message: string): StoryStep {
  return {
    at,
    run: async (ctx) => {
      await ctx.sim.commitFiles(REPO, { branch: 'main', files, message, author: 'bob' });
    },
  };
}

async function openPull(ctx: StoryContext, fix: Fix): Promise<number> {
  const author = fix.author ?? 'alice';
  await ctx.sim.commitFiles(REPO, { branch: fix.branch, files: fix.files, message: fix.title, author });
  const number = await ctx.sim.createPull({
    repo: REPO,
    head: fix.branch,
    base: 'main',
    title: fix.title,
    user: author,
    labels: fix.labels,
  });
  ctx.sources.set(fix.branch, number);
  return number;
}

function sourceOf(ctx: StoryContext, branch: string): number {
  const n = ctx.sources.get(branch);
  if (n === undefined) throw new Error(`the story has no pull request from ${branch} yet`);
  return n;
}

function backportOf(ctx: StoryContext, branch: string, target: string) {
  const head = `backport/${sourceOf(ctx, branch)}-to-${target}`;
  const pull = ctx.sim.pulls(REPO).find((p) => p.pull?.headRef === head);
  if (!pull) throw new Error(`the story expected the app's backport PR ${head}, and there is none`);
  return pull;
}
