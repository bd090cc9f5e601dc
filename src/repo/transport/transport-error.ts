/**
 * A git transport failure. Its message is a fragment that fits "Could not fetch main: …",
 * and it carries what a person can act on: the HTTP status, the system error code of a
 * network failure, or what the git server said. It never holds a request header, so the
 * token cannot leak through it; `git-remote.ts` turns it into a `BackportError`.
 */
export class TransportError extends Error {
  readonly status: number | undefined;
  readonly statusMessage: string | undefined;
  /** A system error code (`ECONNREFUSED`, `ETIMEDOUT`, …) for a network failure. */
  readonly code: string | undefined;
  /** A message from the git server itself (an `ERR` line, side-band 3). */
  readonly remoteMessage: string | undefined;

  constructor(
    message: string,
    details: { status?: number; statusMessage?: string; code?: string; remoteMessage?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
    this.status = details.status;
    this.statusMessage = details.statusMessage;
    this.code = details.code;
    this.remoteMessage = details.remoteMessage;
  }
}
