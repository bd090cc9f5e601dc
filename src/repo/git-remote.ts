import fs from 'node:fs';
import git from 'isomorphic-git';
import { BackportError } from '../errors.js';
import { listRefNames, readRef } from './read-ref.js';
import { parseCommit } from './storage/object-format.js';
import { ObjectReader } from './storage/object-reader.js';
import { fetchInto } from './fetch-into.js';
import { RemoteSession, type RemoteAccess } from './remote-session.js';
import { objectsToPush } from './transport/objects-to-push.js';
import { writePack } from './transport/pack-writer.js';
import { discoverRefs, type RefAdvertisement } from './transport/ref-advertisement.js';
import type { PushReport } from './transport/report-status.js';
import { sendPack } from './transport/send-pack.js';
import { TransportError } from './transport/transport-error.js';

export type { RemoteAccess } from './remote-session.js';

const ZERO_OID = '0'.repeat(40);
/** Haves beyond the asked-for one and the branch's own previous tip: enough to find overlap, few bytes. */
const MAX_OTHER_HAVES = 8;
/** How far back a non-forced push looks for the remote's tip among the new commit's ancestors. */
const MAX_ANCESTRY_WALK = 10_000;

/**
 * Fetches one branch (only that branch, to `depth` commits) into the cache repository and
 * returns its tip, or undefined when the remote has no such branch. `have` names a commit
 * already here whose objects the server may leave out (a related branch's tip); with the
 * branch's previous tip and the other remote-tracking tips it goes to the server as `have`
 * lines, and the server answers with a thin pack: only what is new, as deltas against what
 * is here. The pack is indexed with native zlib and SHA-1 (see `transport/pack-indexer.ts`).
 *
 * Given a `RemoteSession`, the tip comes from the job's one ref discovery, and a one-deep
 * fetch of a tip that is already here sends nothing at all. With `partial`, a server that
 * speaks protocol v2 and offers `filter` sends commits and trees only (`filter blob:none`):
 * the store fetches the blobs a pick reads, in batches (see `fetch-missing-objects.ts`).
 * With `treeless` too, a repository with no commit to offer as a `have` (an empty cache,
 * where `blob:none` would bring every tree of the tip) gets commits and their root trees
 * only (`filter tree:1`): the caller brings the trees it reads with `prefetchTrees`.
 */
export async function fetchBranch(
  gitdir: string,
  remote: RemoteAccess | RemoteSession,
  branch: string,
  opts: { depth?: number; have?: string; partial?: boolean; treeless?: boolean } = {},
): Promise<string | undefined> {
  const session = remote instanceof RemoteSession ? remote : new RemoteSession(remote);
  const local = `refs/remotes/origin/${branch}`;
  await ensureOrigin(gitdir, session.remote.url);
  const objects = new ObjectReader(gitdir);
  let tip: string | undefined;
  try {
    const found = await session.discovery(`refs/heads/${branch}`);
    tip = found.refs.get(`refs/heads/${branch}`);
    if (tip === undefined) return undefined;
    if (opts.depth !== 1 || objects.read(tip)?.type !== 'commit') {
      await fetchInto(gitdir, objects, session, found, {
        want: tip,
        depth: opts.depth,
        haves: await chooseHaves(gitdir, objects, local, opts.have),
        partial: opts.partial ?? false,
        treeless: opts.treeless ?? false,
      });
    }
    if (objects.read(tip)?.type !== 'commit') throw new TransportError('the server did not send the branch');
  } catch (err) {
    throw transportError('fetch-failed', `Could not fetch ${branch}`, err);
  } finally {
    objects.close();
  }
  await git.writeRef({ fs, gitdir, ref: local, value: tip, force: true });
  return tip;
}

/** The commit a remote branch points at right now, or undefined. */
export async function remoteTip(
  remote: RemoteAccess | RemoteSession,
  branch: string,
): Promise<string | undefined> {
  try {
    const session = remote instanceof RemoteSession ? remote : new RemoteSession(remote);
    return await session.tip(branch);
  } catch (err) {
    throw transportError('fetch-failed', `Could not list ${branch}`, err);
  }
}

