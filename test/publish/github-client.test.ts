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

describe('waiting out a rate limit', () => {
  it('waits until the announced reset, measured on the injected clock, plus a second', async () => {
    const now = Date.UTC(2030, 0, 1);
    let calls = 0;
    const request: RequestFn = async () => {
      if (++calls === 1) {
        throw Object.assign(new Error('limited'), {
          status: 403,
          response: {
            headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 5) },
            data: { message: 'API rate limit exceeded' },
          },
        });
      }
      return { status: 200, data: { ok: true }, headers: {} };
    };
    const sleeps: number[] = [];
    const gh = new GitHubClient(
      request,
      'acme',
      'widgets',
      { attempts: 2, baseDelayMs: 1, maxDelayMs: 60_000 },
      async (ms) => {
        sleeps.push(ms);
      },
      () => now,
    );
    await expect(gh.get('GET /repos/{owner}/{repo}')).resolves.toEqual({ ok: true });
    expect(sleeps).toEqual([6_000]);
  });
});
