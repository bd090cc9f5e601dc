/**
 * Git smart HTTP in front of `git http-backend`, with GitHub's access rules: anonymous fetches
 * of public repositories; a token (Basic, any user name, token as password) for private ones
 * and for every push; a bad token is 401, a token of another installation sees nothing (404).
 * Pushes are logged ref by ref, and protected branches are refused by the repo's update hook.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicToken, lookupToken } from './auth.js';
import { listRefs } from './git.js';
import { parseReceiveCommands, runHttpBackend } from './http-backend.js';
import { readBody } from './rest-dispatch.js';
import { ZERO_SHA } from './repo-store.js';
import { workOfRequest, type RequestLogEntry, type SimInternals } from './sim-internals.js';
import { readUploadRequest } from './upload-request.js';

export const GIT_PATH = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

function deny(res: ServerResponse, status: number, message: string): number {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (status === 401) headers['www-authenticate'] = 'Basic realm="GitHub"';
  res.writeHead(status, headers);
  res.end(`${message}\n`);
  return status;
}

async function serve(
  sim: SimInternals,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opId: string,
  entry: Partial<RequestLogEntry>,
) {
  const m = GIT_PATH.exec(url.pathname)!;
  const endpoint = m[3]!;
  const service = endpoint === 'info/refs' ? url.searchParams.get('service') : endpoint;
  const pushing = service === 'git-receive-pack';
  const body = await readBody(req);
  let wantIds: string[] = [];
  if (endpoint === 'git-upload-pack') {
    const read = readUploadRequest(body, req.headers['content-encoding'] as string | undefined);
    entry.upload = read.summary;
    wantIds = read.wantIds;
  }

  const fault = sim.faults.take(req.method ?? 'GET', url.pathname, opId, wantIds);
  if (fault) return deny(res, fault.status, 'injected fault');

  const token = basicToken(req.headers.authorization);
  const who = token ? lookupToken(sim.state, token) : null;
  if (token && !who) return deny(res, 401, 'Invalid username or token.');
  const repo = sim.state.repo(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
  const visible = repo && (!repo.private || who?.account.toLowerCase() === repo.owner.toLowerCase());
  if (!who && (pushing || !visible)) return deny(res, 401, 'Authentication required.');
  if (!repo || !visible) return deny(res, 404, 'Repository not found.');
  if (pushing && who!.account.toLowerCase() !== repo.owner.toLowerCase()) {
    return deny(res, 403, `Permission to ${repo.fullName}.git denied.`);
  }

  const commands =
    pushing && req.method === 'POST' ? parseReceiveCommands(body, req.headers['content-encoding']) : [];
  if (pushing) sim.stats.gitReceiveBytes += body.length;
  const recordPush = async () => {
    if (commands.length === 0) return;
    const refs = await listRefs(repo.path);
    for (const c of commands) {
      sim.pushLog.push({
        repo: repo.fullName,
        ref: c.ref,
        old: c.old,
        new: c.new,
        accepted: (refs[c.ref] ?? ZERO_SHA) === c.new,
        installationId: who?.installationId ?? null,
        token: token ?? null,
      });
    }
    sim.refsChanged(repo);
  };
  const { status, bytes } = await runHttpBackend(
    {
      projectRoot: sim.store.root,
      pathInfo: `/${repo.fullName}.git/${endpoint}`,
      method: req.method ?? 'GET',
      query: url.search.replace(/^\?/, ''),
      contentType: req.headers['content-type'],
      contentEncoding: req.headers['content-encoding'],
      gitProtocol: sim.git.protocolV2 ? (req.headers['git-protocol'] as string | undefined) : undefined,
      body,
      remoteUser: who ? 'x-access-token' : undefined,
      env: {
        SIM_PROTECTED_REFS: [...repo.protectedBranches].map((b) => `refs/heads/${b}`).join(' '),
        ...configEnv([
          // Overrides the repository's own `uploadpack.allowFilter true` (see repo-store.ts).
          ...(sim.git.allowFilter ? [] : [['uploadpack.allowFilter', 'false'] as const]),
          // With no protected branch the update hook has nothing to refuse: not running it
          // saves a shell per pushed ref, which GitHub does not make a push wait for.
          ...(pushing && repo.protectedBranches.size === 0 ? [['core.hooksPath', '/dev/null'] as const] : []),
          // GitHub does its housekeeping apart from pushes; git's `gc --auto` after each
          // one would be a process the push waits for.
          ...(pushing ? [['receive.autogc', 'false'] as const] : []),
        ]),
      },
    },
    res,
    recordPush,
  );
  if (!pushing) sim.stats.gitUploadBytes += bytes;
  return status;
}

/** git configuration given through the environment, for one command. */
function configEnv(entries: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  if (entries.length === 0) return {};
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

export async function handleGit(
  sim: SimInternals,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  t0: number,
) {
  sim.stats.gitRequests++;
  const endpoint = GIT_PATH.exec(url.pathname)![3]!;
  const opId =
    endpoint === 'info/refs'
      ? 'git/info-refs'
      : endpoint === 'git-upload-pack'
        ? 'git/upload-pack'
        : 'git/receive-pack';
  let status: number;
  const entry: Partial<RequestLogEntry> = {};
  try {
    status = await serve(sim, req, res, url, opId, entry);
  } catch (err) {
    status = res.headersSent
      ? res.statusCode
      : deny(res, 500, err instanceof Error ? err.message : String(err));
    if (!res.writableEnded) res.end();
  }
  sim.requestLog.push({
    method: req.method ?? 'GET',
    path: url.pathname + url.search,
    operationId: opId,
    status,
    ms: Math.round(performance.now() - t0),
    ...workOfRequest(),
    ...entry,
  });
}