/**
 * Pushes `commit` to `branch` on the remote. The pack holds only the objects the app wrote
 * (see `transport/objects-to-push.ts`): everything else came from the remote, so a backport
 * costs only its new objects. `base` names the branch the new commits sit on; the remote
 * has its objects, which is what makes that so (kept for callers, no longer consulted).
 * The update names the tip the server advertised, so a branch that moves meanwhile is
 * refused rather than overwritten unseen; without `force`, a tip that is not an ancestor
 * of `commit` is refused before anything is sent.
 *
 * `unlessMoved` names a branch (the target) and the tip the commit was made on: when the
 * push's own ref advertisement shows that branch elsewhere, nothing is sent and the answer
 * is `'moved'`, so the caller can pick again on the new tip. This costs no request of its
 * own: receive-pack advertises every ref anyway. The advertisement may have been asked for
 * already (`advertised`, from `askPushRefs` while the commit was being made): it is the
 * push's one discovery either way, and the update still names the old tip it shows.
 * An advertisement asked before the target's tip was known (the job's, beside its ls-refs)
 * comes with `lookAgain`: the target is looked at once more beside the push's POST, and
 * `'pushed-then-moved'` says the branch went out on a tip that is no longer the target's
 * (no PR is opened on it: the caller picks again, or takes the branch back).
 */
export async function pushBranch(
  gitdir: string,
  remote: RemoteAccess | RemoteSession,
  opts: {
    branch: string;
    commit: string;
    base: string;
    force: boolean;
    unlessMoved?: MoveGuard | undefined;
  },
): Promise<'pushed' | 'moved' | 'pushed-then-moved'> {
  if (remote instanceof RemoteSession) remote = remote.remote;
  const ref = `refs/heads/${opts.branch}`;
  await git.writeRef({ fs, gitdir, ref, value: opts.commit, force: true });
  const token = () => remote.token();
  let report;
  let again: Promise<string | undefined> | undefined;
  const guard = opts.unlessMoved;
  try {
    const adv = await (guard?.advertised ?? discoverRefs(remote.url, 'git-receive-pack', token));
    if (guard && adv.refs.get(`refs/heads/${guard.branch}`) !== guard.tip) return 'moved';
    if (guard?.vetted && adv.refs.get(ref) !== guard.vetted.tip) {
      // Not what the caller checked was its own: someone changed the branch between the two.
      throw new BackportError(
        'push-rejected',
        `The push to ${opts.branch} was rejected: the branch changed meanwhile.`,
        { branch: opts.branch },
      );
    }
    const old = adv.refs.get(ref) ?? ZERO_OID;
    // Beside the POST, not before it: the push's round trip is the look's too.
    if (guard?.lookAgain) {
      again = guard.lookAgain();
      again.catch(() => undefined);
    }
    if (old !== opts.commit) {
      if (!opts.force && old !== ZERO_OID && !isAncestor(gitdir, old, opts.commit)) {
        throw new BackportError(
          'push-rejected',
          `The push to ${opts.branch} was rejected: the branch changed meanwhile.`,
          { branch: opts.branch },
        );
      }
      const pack = writePack(objectsToPush(gitdir, opts.commit));
      ({ report } = await sendPack({
        url: adv.url,
        token,
        serverCapabilities: adv.capabilities,
        ref,
        old,
        new: opts.commit,
        pack,
      }));
    }
  } catch (err) {
    if (err instanceof BackportError) throw err;
    throw transportError('push-rejected', `Could not push ${opts.branch}`, err);
  }
  const refused = refusal(report, ref);
  if (refused !== undefined) {
    throw new BackportError('push-rejected', `The push to ${opts.branch} was rejected: ${refused}.`, {
      branch: opts.branch,
    });
  }
  await git.writeRef({
    fs,
    gitdir,
    ref: `refs/remotes/origin/${opts.branch}`,
    value: opts.commit,
    force: true,
  });
  if (again) {
    let now: string | undefined;
    try {
      now = await again;
    } catch (err) {
      throw transportError('fetch-failed', `Could not list ${guard!.branch}`, err);
    }
    if (now !== guard!.tip) return 'pushed-then-moved';
  }
  return 'pushed';
}

