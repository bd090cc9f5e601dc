/** The figures one app benchmark run produces, as written to app-results.json. */
import type { AppUsage } from './bench-app.js';
import type { RepoStats } from '../engine/ensure-bench-repo.js';
import type { Target } from '../engine/engine-results.js';
import type { Summary } from '../engine/summarize.js';
import type { GitFetches } from './git-reference-fetch.js';
import type { Breakdown } from './request-timeline.js';

export interface BackportTiming {
  variant: string;
  kind: 'cold' | 'warm';
  round: number;
  pull: number;
  /** Whether the backport PR was opened (anything else is a failure of the run). */
  opened: boolean;
  /** Milliseconds from sending the webhook to the app's answer, to the PR, to the app idle. */
  toAnswerMs: number;
  toPrMs?: number;
  toIdleMs: number;
  /**
   * CPU time the app process used from the webhook to the PR (user + system; to idle when no
   * PR was opened): less at the mercy of a loaded machine than wall time, which also counts
   * waiting for a CPU.
   */
  appCpuMs: number;
  /**
   * CPU time the app process used from the webhook to idle: `appCpuMs` and the work a job
   * does after its PR (the status row, the whole walk of `bring-target-trees`), which the
   * wall time to idle shows only as waiting. It includes the job table's polling while the
   * bench waits for idle (a query every 20 ms).
   */
  appCpuToIdleMs: number;
  /** The 1-minute load average when the webhook was sent. */
  load1: number;
  fetchedBytes: number;
  pushedBytes: number;
  restCalls: number;
  gitRequests: number;
  /** Each fetch's upload-pack answer: bytes and milliseconds. */
  fetches: { bytes: number; ms: number }[];
  breakdown: Breakdown;
  /** Every request of the backport: start (ms after the webhook), duration, bytes moved. */
  requests: {
    at: number;
    ms: number;
    op: string;
    status: number;
    bytes: number;
    /** An upload-pack POST: what it asked for (`ls-refs`, `fetch blob:none deepen 2, 1 want`). */
    upload?: string;
  }[];
  profile?: string;
  error?: string;
}

export interface VariantResult {
  name: string;
  label: string;
  repo: RepoStats;
  copySeconds: number;
  cold: BackportTiming[];
  warm: BackportTiming[];
  /** The app's peak RSS: one figure per app process (each empty-cache round has its own). */
  peakRssBytes: number[];
  /** Per app process, as peakRssBytes: what memory held when it was ready and at the sampled peak. */
  memory?: AppUsage['memory'][];
  /** What the app's cache held on disk after the last round. */
  cacheBytes?: number;
  /** `git fetch` doing the app's two fetches against the same simulated repository. */
  gitReference?: Partial<GitFetches> & { filtered?: GitFetches; error?: string };
}

/** First picks in one environment, each followed by a bare `node -e 0` (see time-fresh-picks.ts). */
export interface FreshPickRuns {
  /** Each pick process's wall time (every case, every round). */
  ms: number[];
  /** Each `node -e 0` run's wall time, in the same environment: node's own start, the floor. */
  nodeMs: number[];
  /** The load average when the runs ended. */
  loadavg: number[];
}

/** `backport-assistant pick --dry-run`, one process per pick, on the generated repository. */
export interface FreshPicks extends FreshPickRuns {
  peakRssKb: number[];
  verdicts?: string[];
  error?: string;
  /** NODE_EXTRA_CA_CERTS of this environment, when set (node parses that bundle at every start). */
  extraCaCerts?: { file: string; certificates?: number };
  /** The same runs with NODE_EXTRA_CA_CERTS unset, measured only when this environment sets it. */
  withoutExtraCaCerts?: FreshPickRuns;
  /**
   * The same runs (NODE_EXTRA_CA_CERTS as given) with the CLI's compile cache off
   * (BACKPORT_DISABLE_COMPILE_CACHE): every run compiles the CLI's code, as the first after an
   * install or a Node upgrade does (which also writes the cache). Absent in older results.
   */
  withoutCompileCache?: FreshPickRuns;
}

export interface AppResults {
  createdAt: string;
  machine: { cpus: number; loadavg: number[]; node: string; git: string };
  options: {
    /** How the simulator starts its git processes (`--sim-git`); absent in older results: fork. */
    simGit?: 'spawner' | 'fork';
    latencyMs: number;
    coldRounds: number;
    warmRounds: number;
    freshPicks: number;
    profile: boolean;
    variants: string[];
  };
  variants: VariantResult[];
  summary: Record<
    string,
    { coldToPr?: Summary; warmToPr?: Summary; warmToIdle?: Summary; coldToIdle?: Summary }
  >;
  fresh?: FreshPicks;
  targets: Target[];
}
