/**
 * The app's Prometheus metrics (served at `GET /metrics`). One registry per process, fed from
 * wherever the thing happens: the job queue, the git transport, the GitHub client. It sits in
 * the base layer so any room can record into it without knowing who serves it.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export interface AppMetrics {
  readonly registry: Registry;
  /** Jobs waiting to run, and running, on this instance (set by the job queue). */
  readonly jobsQueued: Gauge;
  readonly jobsRunning: Gauge;
  /** Jobs that ended failed (after their last try), that were tried again, and that ended. */
  readonly jobsFailed: Counter;
  readonly jobsRetried: Counter;
  readonly jobsCompleted: Counter;
  /** From a job's start to its final status rows, and the cherry-pick of one target. */
  readonly jobDuration: Histogram;
  readonly pickDuration: Histogram;
  /** Pack bytes received from GitHub's git server. */
  readonly bytesFetched: Counter;
  /** REST calls by outcome: the HTTP status, or `error` when GitHub did not answer. */
  readonly githubCalls: Counter<'status'>;
  /** The last `x-ratelimit-remaining` GitHub announced. */
  readonly rateLimitRemaining: Gauge;
  /** What reconciliation found (`kind`: missing-row, stuck, requeued, …) and what a pass cost. */
  readonly reconcileFindings: Counter<'kind'>;
  readonly reconcileApiCalls: Counter;
  /** GitHub calls of the costliest repository in the latest pass (bounded by design). */
  readonly reconcileMaxCallsPerRepo: Gauge;
}

export function createMetrics(registry = new Registry()): AppMetrics {
  const r = [registry];
  return {
    registry,
    jobsQueued: new Gauge({ name: 'backport_jobs_queued', help: 'Jobs waiting to run', registers: r }),
    jobsRunning: new Gauge({ name: 'backport_jobs_running', help: 'Jobs running now', registers: r }),
    jobsFailed: new Counter({
      name: 'backport_jobs_failed_total',
      help: 'Jobs that ended failed',
      registers: r,
    }),
    jobsRetried: new Counter({
      name: 'backport_jobs_retried_total',
      help: 'Job tries after a transient failure',
      registers: r,
    }),
    jobsCompleted: new Counter({
      name: 'backport_jobs_completed_total',
      help: 'Jobs that ended with their final rows written',
      registers: r,
    }),
    jobDuration: new Histogram({
      name: 'backport_job_duration_seconds',
      help: 'From a job start to its final status rows',
      buckets: SECONDS,
      registers: r,
    }),
    pickDuration: new Histogram({
      name: 'backport_pick_duration_seconds',
      help: 'Cherry-pick of one target, in the engine',
      buckets: SECONDS,
      registers: r,
    }),
    bytesFetched: new Counter({
      name: 'backport_git_fetched_bytes_total',
      help: 'Pack bytes received from the git server',
      registers: r,
    }),
    githubCalls: new Counter({
      name: 'backport_github_calls_total',
      help: 'GitHub REST calls, by HTTP status (error: no answer)',
      labelNames: ['status'],
      registers: r,
    }),
    rateLimitRemaining: new Gauge({
      name: 'backport_github_rate_limit_remaining',
      help: 'The last x-ratelimit-remaining GitHub announced',
      registers: r,
    }),
    reconcileFindings: new Counter({
      name: 'backport_reconcile_findings_total',
      help: 'What reconciliation found, by kind',
      labelNames: ['kind'],
      registers: r,
    }),
    reconcileApiCalls: new Counter({
      name: 'backport_reconcile_github_calls_total',
      help: 'GitHub calls reconciliation made',
      registers: r,
    }),
    reconcileMaxCallsPerRepo: new Gauge({
      name: 'backport_reconcile_max_calls_per_repo',
      help: 'GitHub calls of the costliest repository in the latest reconciliation pass',
      registers: r,
    }),
  };
}

/** The process's metrics. Node's own (memory, event loop lag) are collected once, here. */
export const metrics: AppMetrics = createMetrics();
collectDefaultMetrics({ register: metrics.registry });

/** Seconds since `start` (from `performance.now()`), for the histograms. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