/**
 * Deletes the app's `branch` on the remote, if it still points at `commit` (the app's own
 * push; anything else there is left alone). For a branch pushed on a target that had moved,
 * when the pick made again on the new tip has nothing left to push.
 */
export async function deleteBranch(
  remote: RemoteAccess | RemoteSession,
  branch: string,
  commit: string,
): Promise<void> {
  if (remote instanceof RemoteSession) remote = remote.remote;
  const ref = `refs/heads/${branch}`;
  const token = () => remote.token();
  let report;
  try {
    const adv = await discoverRefs(remote.url, 'git-receive-pack', token);
    if (adv.refs.get(ref) !== commit) return;
    ({ report } = await sendPack({
      url: adv.url,
      token,
      serverCapabilities: adv.capabilities,
      ref,
      old: commit,
      new: ZERO_OID,
      pack: Buffer.alloc(0),
    }));
  } catch (err) {
    throw transportError('push-rejected', `Could not delete ${branch}`, err);
  }
  const refused = refusal(report, ref);
  if (refused !== undefined)
    throw new BackportError('push-rejected', `Could not delete ${branch}: ${refused}.`, { branch });
}

/**
 * Why the server refused `ref` in its push report (a protected branch, a hook), in its words;
 * undefined when it took it, or when nothing was sent.
 */
function refusal(report: PushReport | undefined, ref: string): string | undefined {
  if (!report || (report.unpack === 'ok' && report.refs.has(ref) && report.refs.get(ref) === undefined))
    return undefined;
  return report.refs.get(ref) ?? (report.unpack !== 'ok' ? report.unpack : 'unknown reason');
}

/** The target a commit was made on, and its tip then: a push that sees it elsewhere sends nothing. */
export interface MoveGuard {
  branch: string;
  tip: string;
  /** The push's ref advertisement, asked for ahead (`askPushRefs`); absent: the push asks. */
  advertised?: Promise<RefAdvertisement> | undefined;
  /**
   * The pushed branch as the caller saw it when it checked the branch was its own to
   * overwrite (undefined tip: absent). The advertisement is a second look, asked apart:
   * showing the branch elsewhere, the push is refused, so a branch someone made between the
   * two looks is never overwritten by a forced push.
   */
  vetted?: { tip: string | undefined } | undefined;
  /**
   * The target's tip, looked at anew: asked beside the push's POST when `advertised` was
   * asked before the target's tip was known, so a target that moved meanwhile is still seen.
   */
  lookAgain?: (() => Promise<string | undefined>) | undefined;
}

/** The push's ref discovery, asked ahead (`askPushRefs`). */
export interface AskedPushRefs {
  advertised: Promise<RefAdvertisement>;
}

/**
 * Starts the ref discovery a push makes (`GET info/refs?service=git-receive-pack`), for
 * `pushBranch`'s `unlessMoved.advertised`: answered while the pick is made, it is not a
 * round trip after it. A job asks it beside its ls-refs, for the first push of a branch that
 * is not there yet: then the target is looked at again beside the push (`lookAgain`), or a
 * target that moved while the source was fetched would go unseen (66667ae, 69df12c). Other
 * pushes ask it once the target's tip is in the cache. Either way the guard compares the
 * target's tip in it with the one picked on (a target that moved is picked on again), and
 * `vetted` the app's branch.
 * A failure surfaces in the push that awaits it (and is nobody's when nothing is pushed).
 *
 * Resolves once the request is on the wire (or failed): a pick is CPU work whose awaits
 * never yield to the event loop, so a request merely started would go out after it.
 */
