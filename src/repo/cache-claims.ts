import fs from 'node:fs';
import path from 'node:path';

/**
 * Which processes use which repository of one cache directory.
 *
 * Several processes may share a cache directory: the default is one path under the system
 * temp dir, so two app instances, or the app and the CLI, on one host meet there. A
 * per-process directory would avoid that, but that directory also holds the embedded job
 * queue and ledger, which a restart must find again, and a fresh git cache per start would
 * leave the old ones behind, outside any budget. So the directory stays shared, and each
 * process that uses a repository leaves a marker naming its pid in `<root>/.in-use/`.
 * Another process evicts a repository only when no live process has a marker on it; a
 * marker whose pid is dead is stale (a crash) and is deleted.
 *
 * Taking a marker and the evictor's "no marker, so rename it aside" are each done under
 * one lock file for the whole directory (created exclusively, as git's own `.lock` files),
 * else a process could take its marker between the evictor's check and its rename. The
 * lock is held only over a few synchronous calls, never across an `await`, so a process
 * never waits for itself, and one that died holding it is seen by its dead pid, or by age.
 */
export class CacheClaims {
  private readonly lockPath: string;
  private readonly markers: string;
  private breaks = 0;

  constructor(root: string) {
    this.lockPath = path.join(root, LOCK);
    this.markers = path.join(root, IN_USE);
  }

  /** Runs `work` (synchronous) while no other process changes markers or evicts. */
  async locked<T>(work: () => T): Promise<T> {
    for (;;) {
      if (this.tryLock()) {
        try {
          return work();
        } finally {
          fs.rmSync(this.lockPath, { force: true });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** This process uses the repository `key` (`owner+repo.git`). Call under `locked`. */
  claim(key: string): void {
    fs.mkdirSync(this.markers, { recursive: true });
    fs.writeFileSync(path.join(this.markers, `${key}.${process.pid}`), '');
  }

  /** This process no longer uses `key`. Dropping a marker only allows eviction: no lock needed. */
  unclaim(key: string): void {
    fs.rmSync(path.join(this.markers, `${key}.${process.pid}`), { force: true });
  }

  /** Whether a live process other than this one has a marker on `key`; stale ones are deleted. */
  usedElsewhere(key: string): boolean {
    let used = false;
    for (const name of readNames(this.markers)) {
      const dot = name.lastIndexOf('.');
      if (name.slice(0, dot) !== key) continue;
      const pid = Number(name.slice(dot + 1));
      if (pid === process.pid) continue;
      if (alive(pid)) used = true;
      else fs.rmSync(path.join(this.markers, name), { force: true });
    }
    return used;
  }

  private tryLock(): boolean {
    try {
      fs.writeFileSync(this.lockPath, String(process.pid), { flag: 'wx' });
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The cache root may not exist yet (on PostgreSQL no SQLite file creates it first).
      if (code === 'ENOENT') {
        fs.mkdirSync(path.dirname(this.lockPath), { recursive: true });
        return false;
      }
      if (code !== 'EEXIST') throw err;
    }
    if (this.stale(this.lockPath)) this.breakLock();
    return false;
  }

  /**
   * Moves a stale lock aside before deleting it, and deletes only if what it moved is
   * still stale: two processes breaking the same lock must not delete the fresh one that
   * the first of them took meanwhile. A fresh one moved by mistake is put back.
   */
  private breakLock(): void {
    const aside = `${this.lockPath}.${process.pid}.${++this.breaks}`;
    try {
      fs.renameSync(this.lockPath, aside);
    } catch {
      return;
    }
    if (!this.stale(aside)) {
      try {
        fs.linkSync(aside, this.lockPath);
      } catch {
        // Someone took the lock meanwhile: theirs stands, and the holder we moved finishes
        // its few synchronous calls without it. Needs a crash and three processes at once.
      }
    }
    fs.rmSync(aside, { force: true });
  }

  private stale(file: string): boolean {
    try {
      const pid = fs.readFileSync(file, 'utf8');
      // Held over a few synchronous calls: one older than this outlived its holder, even
      // if its pid was reused by a live process since.
      if (Date.now() - fs.statSync(file).mtimeMs > STALE_LOCK_MS) return true;
      // Empty: created but not yet filled by its holder.
      return pid !== '' && !alive(Number(pid));
    } catch {
      // Gone: released meanwhile.
      return false;
    }
  }
}

/** Markers, in the cache root; not `<owner>/<repo>.git`, so never taken for a repository. */
const IN_USE = '.in-use';
const LOCK = '.repos.lock';
const STALE_LOCK_MS = 10_000;

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readNames(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
