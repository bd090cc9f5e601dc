import { isBackportError } from '../../errors.js';
import type { CommitObject, ObjectStore } from '../../pick/object-store.js';

/** Why a history walk stopped before it was complete. */
export type Truncation = 'commits' | 'time' | 'shallow';

export interface WalkLimits {
  /**
   * Commits read at most, over the whole search (default 20,000: a release branch cut a year
   * before the picked commit is some 8,000 commits away in docker/cli, and reading them warm
   * takes about 150 ms; the time bound is what protects a server).
   */
  maxCommits?: number;
  /** Wall time at most, in milliseconds (default 2000). */
  maxMs?: number;
}

/**
 * The bound on one prerequisite search: every history walk reads its commits through here,
 * so a huge or shallow history makes the answer partial, and says so, instead of slow.
 */
export class WalkBudget {
  walked = 0;
  truncated: Truncation | undefined;
  private readonly maxCommits: number;
  private readonly deadline: number;

  constructor(
    private readonly store: ObjectStore,
    limits: WalkLimits = {},
  ) {
    this.maxCommits = limits.maxCommits ?? 20_000;
    this.deadline = performance.now() + (limits.maxMs ?? 2000);
  }

  /** True while the walk may go on. */
  ok(): boolean {
    if (this.truncated === 'commits' || this.truncated === 'time') return false;
    if (this.walked >= this.maxCommits) this.truncated = 'commits';
    else if (performance.now() > this.deadline) this.truncated = 'time';
    return this.truncated !== 'commits' && this.truncated !== 'time';
  }

  /** The commit, or undefined when it is missing (a shallow history's edge). */
  async commit(oid: string): Promise<CommitObject | undefined> {
    try {
      const commit = await this.store.readCommit(oid);
      this.walked++;
      return commit;
    } catch (err) {
      if (!isBackportError(err, 'unknown-revision')) throw err;
      this.truncated ??= 'shallow';
      return undefined;
    }
  }
}