export async function askPushRefs(remote: RemoteAccess | RemoteSession): Promise<AskedPushRefs> {
  const access = remote instanceof RemoteSession ? remote.remote : remote;
  let sent!: () => void;
  const onWire = new Promise<void>((resolve) => (sent = resolve));
  const advertised = discoverRefs(access.url, 'git-receive-pack', () => access.token(), sent);
  advertised.catch(() => undefined);
  await Promise.race([
    onWire,
    advertised.then(
      () => undefined,
      () => undefined,
    ),
  ]);
  return { advertised };
}

/**
 * Commits to name as `have`: the one asked for, the branch's previous tip, then a few other
 * remote-tracking tips; only those that are here (a have the repository lacks would make
 * the server leave out objects it needs).
 */
export async function chooseHaves(
  gitdir: string,
  objects: ObjectReader,
  local: string,
  have: string | undefined,
): Promise<string[]> {
  const others: string[] = [];
  // Read synchronously (see `listRefNames`): the fetch that waits for these goes out sooner.
  const names = listRefNames(gitdir, 'refs/remotes/origin');
  // Shallow names first (main, v1.2 before backport/12-to-v1.2): long-lived branches share the most.
  names.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  for (const name of names) {
    if (others.length >= MAX_OTHER_HAVES) break;
    const ref = `refs/remotes/origin/${name}`;
    if (ref === local || name === 'HEAD') continue;
    const oid = readRef(gitdir, ref);
    if (oid) others.push(oid);
  }
  const candidates = [have, local ? readRef(gitdir, local) : undefined, ...others];
  const haves: string[] = [];
  for (const oid of candidates) {
    if (!oid || haves.includes(oid)) continue;
    try {
      if (objects.read(oid)?.type === 'commit') haves.push(oid);
    } catch {
      // An unreadable commit is no use as a have.
    }
  }
  return haves;
}

/**
 * True when the cache has a commit to offer as a `have` (so a fetch there is thin and
 * `blob:none`); false for an empty cache, where a `treeless` fetch is `filter tree:1`.
 */
export async function offersHaves(gitdir: string): Promise<boolean> {
  const objects = new ObjectReader(gitdir);
  try {
    return (await chooseHaves(gitdir, objects, '', undefined)).length > 0;
  } finally {
    objects.close();
  }
}

/** True when `ancestor` is `tip` or one of its ancestors here (a walk through present commits). */
function isAncestor(gitdir: string, ancestor: string, tip: string): boolean {
  const objects = new ObjectReader(gitdir);
  try {
    const seen = new Set<string>();
    const queue = [tip];
    while (queue.length > 0 && seen.size < MAX_ANCESTRY_WALK) {
      const oid = queue.shift()!;
      if (oid === ancestor) return true;
      if (seen.has(oid)) continue;
      seen.add(oid);
      const commit = objects.read(oid);
      if (commit?.type === 'commit') queue.push(...parseCommit(commit.data).parents);
    }
    return false;
  } finally {
    objects.close();
  }
}

/** Keeps `origin` configured, so the cache stays an ordinary repository `git fetch` can use. */
export async function ensureOrigin(gitdir: string, url: string): Promise<void> {
  if ((await git.getConfig({ fs, gitdir, path: 'remote.origin.url' })) === url) return;
  await git.addRemote({ fs, gitdir, remote: 'origin', url, force: true });
}

/** Turns a transport failure into one sentence that names the HTTP status, never the token. */
export function transportError(
  code: 'fetch-failed' | 'push-rejected',
  what: string,
  err: unknown,
): BackportError {
  if (err instanceof BackportError) return err;
  const e = err instanceof TransportError ? err : undefined;
  const status = e?.status;
  let detail: string;
  if (status) detail = `the server answered ${status} ${e?.statusMessage ?? ''}`.trim();
  else if (e?.remoteMessage) detail = `the server said "${e.remoteMessage}"`;
  else if (e) detail = e.code ?? e.message;
  else detail = (err as { code?: string }).code ?? 'an internal error';
  return new BackportError(code, `${what}: ${detail}.`, { status }, { cause: err });
}
