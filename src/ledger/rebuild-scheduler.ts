/**
 * Rebuilds of the ledger from GitHub, per repository: one at a time for a repository, and
 * after a failure not again for a while (GitHub may be limiting us, and every webhook of
 * that repository would otherwise start another full listing).
 */
export class RebuildScheduler {
  private readonly running = new Map<string, Promise<void>>();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly retryAfterMs: number,
    private readonly onError: (repo: string, err: unknown) => void,
  ) {}

  /**
   * Runs `work` after any rebuild of the repository still going. `run` rejects with the
   * failure (for callers that wait on it); `settled` never rejects (for background tracking).
   */
  schedule(repo: string, work: () => Promise<void>): { run: Promise<void>; settled: Promise<void> } {
    const previous = this.running.get(repo) ?? Promise.resolve();
    const run = previous.then(work);
    const settled = run
      .then(() => void this.failedAt.delete(repo))
      .catch((err: unknown) => {
        this.failedAt.set(repo, Date.now());
        this.onError(repo, err);
      })
      .finally(() => {
        if (this.running.get(repo) === settled) this.running.delete(repo);
      });
    this.running.set(repo, settled);
    return { run, settled };
  }

  /** Whether an event may start a rebuild: none running, and no recent failure. */
  mayStart(repo: string): boolean {
    const failed = this.failedAt.get(repo);
    return !this.running.has(repo) && (failed === undefined || Date.now() - failed > this.retryAfterMs);
  }
}
