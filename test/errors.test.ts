import { describe, expect, it } from '@jest/globals';
import { BackportError, errorForLog, isBackportError } from '../src/errors.js';

/** One line per code, reading each code's own fields: it compiles only if the switch narrows `data`. */
function explain(err: BackportError): string {
  switch (err.code) {
    case 'github-error':
    case 'rate-limited':
      return `${err.data.route ?? '?'} answered ${err.data.status ?? 'nothing'}`;
    case 'invalid-config':
      return err.data.problems.map((p) => `${p.key}: ${p.problem}`).join('; ');
    case 'too-many-files':
      return `${err.data.files} > ${err.data.maxFiles}`;
    case 'missing-branch':
      return err.data.branch;
    case 'push-forbidden':
      return 'paths' in err.data ? err.data.paths.join(',') : err.data.branch;
    case 'unknown-revision':
      return 'rev' in err.data ? err.data.rev : err.data.oid;
    default:
      return err.code;
  }
}

describe('BackportError', () => {
  it('carries a stable code and data and is recognised by code', () => {
    const err = new BackportError('missing-branch', 'There is no branch v9 in acme/widgets.', {
      branch: 'v9',
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('missing-branch');
    expect(err.data).toEqual({ branch: 'v9' });
    expect(isBackportError(err, 'missing-branch')).toBe(true);
    expect(isBackportError(err, 'internal')).toBe(false);
    expect(isBackportError(new Error('x'))).toBe(false);
  });

  it("gives a switch on the code that code's fields", () => {
    const errors: BackportError[] = [
      new BackportError('github-error', 'GitHub answered 422.', { status: 422, route: 'POST /issues' }),
      new BackportError('rate-limited', 'GitHub could not be reached.'),
      new BackportError('invalid-config', 'The config is invalid.', {
        problems: [{ key: 'maxFiles', problem: '`maxFiles` must be a whole number' }],
      }),
      new BackportError('too-many-files', 'Too many files.', { files: 900, maxFiles: 500 }),
      new BackportError('missing-branch', 'No branch.', { branch: 'v9' }),
      new BackportError('push-forbidden', 'Workflow files.', { paths: ['.github/workflows/ci.yml'] }),
      new BackportError('push-forbidden', 'Not ours.', { branch: 'main', prefix: 'backport/' }),
      new BackportError('unknown-revision', 'No such object.', { oid: 'abc' }),
      new BackportError('bad-argument', 'Name a commit.'),
    ];
    expect(errors.map(explain)).toEqual([
      'POST /issues answered 422',
      '? answered nothing',
      'maxFiles: `maxFiles` must be a whole number',
      '900 > 500',
      'v9',
      '.github/workflows/ci.yml',
      'main',
      'abc',
      'bad-argument',
    ]);
  });

  it('narrows to one code through isBackportError and to the union through instanceof', () => {
    const caught: unknown = new BackportError('github-error', 'GitHub answered 404.', { status: 404 });
    if (!isBackportError(caught, 'github-error')) throw new Error('not recognised');
    const status: number | undefined = caught.data.status;
    expect(status).toBe(404);
    // @ts-expect-error: a github-error carries no problems.
    expect(caught.data.problems).toBeUndefined();

    const unknownCode: unknown = caught;
    if (!(unknownCode instanceof BackportError)) throw new Error('not an instance');
    // @ts-expect-error: until the code is known, `status` is not a field every code has.
    expect(unknownCode.data.status).toBe(404);
    expect(unknownCode.code === 'github-error' && unknownCode.data.status).toBe(404);
  });

  it("checks each code's data where the error is made", () => {
    const made = () => [
      // @ts-expect-error: a missing-branch error must name the branch.
      new BackportError('missing-branch', 'No branch.'),
      // @ts-expect-error: too-many-files counts files, it does not name them.
      new BackportError('too-many-files', 'Too many.', { files: ['a'], maxFiles: 1 }),
      // @ts-expect-error: github-error has no branch.
      new BackportError('github-error', 'Failed.', { branch: 'v1' }),
    ];
    // The types refuse them; at run time they are still errors with their code.
    expect(made().map((e) => e.code)).toEqual(['missing-branch', 'too-many-files', 'github-error']);
  });

  it('logs the chain of causes by name, code and message, and where the innermost was thrown', () => {
    const parse = new RangeError('pack entry 12 has a delta base outside the pack');
    const transport = new Error('the pack the server sent cannot be read', { cause: parse });
    const err = new BackportError('fetch-failed', 'Could not fetch v1.1.', {}, { cause: transport });
    const line = errorForLog(err);
    expect(line).toMatchObject({
      name: 'BackportError',
      code: 'fetch-failed',
      message: 'Could not fetch v1.1.',
      cause: {
        message: 'the pack the server sent cannot be read',
        cause: { name: 'RangeError', message: 'pack entry 12 has a delta base outside the pack' },
      },
    });
    expect(line.cause!.cause!.at![0]).toMatch(/^at .*errors\.test\.ts:\d+/);
    // Only the fields above: request options or headers of an error never reach a log line.
    const withRequest = Object.assign(new Error('Bad credentials'), {
      request: { headers: { authorization: 'token ghs_secret' } },
    });
    expect(JSON.stringify(errorForLog(new Error('wrapped', { cause: withRequest })))).not.toContain(
      'ghs_secret',
    );
  });

  it('follows at most three causes, so a cycle cannot loop', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    let depth = 0;
    for (let line: { cause?: unknown } | undefined = errorForLog(a); line; line = line.cause as typeof line)
      depth++;
    expect(depth).toBe(4);
  });
});
