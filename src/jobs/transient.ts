import { isBackportError } from '../errors.js';

const NETWORK_CODE = /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|UND_ERR)/;

/**
 * Whether a failure may pass by itself, so the job is worth running again later: GitHub
 * unreachable or answering 5xx (after the client's own retries), a rate limit, git over
 * HTTPS failing the same way, or the database not answering. Anything else (a 4xx, a
 * refused push, a corrupt pack, a bug) would fail the same way again.
 */
export function isTransient(err: unknown): boolean {
  if (isBackportError(err, 'rate-limited') || isBackportError(err, 'retry-later')) return true;
  if (isBackportError(err, 'github-error'))
    return err.data.error === undefined && (err.data.status === undefined || serverSide(err.data.status));
  if (isBackportError(err, 'fetch-failed'))
    return err.data.status !== undefined ? serverSide(err.data.status) : networkFailure(err.cause);
  if (isBackportError(err, 'push-rejected'))
    return err.data.status !== undefined && serverSide(err.data.status);
  if (isBackportError(err, 'internal')) return err.data.database !== undefined;
  // Requests made through Probot's own Octokit (the configuration file, installation tokens)
  // fail with Octokit's HttpError rather than ours; its status says the same.
  const status = (err as { status?: unknown } | null)?.status;
  if ((err as Error | null)?.name === 'HttpError' && typeof status === 'number') return serverSide(status);
  return networkFailure(err);
}

function serverSide(status: number): boolean {
  return status >= 500 || status === 429;
}

/** Node's network failures, on the error or anywhere down its causes. */
function networkFailure(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODE.test(code)) return true;
  }
  return false;
}
