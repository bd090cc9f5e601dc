import type { BackportCommand } from './answer-backport-command.js';
import type { ResolveCommand } from './answer-resolve-command.js';
import type { WithCommand } from './answer-with-command.js';
import type { MergedHint } from './backport-request.js';

/** Where a job acts: a repository and the pull request (or issue) its event named. */
interface JobTarget {
  owner: string;
  repo: string;
  /** The repository's https clone URL (no credentials in it). */
  cloneUrl: string;
  /**
   * The PR (or, for `/backport resolve` on a conflict issue, the issue) the event named.
   * Jobs with the same number in one repository keep their order (job-store.ts).
   */
  pullNumber: number;
}

/**
 * What a backport job asks for: "backport PR #N of owner/repo", with the labels to act on.
 * It holds names (no payload snapshot, no configuration): the job reads the PR and
 * `.github/backport.yml` when it runs, so a job resumed after a restart, or queued again by
 * reconciliation, acts on GitHub's current state. The one piece of payload, `merged`, is a
 * hint for an early fetch that the PR as read confirms or overrules. (Rows written before job kinds existed
 * have no `kind`: they are backports.)
 */
export interface BackportJobRequest extends JobTarget {
  kind?: 'backport';
  /** 'all': every label naming a target (the PR was just merged); else only these labels. */
  labels: 'all' | string[];
  /** Only these targets (a retry of failed ones); absent: every target the labels name. */
  targets?: string[] | undefined;
  /** Who added the label, for a `labeled` event (its permission is checked when the job runs). */
  labeledBy?: string | undefined;
  /**
   * The merge as the webhook described it, for a fetch started before the PR is read (a hint:
   * the PR as read decides). Absent in jobs queued before it existed, retries, reconciliation.
   */
  merged?: MergedHint | undefined;
  /** Why it was queued, for logs: a webhook, `/backport retry`, or reconciliation. */
  origin: 'webhook' | 'retry-command' | 'reconcile';
}

/**
 * The other work a webhook starts, each durable like a backport and run in the same turn
 * of its repository (it reads or writes the same cache and comments):
 *   - `preview`: the "Backport preview" check of an open PR;
 *   - `marker-gate`: the conflict-marker check after a push to one of the app's PRs;
 *   - `follow-pull`: the status row follows a backport PR closed or reopened;
 *   - `settle-resolution`: a merged resolution PR closes its conflict issue;
 *   - `retry-dependents`: a merged backport PR queues the backports that waited for it;
 *   - `command`: a `/backport <targets>` or `/backport retry` comment (the permission check,
 *     the replies and labels; the backports it starts are jobs of their own);
 *   - `resolve` and `with`: the `/backport resolve` and `/backport <target> with …` comments.
 * Like backports, they carry names only and read GitHub's current state when they run.
 */
export type WorkRequest =
  | { [K in PlainKind]: JobTarget & { kind: K } }[PlainKind]
  | (JobTarget & { kind: 'command'; command: Omit<BackportCommand, Where> })
  | (JobTarget & { kind: 'resolve'; command: Omit<ResolveCommand, Where> })
  | (JobTarget & { kind: 'with'; command: Omit<WithCommand, Where> });

type PlainKind = 'preview' | 'marker-gate' | 'follow-pull' | 'settle-resolution' | 'retry-dependents';
/** A command's repository comes from its job (the clone URL from the configured GitHub host). */
type Where = 'owner' | 'repo' | 'cloneUrl';

export type JobRequest = BackportJobRequest | WorkRequest;

export type JobKind = NonNullable<JobRequest['kind']>;

/** A request as the event layer hands it over: what to do, for which installation, from which delivery. */
export interface AcceptedRequest {
  request: JobRequest;
  installationId: number;
  /** GitHub's delivery id: the same delivery twice makes one job. */
  deliveryId?: string | undefined;
}

export function isBackportJob(request: JobRequest): request is BackportJobRequest {
  return request.kind === undefined || request.kind === 'backport';
}

export function kindOf(request: JobRequest): JobKind {
  return request.kind ?? 'backport';
}

/**
 * Work that reads everything afresh when it runs: a second request for the same PR, while
 * the first is still queued, adds nothing to it.
 */
const FRESH_READS: ReadonlySet<JobKind> = new Set([
  'preview',
  'marker-gate',
  'follow-pull',
  'settle-resolution',
  'retry-dependents',
]);

/**
 * One request that does what both do (a queued job absorbing a later request for its PR), or
 * undefined when they cannot be one: labels added by different people are checked apart,
 * every comment command is its own job, and different kinds never merge.
 */
export function mergeRequests(a: JobRequest, b: JobRequest): JobRequest | undefined {
  if (kindOf(a) !== kindOf(b)) return undefined;
  if (FRESH_READS.has(kindOf(a))) return a;
  if (!isBackportJob(a) || !isBackportJob(b)) return undefined;
  if (a.labeledBy !== b.labeledBy) return undefined;
  const labels = a.labels === 'all' || b.labels === 'all' ? 'all' : union(a.labels, b.labels);
  const targets = a.targets && b.targets ? union(a.targets, b.targets) : undefined;
  const merged = a.merged ?? b.merged;
  return { ...a, labels, ...(targets ? { targets } : { targets: undefined }), ...(merged ? { merged } : {}) };
}

/** True when `merged` asks for nothing `before` did not (only called on a merge of the two). */
export function sameRequest(before: JobRequest, merged: JobRequest): boolean {
  if (!isBackportJob(before) || !isBackportJob(merged)) return before === merged;
  return key(before.labels) === key(merged.labels) && key(before.targets) === key(merged.targets);
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function key(list: 'all' | readonly string[] | undefined): string {
  if (list === undefined || list === 'all') return String(list);
  return JSON.stringify([...list].sort());
}
