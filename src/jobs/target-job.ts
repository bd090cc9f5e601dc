import type { GhPull } from '../common/github-types.js';
import type { BackportConfig } from '../config/schema.js';
import type { Signature } from '../pick/types.js';
import type { Target } from '../plan/targets.js';
import type { GitHubClient } from '../publish/github-client.js';
import type { AskedPushRefs } from '../repo/git-remote.js';
import type { RemoteSession } from '../repo/remote-session.js';
import type { CachedRepository } from '../repo/repo-cache.js';
import type { StatusRow } from '../render/status-comment.js';
import type { PreparedSource } from './prepare-source.js';
import type { SourcePull } from './source-pull.js';

/** Everything one (PR, target) backport works with. */
export interface TargetJob {
  gh: GitHubClient;
  local: CachedRepository;
  /** The job's remote, with its one ref discovery. */
  remote: RemoteSession;
  config: BackportConfig;
  pr: SourcePull;
  source: PreparedSource;
  target: Target;
  /**
   * The backport PR an earlier run made (`findBackportPull`), when the job already asked for
   * it while the source was fetched; absent: `backportTarget` asks.
   */
  existing?: Promise<GhPull | undefined> | undefined;
  /**
   * The write of the job's first status rows ("in progress"), made while the target is
   * fetched and picked: awaited (it never rejects) before anything is published, so the
   * rows say "in progress" first, as when the job waited for it before the pick.
   */
  statusWritten?: Promise<void> | undefined;
  /**
   * The push's ref discovery, asked by the job beside its ls-refs, before the target's tip
   * was known: for a first push of a branch that is not there yet (see `backportTarget`).
   */
  pushRefs?: Promise<AskedPushRefs> | undefined;
  /** The status row recorded by an earlier run, if any (it names the conflict issue). */
  previous?: StatusRow | undefined;
  committer: Omit<Signature, 'timestamp' | 'timezoneOffset'>;
  /** The app's bot login: only what it wrote is the app's (markers can be copied). */
  appLogin: string;
  now(): Date;
  /** Commits picked before the PR's own (`/backport v1.2 with …`), listed in the PR body. */
  prerequisites?: readonly TakenPrerequisite[] | undefined;
}

/** A commit taken along before the PR's own, and the merged PR it came from when known. */
export interface TakenPrerequisite {
  sha: string;
  subject: string;
  pull?: number | undefined;
}

export type RowFields = Omit<StatusRow, 'target' | 'at'>;
export type MakeRow = (fields: RowFields) => StatusRow;

/** The commit signature of the app, dated now. */
export function committerNow(job: TargetJob): Signature {
  return { ...job.committer, timestamp: Math.floor(job.now().getTime() / 1000), timezoneOffset: 0 };
}
