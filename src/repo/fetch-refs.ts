import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { chooseHaves, ensureOrigin, transportError, type RemoteAccess } from './git-remote.js';
import { ObjectReader } from './storage/object-reader.js';
import { fetchPack } from './transport/fetch-pack.js';
import { discoverRefs } from './transport/ref-advertisement.js';
import { readShallow, updateShallow } from './transport/shallow-file.js';
import { TransportError } from './transport/transport-error.js';

const HEADS = 'refs/heads/';

/**
 * Fetches several refs in one round: one ref advertisement and one upload-pack request for all
 * of them, `depth` commits deep, as a thin pack against what the cache already has. Commits
 * already here are not asked for again, so an update that changed nothing costs only the
 * advertisement. Returns each ref's tip (undefined when the remote has no such ref); branches
 * are kept as `refs/remotes/origin/<branch>` (their later fetches start from there), other
 * refs (such as a pull request's test merge) are not recorded.
 */
export async function fetchRefs(
  gitdir: string,
  remote: RemoteAccess,
  refs: readonly string[],
  opts: { depth?: number } = {},
): Promise<Map<string, string | undefined>> {
  await ensureOrigin(gitdir, remote.url);
  const token = () => remote.token();
  const objects = new ObjectReader(gitdir);
  const tips = new Map<string, string | undefined>();
  try {
    const adv = await discoverRefs(remote.url, 'git-upload-pack', token);
    for (const ref of refs) tips.set(ref, adv.refs.get(ref));
    const want = [...new Set([...tips.values()].filter((t): t is string => t !== undefined))].filter(
      (oid) => objects.read(oid)?.type !== 'commit',
    );
    if (want.length > 0) {
      const result = await fetchPack({
        url: adv.url,
        token,
        serverCapabilities: adv.capabilities,
        want,
        depth: opts.depth,
        shallow: readShallow(gitdir),
        haves: await chooseHaves(gitdir, objects, '', undefined),
        packDir: path.join(gitdir, 'objects', 'pack'),
        readExternal: (oid) => objects.read(oid),
      });
      updateShallow(gitdir, result.shallow, result.unshallow);
      for (const oid of want) {
        if (objects.read(oid)?.type !== 'commit')
          throw new TransportError('the server did not send every ref');
      }
    }
  } catch (err) {
    throw transportError('fetch-failed', `Could not fetch ${refs.join(', ')}`, err);
  } finally {
    objects.close();
  }
  for (const [ref, tip] of tips) {
    if (tip !== undefined && ref.startsWith(HEADS)) {
      const local = `refs/remotes/origin/${ref.slice(HEADS.length)}`;
      await git.writeRef({ fs, gitdir, ref: local, value: tip, force: true });
    }
  }
  return tips;
}
