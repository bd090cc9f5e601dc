/**
 * The world of the durability tests: a few repositories, each with release branches, and
 * merged-to-be PRs that each backport cleanly to every branch (every PR touches a file of
 * its own). `outcome` reads back what the app made and lists every way it is not yet right.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMarker } from '../../../src/render/marker.js';
import { parseStatusComment } from '../../../src/render/status-comment.js';
import { startGitHubSim, type GitHubSim, type SimIssue } from '../../../tools/github-sim/index.js';
import { testAppKey } from '../../support/app-key.js';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { makeRepo, openPull } from '../world.js';
import { AppChild } from './app-child.js';
import { startFanOut } from './fan-out.js';

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
  // A test polls this every 100 ms while the app works: each repository's PRs and issues are
  // read (copied) once a call, not once per (PR, target), which made the polling itself
  // seconds of CPU beside the app it waits for.
  const byRepo = new Map<string, { pulls: SimIssue[]; issues: SimIssue[] }>();
  const of = (repo: string) => {
    let known = byRepo.get(repo);
    if (!known) {
      known = {
        pulls: sim.pulls(repo).filter((p) => p.user === sim.botLogin),
        issues: sim.issues(repo).filter((i) => i.user === sim.botLogin),
      };
      byRepo.set(repo, known);
    }
    return known;
  };
  for (const { repo, number } of pulls) {
    const statuses = sim
      .comments(repo, number)
      .filter((c) => c.user === sim.botLogin && findMarker(c.body, 'status-comment'));
    if (statuses.length > 1) result.duplicates.push(`${repo}#${number}: ${statuses.length} status comments`);
    const rows = statuses[0] ? parseStatusComment(statuses[0].body) : [];
    for (const target of TARGETS) {
      const made = of(repo).pulls.filter((p) => p.pull!.headRef === `backport/${number}-to-${target}`);
      const issues = of(repo).issues.filter((i) => {
        const marker = findMarker(i.body, 'conflict-issue');
        return marker?.source === number && marker.target === target;
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

/**
 * What one durability test starts and must end however it goes: the simulator, a scratch
 * directory (each app's cache and log), a PostgreSQL database when asked for, the app
 * processes (killed: a test may have left one mid-work) and a fan-out of webhooks.
 */
export class DurableRig {
  private readonly children: AppChild[] = [];
  private closeFanOut: (() => Promise<void>) | undefined;

  private constructor(
    readonly sim: GitHubSim,
    readonly dir: string,
    readonly db: TestDatabase | undefined,
  ) {}

  static async start(prefix: string, options: { postgres?: boolean } = {}): Promise<DurableRig> {
    const sim = await startGitHubSim({ appPrivateKey: testAppKey() });
    const dir = mkdtempSync(join(tmpdir(), prefix));
    try {
      const db = options.postgres ? await createTestDatabase() : undefined;
      return new DurableRig(sim, dir, db);
    } catch (err) {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** An app process (not started) with its cache in `<dir>/<name>/cache` and its log in `<dir>/<name>.log`. */
  child(name: string, port: number, env: Record<string, string> = {}): AppChild {
    const app = new AppChild(this.sim, {
      cacheDir: join(this.dir, name, 'cache'),
      databaseUrl: this.db?.url,
      port,
      logFile: join(this.dir, `${name}.log`),
      env,
    });
    this.children.push(app);
    return app;
  }

  /** The end of a child's log, for a failure message. */
  logOf(name: string): () => string {
    return () => readFileSync(join(this.dir, `${name}.log`), 'utf8').slice(-3000);
  }

  /** Delivers every webhook to each of `apps` (see fan-out.ts). */
  async fanOut(apps: readonly AppChild[]): Promise<void> {
    const fan = await startFanOut(() => apps.map((a) => a.url));
    this.closeFanOut = fan.close;
    this.sim.webhookUrl = fan.url;
  }

  async cleanUp(): Promise<void> {
    for (const child of this.children) {
      await child.kill();
      child.close();
    }
    await this.closeFanOut?.();
    await this.sim.stop();
    await this.db?.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
