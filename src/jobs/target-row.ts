/** A target's row in the status comment, and a failure as such a row. */
import { BackportError } from '../errors.js';
import type { Target } from '../plan/targets.js';
import type { StatusRow } from '../render/status-comment.js';

export function rowFor(target: Target, fields: Omit<StatusRow, 'target' | 'at'>, at: string): StatusRow {
  return {
    target: target.target,
    ...(target.branch !== target.target ? { branch: target.branch } : {}),
    ...fields,
    at,
  };
}

/** A failure as a status row: our own errors keep their code and sentence; others say little. */
export function failure(err: unknown): Omit<StatusRow, 'target' | 'at'> {
  if (err instanceof BackportError)
    return { state: 'failed', error: { code: err.code, message: err.message } };
  return {
    state: 'failed',
    error: {
      code: 'internal',
      message: 'An unexpected error stopped this backport; it was logged for the app owner.',
    },
  };
}
