import { readFileSync } from 'node:fs';

/**
 * CPU time a thread has run, in milliseconds, from Linux's `/proc/<pid>/schedstat` (its first
 * field is nanoseconds on a CPU): `self` is this process's main thread, a number a child's.
 * Exact for a thread that is waiting (a child blocked on its input); a running thread's own
 * figure is brought up to date only at scheduler ticks.
 * On a machine shared with other work, wall time also counts the time a thread waited for a
 * CPU; this does not. Undefined where there is no such file (not Linux).
 */
export function threadCpuMs(pid: number | 'self'): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/schedstat`, 'latin1');
    return Number(text.slice(0, text.indexOf(' '))) / 1e6;
  } catch {
    return undefined;
  }
}
