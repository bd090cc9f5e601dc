import { metrics } from '../common/metrics.js';
import { BackportError, isBackportError } from '../errors.js';

export interface GitHubResponse<T> {
  status: number;
  data: T;
  headers: Record<string, unknown>;
}

/** The shape of Octokit's `request`; the event layer passes Probot's, tests may pass any. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RequestFn = (route: string, params?: Record<string, unknown>) => Promise<GitHubResponse<any>>;

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  /** Longest wait for a rate limit to reset before giving up and reporting it. */
  maxDelayMs: number;
}

/** GitHub's answer to a GraphQL request: data, errors, or both (a field that failed is null). */
/** The retry policy, sleep and clock a job's client runs with; the client's defaults where absent. */
export interface ClientDeps {
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The clock rate-limit resets are measured against (ms since the epoch). */
  clock?: () => number;
}

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; type?: string }[];
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 60_000 };

interface RequestFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, unknown>; data?: { message?: string } };
}

/**
 * GitHub access for one repository, with the retry rules in one place:
 *   - reads and idempotent writes are retried with backoff on 5xx, network errors, 429 and
 *     rate-limit 403s (waiting for the reset the headers announce, within a bound);
 *   - writes that could create something twice (a new issue, a new pull request) are not
 *     retried here on 5xx or network errors: their callers look for what may have been
 *     made, then decide; a rate-limit answer is retried, since GitHub did nothing.
 * Failures come out as BackportError with a plain sentence (status, route, GitHub's words).
 */
export class GitHubClient {
  constructor(
    private readonly request: RequestFn,
    readonly owner: string,
    readonly repo: string,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    /** The clock a rate limit's announced reset (epoch seconds) is measured against, in ms. */
    private readonly now: () => number = Date.now,
  ) {}

  /** The client for one repository with the retry policy, sleep and clock a job runs with. */
  static forRepo(request: RequestFn, owner: string, repo: string, deps: ClientDeps): GitHubClient {
    return new GitHubClient(request, owner, repo, deps.retry, deps.sleep, deps.clock);
  }

  async get<T>(route: string, params: Record<string, unknown> = {}): Promise<T> {
    return (await this.call<T>(route, params, true)).data;
  }

  /** GET with the answer's headers (a paged list's `link`, to find its last page). */
  async getResponse<T>(route: string, params: Record<string, unknown> = {}): Promise<GitHubResponse<T>> {
    return this.call<T>(route, params, true);
  }

  /** GET that answers undefined for a 404 instead of failing. */
  async find<T>(route: string, params: Record<string, unknown> = {}): Promise<T | undefined> {
    try {
      return await this.get<T>(route, params);
    } catch (err) {
      if (gitHubStatus(err) === 404) return undefined;
      throw err;
    }
  }

  async write<T>(route: string, params: Record<string, unknown>, opts: { idempotent: boolean }): Promise<T> {
    return (await this.call<T>(route, params, opts.idempotent)).data;
  }

  /**
   * A GraphQL request (`POST /graphql`), retried like a read: the app sends only mutations
   * that are harmless to repeat. GitHub answers 200 even when the document fails; the
   * answer's `errors` are the caller's to read.
   */
  async graphql<T>(query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer<T>> {
    return (await this.call<GraphQLAnswer<T>>('POST /graphql', { query, variables }, true, false)).data;
  }

  /** Every item of a paged list (100 per page). */
  async paginate<T>(route: string, params: Record<string, unknown> = {}, maxPages = 50): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const items = await this.get<T[]>(route, { ...params, per_page: 100, page });
      all.push(...items);
      if (items.length < 100) break;
    }
    return all;
  }

  private async call<T>(
    route: string,
    params: Record<string, unknown>,
    retry: boolean,
    /** REST routes name the repository; a GraphQL body must carry nothing else. */
    scoped = true,
  ): Promise<GitHubResponse<T>> {
    const full = scoped ? { owner: this.owner, repo: this.repo, ...params } : params;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.request(route, full);
        countCall(res.status, res.headers);
        return res;
      } catch (err) {
        const failure = err as RequestFailure;
        countCall(failure.status, failure.response?.headers);
        // A rate-limited request was refused before GitHub acted on it, so even a create is
        // safe to send again once the wait is over.
        const again = retry || isRateLimitAnswer(failure);
        const wait = again && attempt < this.policy.attempts ? this.retryDelay(failure, attempt) : undefined;
        if (wait === undefined) throw toBackportError(route, failure, err);
        await this.sleep(wait);
      }
    }
  }

  /** How long to wait before the next try, or undefined when trying again cannot help. */
  private retryDelay(failure: RequestFailure, attempt: number): number | undefined {
    const status = failure.status;
    const headers = failure.response?.headers ?? {};
    const backoff = this.policy.baseDelayMs * 2 ** (attempt - 1);
    if (status === undefined || status >= 500) return backoff;
    if (isRateLimitAnswer(failure)) {
      const retryAfter = Number(headers['retry-after']);
      const reset = Number(headers['x-ratelimit-reset']);
      let wait = backoff;
      if (Number.isFinite(retryAfter) && retryAfter > 0) wait = retryAfter * 1000;
      else if (Number.isFinite(reset) && reset > 0) wait = Math.max(0, reset * 1000 - this.now()) + 1000;
      return wait <= this.policy.maxDelayMs ? wait : undefined;
    }
    return undefined;
  }
}

/** Every answer (or its absence) counts, and the rate limit it announced is kept. */
function countCall(status: number | undefined, headers: Record<string, unknown> | undefined): void {
  metrics.githubCalls.inc({ status: status === undefined ? 'error' : String(status) });
  const remaining = Number(headers?.['x-ratelimit-remaining']);
  if (headers?.['x-ratelimit-remaining'] !== undefined && Number.isFinite(remaining)) {
    metrics.rateLimitRemaining.set(remaining);
  }
}

function isRateLimited(failure: RequestFailure): boolean {
  const headers = failure.response?.headers ?? {};
  const message = failure.response?.data?.message ?? failure.message ?? '';
  return (
    String(headers['x-ratelimit-remaining']) === '0' ||
    'retry-after' in headers ||
    /rate limit/i.test(message)
  );
}

function isRateLimitAnswer(failure: RequestFailure): boolean {
  return failure.status === 429 || (failure.status === 403 && isRateLimited(failure));
}

/** The HTTP status of a failed GitHubClient request; undefined when GitHub did not answer. */
export function gitHubStatus(err: unknown): number | undefined {
  if (isBackportError(err, 'github-error') || isBackportError(err, 'rate-limited')) return err.data.status;
  return undefined;
}

function toBackportError(route: string, failure: RequestFailure, cause: unknown): BackportError {
  const status = failure.status;
  const said = failure.response?.data?.message ?? failure.message ?? 'no answer';
  const limited = isRateLimitAnswer(failure);
  const message = status
    ? `GitHub answered ${status} to ${route}: ${said}`
    : `GitHub could not be reached for ${route}: ${said}`;
  return new BackportError(limited ? 'rate-limited' : 'github-error', message, { status, route }, { cause });
}
