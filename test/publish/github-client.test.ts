import { describe, expect, it } from '@jest/globals';
import { BackportError } from '../../src/errors.js';
import { GitHubClient, gitHubStatus, type RequestFn } from '../../src/publish/github-client.js';

/** A request that fails the way Octokit does: an error with the status and GitHub's answer. */
function failing(status: number, headers: Record<string, unknown> = {}): RequestFn {
  return async () => {
    throw Object.assign(new Error('failed'), { status, response: { headers, data: { message: 'No.' } } });
  };
}

async function failureOf(request: RequestFn): Promise<unknown> {
  const gh = new GitHubClient(request, 'acme', 'widgets', { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 });
  return gh.write('POST /repos/{owner}/{repo}/issues', { title: 't' }, { idempotent: false }).then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('gitHubStatus', () => {
  it('reads the status of a github-error and of a rate-limited answer', async () => {
    const refused = await failureOf(failing(422));
    expect(refused).toMatchObject({ code: 'github-error' });
    expect(gitHubStatus(refused)).toBe(422);

    const limited = await failureOf(failing(403, { 'x-ratelimit-remaining': '0' }));
    expect(limited).toMatchObject({ code: 'rate-limited' });
    expect(gitHubStatus(limited)).toBe(403);
  });

  it('has no status for a failure GitHub did not answer, nor for other errors', async () => {
    const unreachable = await failureOf(async () => {
      throw new Error('ECONNRESET');
    });
    expect(unreachable).toMatchObject({ code: 'github-error' });
    expect(gitHubStatus(unreachable)).toBeUndefined();
    expect(
      gitHubStatus(new BackportError('fetch-failed', 'The server answered 500.', { status: 500 })),
    ).toBeUndefined();
    expect(gitHubStatus(new Error('x'))).toBeUndefined();
  });
});
