/**
 * The contract between the simulator's HTTP layer and its REST handlers, and GitHub's error
 * and pagination conventions, which every handler shares.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { OperationSpec } from './openapi-validator.js';
import type { PushLogEntry } from './sim-internals.js';
import type { RepoStore } from './repo-store.js';
import type { AppIdentity, Urls } from './serialize-core.js';
import type { PullStats } from './serialize-issue.js';
import type { SimIssue, SimRepo, SimState } from './state.js';

export type Auth =
  | { kind: 'none' }
  | { kind: 'app' }
  | { kind: 'installation'; installationId: number; account: string; token: string }
  /** A person's token from the OAuth web flow (`ghu_…`): that person's own access. */
  | { kind: 'user'; login: string; token: string };

export interface RestRequest {
  op: OperationSpec;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  headers: IncomingHttpHeaders;
  auth: Auth;
  /** Absolute URL of the request, for Link headers. */
  url: URL;
}

export interface RestReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (raw file contents); sent as is and not checked against the schema. */
  raw?: Buffer;
}

/** Webhook events the REST layer may raise for the app's own writes. */
export type ApiEvent =
  | {
      event: 'pull_request';
      action:
        'opened' | 'closed' | 'reopened' | 'labeled' | 'unlabeled' | 'edited' | 'assigned' | 'synchronize';
      repo: SimRepo;
      issue: SimIssue;
      sender: string;
      label?: string;
      /** `assigned`: who was assigned. */
      assignee?: string;
    }
  | {
      event: 'issues';
      action: 'opened' | 'closed' | 'labeled' | 'unlabeled' | 'edited' | 'assigned';
      repo: SimRepo;
      issue: SimIssue;
      sender: string;
      label?: string;
      /** `assigned`: who was assigned. */
      assignee?: string;
    }
  | {
      event: 'issue_comment';
      action: 'created' | 'edited';
      repo: SimRepo;
      issue: SimIssue;
      commentId: number;
      sender: string;
    };

/** What handlers can reach of the simulator. */
export interface SimCore {
  readonly state: SimState;
  readonly store: RepoStore;
  readonly app: AppIdentity;
  readonly urls: Urls;
  readonly botLogin: string;
  /** The repository named by the path, visible to the request's credentials (else 404/401). */
  repoFor(req: RestRequest, access: 'read' | 'write'): SimRepo;
  /** See `pull-stats.ts`: `background` answers `mergeable: null` until the test merge is known. */
  pullStats(repo: SimRepo, issue: SimIssue, mergeability?: 'wait' | 'background'): Promise<PullStats>;
  /** Starts the test merge of an open pull request in the background (GitHub's mergeability job). */
  startTestMerge(repo: SimRepo, issue: SimIssue): void;
  /** Every ref of the repository at `repoPath` (`{ 'refs/heads/main': sha }`), as of now. */
  refsOf(repoPath: string): Promise<Record<string, string>>;
  /** Brings a pull request's head sha and commit count up to date with its head branch. */
  refreshPull(repo: SimRepo, issue: SimIssue): Promise<void>;
  issueTokenFor(installationId: number): { token: string; expiresAt: number };
  raise(e: ApiEvent): void;
  /** Ref updates, through git or the Git Database API (for tests to check where the app wrote). */
  readonly pushLog: PushLogEntry[];
  /** Called after a ref moved, so pull requests on it pick the move up. */
  refsChanged(repo: SimRepo): void;
}

export type Handler = (req: RestRequest, sim: SimCore) => Promise<RestReply>;

const DOCS = 'https://docs.github.com/rest';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
  return { message, documentation_url: DOCS, status: String(status), ...extra };
}

export const notFound = (message = 'Not Found') => new HttpError(404, errorBody(404, message));

export const badCredentials = () => new HttpError(401, errorBody(401, 'Bad credentials'));

export interface FieldError {
  resource: string;
  code: string;
  field?: string;
  message?: string;
}

export const validationFailed = (errors: FieldError[], message = 'Validation Failed') =>
  new HttpError(422, errorBody(422, message, { errors }));

/** A page of `items` and GitHub's Link header (first/prev/next/last, as present). */
export function paginate<T>(req: RestRequest, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(req.query.per_page ?? 30) || 30, 1), 100);
  const pageNo = Math.max(Number(req.query.page ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number) => {
    const u = new URL(req.url);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(n));
    return u.toString();
  };
  const rels: string[] = [];
  if (pageNo > 1) rels.push(`<${link(pageNo - 1)}>; rel="prev"`);
  if (pageNo < last) rels.push(`<${link(pageNo + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
  if (pageNo > 1) rels.push(`<${link(1)}>; rel="first"`);
  return {
    page: items.slice((pageNo - 1) * perPage, pageNo * perPage),
    headers: rels.length ? { link: rels.join(', ') } : {},
  };
}

/** Sort by created/updated in a direction, with the id as tie-break, as GitHub's lists do. */
export function sortBy<T extends { createdAt: string; updatedAt: string; id: number }>(
  items: T[],
  sort: unknown,
  direction: unknown,
): T[] {
  const key = sort === 'updated' ? 'updatedAt' : 'createdAt';
  const dir = direction === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => (a[key] < b[key] ? -dir : a[key] > b[key] ? dir : (a.id - b.id) * dir));
}
