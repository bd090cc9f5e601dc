import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';

/**
 * Marks the cache repository a partial clone, as `git clone --filter` does: its blobs (and,
 * with `tree:0`, trees) may be absent, and `origin` promises to send any of them. The marks
 * keep the cache an ordinary repository for git (`git fsck`, `git log -p` fetch what is
 * missing), and tell our own store that an absent object is to be fetched, never taken as
 * empty. A repository once fetched without trees stays marked so (`tree:0` is kept when a
 * later fetch is `blob:none`): its older commits still lack trees.
 */
export async function markPartial(gitdir: string, filter: 'blob:none' | 'tree:0'): Promise<void> {
  const marked = await git.getConfig({ fs, gitdir, path: 'remote.origin.partialclonefilter' });
  if (marked === filter || (marked === 'tree:0' && filter === 'blob:none')) return;
  await git.setConfig({ fs, gitdir, path: 'core.repositoryformatversion', value: '1' });
  await git.setConfig({ fs, gitdir, path: 'extensions.partialclone', value: 'origin' });
  await git.setConfig({ fs, gitdir, path: 'remote.origin.promisor', value: 'true' });
  await git.setConfig({ fs, gitdir, path: 'remote.origin.partialclonefilter', value: filter });
}

/** True when objects may be missing here and `origin` can send them. */
export async function isPartial(gitdir: string): Promise<boolean> {
  return (await git.getConfig({ fs, gitdir, path: 'remote.origin.promisor' })) === true;
}

/** A pack from the promisor remote: git lets the objects it names be missing (`<pack>.promisor`). */
export function markPromisorPack(gitdir: string, packName: string): void {
  fs.writeFileSync(path.join(gitdir, 'objects', 'pack', `${packName}.promisor`), '');
}
