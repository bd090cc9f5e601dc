/**
 * The whole flow, offline. With the sample, GitHub's clock is scripted (dated history, the
 * app reading the same clock) and the app backports one target at a time, so every run
 * gives the same PR numbers, commits and dates. Steps:
 *   1. start the simulated GitHub and the app (Probot's middleware on a real HTTP server);
 *   2. build the repository: the built-in sample, or a copy of a local one;
 *   3. open the PR with `backport-to:` labels and squash-merge it (signed webhooks to the app);
 *   4. wait until the app has finished every backport it queued;
 *   5. with `--serve` and the sample: play twelve weeks of history so the release managers'
 *      view has every state and real latencies to show, and leave the app and its dashboard
 *      running;
 *   6. read back what the app created, then (without `--serve`) stop everything.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { BackportError } from '../../src/errors.js';
import { startHarness } from '../../test/e2e/app-harness.js';
import { startLedgerHarness } from '../../test/e2e/ledger-harness.js';
import type { GitHubSim } from '../../tools/github-sim/index.js';
import { playLedgerStory } from './ledger-story.js';
import { collectReport, type DemoReport } from './demo-report.js';
import { openAndMerge, type DemoPull } from './demo-pull.js';
import { inspectLocalRepo, prepareLocalRepo } from './local-repo-pull.js';
import { buildSampleRepo, SAMPLE_START } from './sample-repo.js';

export interface DemoOptions {
  repo?: string | undefined;
  commit?: string | undefined;
  to: string[];
  stateDir?: string | undefined;
  /** Keep the app and its dashboard running after the scenario (the release managers' view). */
  serve?: boolean | undefined;
}

export interface DemoRun {
  report: DemoReport;
  source: {
    repo: string;
    number: number;
    title: string;
    author: string;
    base: string;
    head: string;
    mergeCommitSha: string;
    labels: string[];
    url: string;
  };
  notes: string[];
  /** The app's error-level log lines, and requests the simulator found off GitHub's spec. */
  problems: string[];
  simUrl: string;
  stateDir?: string | undefined;
  seconds: number;
  /** With `serve`: the dashboard's address, and how to stop everything. */
  dashboardUrl?: string | undefined;
  stop?: (() => Promise<void>) | undefined;
}

/** What the demo needs from either harness: the plain app, or the app with its ledger. */
interface DemoEnv {
  sim: GitHubSim;
  logs: string[];
  settle(): Promise<void>;
  stop(): Promise<void>;
  dashboardUrl?: string;
}

async function startEnv(serve: boolean, stateDir: string | undefined, sample: boolean): Promise<DemoEnv> {
  const simOptions = { ...(stateDir ? { stateDir } : {}), ...(sample ? { startTime: SAMPLE_START } : {}) };
  // One backport at a time: jobs running side by side would take PR numbers and seconds of
  // GitHub's clock in either order.
  const concurrency = 1;
  if (serve) {
    // The tracking issue is written when the demo settles, not after a debounce window.
    const h = await startLedgerHarness({ sim: simOptions, debounceMs: 3_600_000, concurrency });
    return {
      sim: h.sim,
      logs: h.logs,
      settle: () => h.settle(),
      stop: () => h.stop(),
      dashboardUrl: `${h.url}/backport/`,
    };
  }
  const h = await startHarness({ ...simOptions, concurrency });
  return { sim: h.sim, logs: h.logs, settle: () => h.idle(), stop: () => h.stop() };
}

export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const started = performance.now();
  // Mistakes about the repository are reported before anything starts or is copied.
  const local = options.repo
    ? await inspectLocalRepo({ path: options.repo, commit: options.commit, targets: options.to })
    : undefined;
  const stateDir = options.stateDir ? prepareStateDir(options.stateDir) : undefined;
  const h = await startEnv(Boolean(options.serve), stateDir, !local);
  let keepRunning = false;
  try {
    const { sim } = h;
    let pull: DemoPull;
    if (local) {
      pull = await prepareLocalRepo(sim, local);
    } else {
      pull = await buildSampleRepo(sim);
      if (options.to.length > 0) {
        for (const t of options.to) {
          if (!(await sim.resolve(pull.repo, `refs/heads/${t}`))) {
            throw new BackportError(
              'missing-branch',
              `The sample repository has no branch '${t}' (it has ${pull.targets.join(', ')}).`,
              { branch: t },
            );
          }
        }
        pull = { ...pull, targets: options.to };
      }
    }
    const merged = await openAndMerge(sim, pull, () => h.settle());
    await h.settle();
    const notes = [...pull.notes];
    if (options.serve && !local) {
      const demo = { head: pull.head, number: merged.number };
      notes.push(...(await playLedgerStory(sim, () => h.settle(), demo)));
    }
    const report = await collectReport(sim, pull.repo);
    const problems = [
      ...h.logs
        .map((line) => JSON.parse(line) as { level?: string; msg?: string; err?: { message?: string } })
        .filter((l) => l.level === 'error' || l.level === 'fatal')
        .map((l) => `app error: ${l.msg ?? ''}${l.err?.message ? `: ${l.err.message}` : ''}`),
      ...sim.violations.map((v) => `off-spec ${v.kind} ${v.operationId}: ${v.message}`),
    ];
    keepRunning = Boolean(options.serve);
    return {
      report,
      source: {
        repo: pull.repo,
        number: merged.number,
        title: pull.title,
        author: pull.author,
        base: pull.base,
        head: pull.head,
        mergeCommitSha: merged.mergeCommitSha,
        labels: merged.labels,
        url: `${sim.apiUrl}/${pull.repo}/pull/${merged.number}`,
      },
      notes,
      problems,
      simUrl: sim.apiUrl,
      stateDir,
      seconds: (performance.now() - started) / 1000,
      ...(options.serve ? { dashboardUrl: h.dashboardUrl, stop: () => h.stop() } : {}),
    };
  } finally {
    if (!keepRunning) await h.stop();
  }
}

/** The simulator keeps its repositories and a `sim-state.json` there; it wants a fresh folder. */
function prepareStateDir(dir: string): string {
  const path = resolve(dir);
  if (existsSync(path) && readdirSync(path).length > 0) {
    throw new BackportError('bad-argument', `--state-dir ${path} is not empty; give a new or empty folder.`, {
      path,
    });
  }
  mkdirSync(path, { recursive: true });
  return path;
}
