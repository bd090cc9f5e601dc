import fs from 'node:fs';
import path from 'node:path';
import { BackportError } from '../errors.js';

/**
 * Points `refs/heads/<name>` at a commit, as `git branch -f` does: the ref's new value is
 * written to `<ref>.lock`, created only if no one holds it, then renamed over the ref, so
 * that a reader sees the old value or the new one and two writers never interleave (the
 * second is refused, as git refuses it). A branch that is only in `packed-refs` gets a loose
 * ref, which git reads first. Written here rather than through isomorphic-git, which a pick
 * would otherwise load for this one file. `name` must be a valid branch name (checked by the
 * caller: see common/check-ref-name.ts).
 */
export function writeBranch(commondir: string, name: string, oid: string): void {
  const file = path.join(commondir, 'refs', 'heads', ...name.split('/'));
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let fd: number;
  try {
    fd = fs.openSync(lock, 'wx', 0o666);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new BackportError(
      'bad-argument',
      `cannot lock refs/heads/${name}: ${lock} exists (another git process is updating it, or one stopped halfway: remove the file if not).`,
      { branch: name },
    );
  }
  try {
    fs.writeSync(fd, `${oid}\n`);
    fs.closeSync(fd);
    fs.renameSync(lock, file);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      // Closed already.
    }
    fs.rmSync(lock, { force: true });
    throw err;
  }
}
