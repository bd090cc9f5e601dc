import { describe, expect, it } from '@jest/globals';
import { BackportError, isBackportError } from '../src/errors.js';

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
});
