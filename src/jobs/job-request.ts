/**
 * What a durable job asks for: "backport PR #N of owner/repo", with the labels to act on.
 * It holds names only (no payload snapshot, no configuration): the job reads the PR and
 * `.github/backport.yml` when it runs, so a job resumed after a restart, or queued again by
 * reconciliation, acts on GitHub's current state.
 */
export interface JobRequest {
  owner: string;
  repo: string;
  /** The repository's https clone URL (no credentials in it). */
  cloneUrl: string;
  pullNumber: number;
  /** 'all': every label naming a target (the PR was just merged); else only these labels. */
  labels: 'all' | string[];
  /** Only these targets (a retry of failed ones); absent: every target the labels name. */
  targets?: string[] | undefined;
  /** Who added the label, for a `labeled` event (its permission is checked when the job runs). */
  labeledBy?: string | undefined;
  /** Why it was queued, for logs: a webhook, `/backport retry`, or reconciliation. */
  origin: 'webhook' | 'retry-command' | 'reconcile';
}

/** A request as the event layer hands it over: what to do, for which installation, from which delivery. */
export interface AcceptedRequest {
  request: JobRequest;
  installationId: number;
  /** GitHub's delivery id: the same delivery twice makes one job. */
  deliveryId?: string | undefined;
}

/**
 * One request that does what both do (a queued job absorbing a later request for its PR), or
 * undefined when they cannot be one: labels added by different people are checked apart.
 */
export function mergeRequests(a: JobRequest, b: JobRequest): JobRequest | undefined {
  if (a.labeledBy !== b.labeledBy) return undefined;
  const labels = a.labels === 'all' || b.labels === 'all' ? 'all' : union(a.labels, b.labels);
  const targets = a.targets && b.targets ? union(a.targets, b.targets) : undefined;
  return { ...a, labels, ...(targets ? { targets } : { targets: undefined }) };
}

export function sameRequest(a: JobRequest, b: JobRequest): boolean {
  return key(a.labels) === key(b.labels) && key(a.targets) === key(b.targets);
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function key(list: 'all' | readonly string[] | undefined): string {
  if (list === undefined || list === 'all') return String(list);
  return JSON.stringify([...list].sort());
}
