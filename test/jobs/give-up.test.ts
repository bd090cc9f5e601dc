// The final "failed" rows of a job that gave up are written with the jobs' own retry policy,
// sleep and clock, not the GitHub client's defaults.
import { describe, expect, it } from '@jest/globals';
import { reportGivenUp } from '../../src/jobs/give-up.js';
import type { Job } from '../../src/jobs/job-store.js';
import { parseStatusComment, renderStatusComment } from '../../src/render/status-comment.js';

const BOT = 'backport-assistant[bot]';
const NOW = new Date('2026-06-15T12:00:00Z');

describe('reportGivenUp', () => {
  it('retries its writes as the jobs do: their policy, their sleep', async () => {
    let body = renderStatusComment(7, [{ target: 'v1.2', state: 'in-progress', at: NOW.toISOString() }]);
    const patches: number[] = [];
    const request = async (route: string, params: Record<string, unknown> = {}) => {
      if (route.startsWith('GET ')) {
        return { status: 200, data: [{ id: 1, body, user: { login: BOT, type: 'Bot' } }], headers: {} };
      }
      patches.push(patches.length);
      // GitHub fails the first write, with a 502.
      if (patches.length === 1)
        throw Object.assign(new Error('Bad Gateway'), { status: 502, response: { headers: {} } });
      body = String(params.body);
      return { status: 200, data: {}, headers: {} };
    };
    const sleeps: number[] = [];
    const job = {
      id: 1,
      installationId: 1,
      request: {
        owner: 'acme',
        repo: 'widgets',
        cloneUrl: 'x',
        pullNumber: 7,
        labels: 'all',
        origin: 'webhook',
      },
      state: 'running',
      attempts: 4,
      claims: 1,
      lastError: null,
    } as Job;
    await reportGivenUp(
      job,
      new Error('GitHub answered 502'),
      { request, token: async () => 'unused', appLogin: async () => BOT },
      {
        retry: { attempts: 2, baseDelayMs: 7, maxDelayMs: 1000 },
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        clock: () => NOW.getTime(),
        now: () => NOW,
      },
    );
    expect(sleeps).toEqual([7]);
    expect(patches).toHaveLength(2);
    expect(parseStatusComment(body)).toMatchObject([
      { target: 'v1.2', state: 'failed', error: { code: 'github-error' } },
    ]);
  });
});
