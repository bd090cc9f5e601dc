import fs from 'node:fs';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { BackportError } from '../errors.js';

/** Where a repository lives and how to authenticate; the token is asked for per request. */
export interface RemoteAccess {
  url: string;
  token(): Promise<string>;
}

const HINT_REF = 'refs/backport-assistant/have';

function onAuth(remote: RemoteAccess) {
  // The token goes in the Authorization header only: never in the URL, so never in a log.
  return async () => ({ username: 'x-access-token', password: await remote.token() });
}

/**
 * Fetches one branch (only that branch, to `depth` commits) into the cache repository and
 * returns its tip, or undefined when the remote has no such branch. `have` names a commit
 * already here whose objects the server may leave out (a related branch's tip), which keeps
 * the transfer to what is actually new.
 */
export async function fetchBranch(
  gitdir: string,
  remote: RemoteAccess,
  branch: string,
  opts: { depth?: number; have?: string } = {},
): Promise<string | undefined> {
  const local = `refs/remotes/origin/${branch}`;
  await ensureOrigin(gitdir, remote.url);
  const known = await resolveLocal(gitdir, local);
  const have = known ?? opts.have;
  if (have) await git.writeRef({ fs, gitdir, ref: HINT_REF, value: have, force: true });
  try {
    const result = await git.fetch({
      fs,
      http,
      gitdir,
      url: remote.url,
      remote: 'origin',
      ref: have ? HINT_REF : local,
      remoteRef: `refs/heads/${branch}`,
      singleBranch: true,
      tags: false,
      depth: opts.depth,
      onAuth: onAuth(remote),
    });
    return result.fetchHead ?? undefined;
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFoundError') return undefined;
    throw transportError('fetch-failed', `Could not fetch ${branch}`, err);
  } finally {
    if (have) await git.deleteRef({ fs, gitdir, ref: HINT_REF }).catch(() => undefined);
  }
}

/** The commit a remote branch points at right now, or undefined. */
export async function remoteTip(remote: RemoteAccess, branch: string): Promise<string | undefined> {
  try {
    const refs = await git.listServerRefs({
      http,
      url: remote.url,
      prefix: `refs/heads/${branch}`,
      onAuth: onAuth(remote),
    });
    return refs.find((r) => r.ref === `refs/heads/${branch}`)?.oid;
  } catch (err) {
    throw transportError('fetch-failed', `Could not list ${branch}`, err);
  }
}

/**
 * Pushes `commit` to `branch` on the remote. `base` is a branch the remote already has whose
 * objects need not be sent (the target branch), so a backport costs only its new objects.
 */
export async function pushBranch(
  gitdir: string,
  remote: RemoteAccess,
  opts: { branch: string; commit: string; base: string; force: boolean },
): Promise<void> {
  const ref = `refs/heads/${opts.branch}`;
  await git.writeRef({ fs, gitdir, ref, value: opts.commit, force: true });
  // isomorphic-git skips the objects of the remote's HEAD; point that at the target branch.
  await git.writeRef({
    fs,
    gitdir,
    ref: 'refs/remotes/origin/HEAD',
    value: `refs/remotes/origin/${opts.base}`,
    symbolic: true,
    force: true,
  });
  let result;
  try {
    result = await git.push({
      fs,
      http,
      gitdir,
      url: remote.url,
      remote: 'origin',
      ref,
      remoteRef: ref,
      force: opts.force,
      onAuth: onAuth(remote),
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'GitPushError') {
      // The server refused this ref (a protected branch, a hook): say why, in its words.
      const refs = (err as { data?: { result?: { refs?: Record<string, { error?: string }> } } }).data?.result
        ?.refs;
      throw new BackportError(
        'push-rejected',
        `The push to ${opts.branch} was rejected: ${refs?.[ref]?.error ?? 'the server refused it'}.`,
        { branch: opts.branch },
        { cause: err },
      );
    }
    if (code === 'PushRejectedError') {
      throw new BackportError(
        'push-rejected',
        `The push to ${opts.branch} was rejected: the branch changed meanwhile.`,
        { branch: opts.branch },
        { cause: err },
      );
    }
    throw transportError('push-rejected', `Could not push ${opts.branch}`, err);
  }
  const status = result.refs[ref];
  if (!result.ok || (status && !status.ok)) {
    throw new BackportError(
      'push-rejected',
      `The push to ${opts.branch} was rejected: ${status?.error ?? result.error ?? 'unknown reason'}.`,
      {
        branch: opts.branch,
      },
    );
  }
}

/** isomorphic-git maps fetched refs through the remote's refspec, so `origin` must be configured. */
async function ensureOrigin(gitdir: string, url: string): Promise<void> {
  if ((await git.getConfig({ fs, gitdir, path: 'remote.origin.url' })) === url) return;
  await git.addRemote({ fs, gitdir, remote: 'origin', url, force: true });
}

async function resolveLocal(gitdir: string, ref: string): Promise<string | undefined> {
  try {
    return await git.resolveRef({ fs, gitdir, ref });
  } catch {
    return undefined;
  }
}

/** Turns a transport failure into one sentence that names the HTTP status, never the token. */
function transportError(code: 'fetch-failed' | 'push-rejected', what: string, err: unknown): BackportError {
  const e = err as { code?: string; data?: { statusCode?: number; statusMessage?: string } };
  const status = e.data?.statusCode;
  const detail = status
    ? `the server answered ${status} ${e.data?.statusMessage ?? ''}`.trim()
    : (e.code ?? 'a network error');
  return new BackportError(code, `${what}: ${detail}.`, { status }, { cause: err });
}
