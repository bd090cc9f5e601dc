import os from 'node:os';
import path from 'node:path';

/** Settings of the running app, from environment variables (documented in README and .env.example). */
export interface AppSettings {
  /** BACKPORT_CACHE_DIR: where the per-repository git caches live. */
  cacheDir: string;
  /** BACKPORT_CONCURRENCY: repositories worked on at once. */
  concurrency: number;
  /** BACKPORT_COMMITTER: "Name <email>" recorded as committer of backport commits. */
  committer: { name: string; email: string };
}

export function readSettings(env: NodeJS.ProcessEnv): AppSettings {
  const committer = /^\s*([^<>]+?)\s*<([^<>]+)>\s*$/.exec(env.BACKPORT_COMMITTER ?? '');
  const concurrency = Number(env.BACKPORT_CONCURRENCY ?? 4);
  return {
    cacheDir: env.BACKPORT_CACHE_DIR || path.join(os.tmpdir(), 'backport-assistant-cache'),
    concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 4,
    committer: committer
      ? { name: committer[1]!, email: committer[2]! }
      : { name: 'backport-assistant[bot]', email: 'backport-assistant[bot]@users.noreply.github.com' },
  };
}
