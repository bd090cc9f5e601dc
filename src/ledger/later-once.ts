/**
 * One delayed call per key: asking again while one is pending does nothing. The ledger uses
 * it to look at a backport PR's checks once more while they are still running.
 */
export class LaterOnce {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly delayMs: number,
    private readonly run: (key: string) => void,
  ) {}

  schedule(key: string): void {
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.run(key);
    }, this.delayMs);
    // A pending re-check must not keep the process alive on shutdown.
    timer.unref?.();
    this.timers.set(key, timer);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
