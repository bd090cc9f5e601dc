/**
 * The one error type of the project. Every failure a person can act on carries a stable
 * `code` (scripts and the status table key on it) and the structured `data` that code
 * declares below; the message is one plain sentence, safe to show to a user (never a token,
 * never a stack).
 *
 * Errors are translated at one boundary per entry point: the CLI turns them into exit code 2
 * and one line, the app turns them into a status-table row or a comment.
 */

/** One thing wrong in `.github/backport.yml`, as the invalid-config comment lists it. */
export interface ConfigProblem {
  /** Where the problem is, e.g. `maxFiles`, `labels[2]`, `branches.pattern`. */
  key: string;
  /** One plain sentence that names the key, e.g. "`maxFiles` must be a whole number, got \"many\"". */
  problem: string;
}

/**
 * What each code carries. The keys are the codes; a code whose fields are all optional may be
 * thrown without data.
 */
export interface BackportErrorData {
  // input that names something that is not there
  /** A revision a person typed, or an object id the store was asked for. */
  'unknown-revision': { rev: string } | { oid: string };
  'not-a-repository': { path: string };
  'missing-branch': { branch: string };
  'corrupt-object': { oid: string; type?: string };
  'merge-needs-mainline': { commit: string; parents: number };
  'bad-mainline': { commit?: string; mainline?: number };
  /** Which argument or setting was wrong, when the message alone does not say. */
  'bad-argument': {
    target?: string;
    label?: string;
    branch?: string;
    sha?: string;
    path?: string;
    setting?: string;
  };
  // configuration and labels
  'invalid-config': { problems: ConfigProblem[] };
  'invalid-ref-name': { target: string; branch: string };
  'target-is-base': { target: string; branch: string };
  'too-many-files': { files: number; maxFiles: number };
  /** A pull request with more commits than GitHub lists (250): its merge cannot be told. */
  'too-many-commits': { commits: number; listed: number };
  /** A person whose role may not do what they asked (e.g. start a backport by labelling). */
  'not-allowed': { login: string; permission: string };
  /**
   * An answer to a conflicted pick's choices (`/backport resolve 1A 2C`, `resolve --stdin`)
   * that cannot be applied: `decision` is the decision it names or leaves out, `answer` what was
   * given for it.
   */
  'bad-resolution': {
    reason: 'syntax' | 'missing' | 'unknown-decision' | 'unknown-label' | 'duplicate' | 'incompatible';
    decision?: string;
    answer?: string;
  };
  /**
   * A prerequisite named in `/backport v1.2 with abc1234 #456` that cannot be taken along:
   * `ref` as written; no such commit, several, a PR not merged, or a pick that conflicts.
   */
  'bad-prerequisite': { ref: string; reason: 'unknown' | 'ambiguous' | 'not-merged' | 'conflicts' };
  /** A line diff that would take more than the engine's work budget (see histogram-diff.ts). */
  'diff-too-large': { linesA: number; linesB: number };
  /**
   * A patch from a comment (a ```diff block) that does not apply: `path` is the file, `hunk`
   * its 1-based hunk, `line` the line of the file where it was expected (0 when the whole
   * patch is unreadable or names a file the result lacks).
   */
  'bad-patch': { path: string; hunk: number; line: number };
  // git transport and publishing
  /** `status` is the HTTP status when the server answered at all. */
  'fetch-failed': { status?: number; sha?: string };
  'push-rejected': { status?: number; branch?: string };
  /** A branch the app will not push to, or workflow files it may not push. */
  'push-forbidden': { branch: string; prefix?: string } | { paths: string[] };
  /** `status` is absent when GitHub could not be reached; `error` is OAuth's error code. */
  'github-error': { status?: number; route?: string; error?: string };
  'rate-limited': { status?: number; route?: string };
  /**
   * Some targets met a transient failure (GitHub or the network) and are to be tried again
   * later as a job; `targets` names them, `cause` is the failure's sentence.
   */
  'retry-later': { targets: string[]; cause: string };
  // anything else, a bug of ours
  internal: { path?: string; database?: string; version?: number; known?: number };
}

export type BackportErrorCode = keyof BackportErrorData;

/** The arguments after the message: data is required unless every field of the code's data is optional. */
type DataArgs<C extends BackportErrorCode> =
  Record<never, never> extends BackportErrorData[C]
    ? [data?: BackportErrorData[C], options?: ErrorOptions]
    : [data: BackportErrorData[C], options?: ErrorOptions];

class BackportErrorClass<C extends BackportErrorCode> extends Error {
  readonly code: C;
  readonly data: BackportErrorData[C];

  constructor(code: C, message: string, ...[data, options]: DataArgs<C>) {
    super(message, options);
    this.name = 'BackportError';
    this.code = code;
    this.data = data ?? ({} as BackportErrorData[C]);
  }
}

/**
 * A BackportError of one code, or (without a code) the union of all of them, so that a
 * `switch (err.code)` or `isBackportError(err, code)` gives that code's `data` with no cast.
 */
export type BackportError<C extends BackportErrorCode = BackportErrorCode> = C extends BackportErrorCode
  ? BackportErrorClass<C>
  : never;

interface BackportErrorConstructor {
  new <C extends BackportErrorCode>(code: C, message: string, ...rest: DataArgs<C>): BackportError<C>;
  /** Typed as the union, so that `err instanceof BackportError` narrows to it too. */
  readonly prototype: BackportError;
}

// A class of its own would type `instanceof` as BackportErrorClass<any>, whose data is
// unchecked; this constructor type makes it the union above instead.
export const BackportError = BackportErrorClass as BackportErrorConstructor;

export function isBackportError<C extends BackportErrorCode = BackportErrorCode>(
  err: unknown,
  code?: C,
): err is BackportError<C> {
  return err instanceof BackportError && (code === undefined || err.code === code);
}

/** What a log line says about one error of a chain: never the object, whose request options can hold a token. */
export interface LoggedError {
  name?: string;
  code?: string;
  message?: string;
  /** Where the innermost error was thrown: the top stack frames, which name only our files and lines. */
  at?: string[];
  cause?: LoggedError;
}

/** How many causes a log line follows: a wrapped parser or file-system error is one or two deep. */
const MAX_CAUSES = 3;
const STACK_FRAMES = 4;

/**
 * What a log line may say about a failure: its name, code and message, and the same of each
 * error it wraps (`cause`), so "the pack the server sent cannot be read" says why. Never the
 * error object itself, whose request options and headers can hold a token. The innermost
 * error also gives its top stack frames: those are file names and lines, never data.
 */
export function errorForLog(err: unknown): LoggedError {
  return logged(err, 0);
}

function logged(err: unknown, depth: number): LoggedError {
  const e = err as
    { name?: string; code?: string; message?: string; cause?: unknown; stack?: unknown } | null | undefined;
  const line: LoggedError = { name: e?.name, code: e?.code, message: e?.message };
  const cause = e?.cause;
  if (cause !== undefined && cause !== null && depth < MAX_CAUSES) {
    line.cause = logged(cause, depth + 1);
  } else if (depth > 0 && typeof e?.stack === 'string') {
    line.at = stackFrames(e.stack);
  }
  return line;
}

function stackFrames(stack: string): string[] {
  return stack
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, STACK_FRAMES);
}
