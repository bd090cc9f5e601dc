import fs from 'node:fs';
import path from 'node:path';

/** The commits whose parents this repository does not have (`$GIT_DIR/shallow`). */
export function readShallow(gitdir: string): string[] {
  try {
    return fs
      .readFileSync(path.join(gitdir, 'shallow'), 'latin1')
      .split('\n')
      .filter((l) => /^[0-9a-f]{40}$/.test(l));
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw err;
  }
}

/**
 * Records what a fetch changed, as git does: commits the server made shallow are added,
 * commits it deepened past are removed; the file is sorted, replaced in one rename, and
 * removed when nothing is shallow any more.
 */
export function updateShallow(gitdir: string, added: readonly string[], removed: readonly string[]): void {
  if (added.length === 0 && removed.length === 0) return;
  const set = new Set(readShallow(gitdir));
  for (const oid of added) set.add(oid);
  for (const oid of removed) set.delete(oid);
  const file = path.join(gitdir, 'shallow');
  if (set.size === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  const tmp = `${file}.lock`;
  fs.writeFileSync(
    tmp,
    [...set]
      .sort()
      .map((oid) => `${oid}\n`)
      .join(''),
  );
  fs.renameSync(tmp, file);
}
