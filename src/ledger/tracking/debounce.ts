/**
 * A per-key debouncer: the tracking issue of a repository is rewritten once after a burst of
 * events, not once per event. A burst ends `waitMs` after its last event, but never later
 * than `maxWaitMs` after its first, so a steady stream still produces updates. Runs for one
 * key never overlap: an event during a run schedules one more run after it.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending update must not keep the process alive; shutdown calls flush() instead.
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface DebouncerOptions {
  run: (key: string) => Promise<void>;
  waitMs?: number;
  maxWaitMs?: number;
  clock?: Clock;
  /** Where a failed run is reported; it never reaches the event that triggered it. */
  onError?: (key: string, err: unknown) => void;
}

interface Burst {
  first: number;
  timer: unknown;
}

export class Debouncer {
  private readonly bursts = new Map<string, Burst>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly clock: Clock;
  private readonly waitMs: number;
  private readonly maxWaitMs: number;
  private closed = false;

  constructor(private readonly options: DebouncerOptions) {
    this.clock = options.clock ?? systemClock;
    this.waitMs = options.waitMs ?? 5_000;
    this.maxWaitMs = Math.max(options.maxWaitMs ?? 30_000, this.waitMs);
  }

  trigger(key: string): void {
    if (this.closed) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    const now = this.clock.now();
    const burst = this.bursts.get(key);
    const first = burst?.first ?? now;
    if (burst) this.clock.clearTimeout(burst.timer);
    const delay = Math.max(0, Math.min(this.waitMs, first + this.maxWaitMs - now));
    this.bursts.set(key, { first, timer: this.clock.setTimeout(() => this.fire(key), delay) });
  }

  /** Keys with an update scheduled or running. */
  pending(): string[] {
    return [...new Set([...this.bursts.keys(), ...this.running.keys()])].sort();
  }

  /** Runs every scheduled update now and waits until none is left (for shutdown and tests). */
  async flush(): Promise<void> {
    while (this.bursts.size > 0 || this.running.size > 0) {
      for (const [key, burst] of [...this.bursts]) {
        this.clock.clearTimeout(burst.timer);
        this.fire(key);
      }
      await Promise.all(this.running.values());
    }
  }

  /** Flushes, then ignores further events. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private fire(key: string): void {
    this.bursts.delete(key);
    const run = (async () => {
      try {
        await this.options.run(key);
      } catch (err) {
        this.options.onError?.(key, err);
      }
    })().finally(() => {
      this.running.delete(key);
      if (this.again.delete(key)) this.trigger(key);
    });
    this.running.set(key, run);
  }
}
