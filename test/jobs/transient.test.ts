import { describe, expect, it } from '@jest/globals';
import { BackportError } from '../../src/errors.js';
import { isTransient } from '../../src/jobs/transient.js';

/** The shape Octokit's RequestError has (name HttpError, a status), without its HTTP details. */
function httpError(status: number): Error {
  return Object.assign(new Error(`status ${status}`), { name: 'HttpError', status });
}

describe('isTransient: which failures a job is run again for', () => {
  it("takes Octokit's own 5xx and 429 (configuration reads, installation tokens) as passing", () => {
    expect(isTransient(httpError(502))).toBe(true);
    expect(isTransient(httpError(429))).toBe(true);
  });

  it("takes Octokit's own 4xx as lasting", () => {
    expect(isTransient(httpError(404))).toBe(false);
    expect(isTransient(httpError(422))).toBe(false);
  });

  it('keeps reading our own errors by their code', () => {
    expect(isTransient(new BackportError('rate-limited', 'limited', { status: 429 }))).toBe(true);
    expect(isTransient(new BackportError('bad-argument', 'no'))).toBe(false);
  });

  it('takes a network failure anywhere down the causes as passing', () => {
    const cause = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    expect(isTransient(new Error('fetch failed', { cause }))).toBe(true);
  });
});
