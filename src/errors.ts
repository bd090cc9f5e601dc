/**
 * The one error type of the project. Every failure a person can act on carries a stable
 * `code` (scripts and the status table key on it) and structured `data`; the message is one
 * plain sentence, safe to show to a user (never a token, never a stack).
 *
 * Errors are translated at one boundary per entry point: the CLI turns them into exit code 2
 * and one line, the app turns them into a status-table row or a comment.
 */
export type BackportErrorCode =
  // input that names something that is not there
  | 'unknown-revision'
  | 'not-a-repository'
  | 'missing-branch'
  | 'corrupt-object'
  | 'merge-needs-mainline'
  | 'bad-mainline'
  | 'bad-argument'
  // configuration and labels
  | 'invalid-config'
  | 'invalid-ref-name'
  | 'target-is-base'
  | 'too-many-files'
  // git transport and publishing
  | 'fetch-failed'
  | 'push-rejected'
  | 'push-forbidden'
  | 'github-error'
  | 'rate-limited'
  // anything else, a bug of ours
  | 'internal';

export class BackportError<D extends Record<string, unknown> = Record<string, unknown>> extends Error {
  readonly code: BackportErrorCode;
  readonly data: D;

  constructor(code: BackportErrorCode, message: string, data?: D, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackportError';
    this.code = code;
    this.data = data ?? ({} as D);
  }
}

export function isBackportError(err: unknown, code?: BackportErrorCode): err is BackportError {
  return err instanceof BackportError && (code === undefined || err.code === code);
}

/**
 * What a log line may say about a failure: its name, code and message. Never the error
 * object itself, whose request options and headers can hold a token.
 */
export function errorForLog(err: unknown): { name?: string; code?: string; message?: string } {
  const e = err as { name?: string; code?: string; message?: string } | null | undefined;
  return { name: e?.name, code: e?.code, message: e?.message };
}
