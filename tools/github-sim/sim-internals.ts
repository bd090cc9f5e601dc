/**
 * What the HTTP layer (REST and git) needs of the simulator beyond the handlers' SimCore: the
 * logs tests read, the validator, faults, and the git hooks that keep pull requests current.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { KeyObject } from 'node:crypto';
import type { Faults } from './faults.js';
import type { OpenApiValidator } from './openapi-validator.js';
import type { SimCore } from './rest-types.js';
import type { Router } from './router.js';
import type { SimRepo } from './state.js';
import type { UploadRequestSummary } from './upload-request.js';

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The OpenAPI operation, `git/...` for git requests, or null for an unknown route. */
  operationId: string | null;
  status: number;
  ms: number;
  /** An upload-pack POST: which command it was and what it asked for. */
  upload?: UploadRequestSummary;
  /** Of `ms`: the injected latency, as slept (a loaded machine's timers run late). */
  latencyMs?: number;
  /** Of `ms`: git processes the simulator ran for the request, and their wall time. */
  gitProcesses?: number;
  gitMs?: number;
}

export interface PushLogEntry {
  repo: string;
  ref: string;
  old: string;
  new: string;
  /** False when git refused the update (protected branch, stale old value). */
  accepted: boolean;
  installationId: number | null;
  token: string | null;
}

export interface Violation {
  kind: 'request' | 'response' | 'unimplemented';
  operationId: string | null;
  method: string;
  path: string;
  status?: number;
  message: string;
}

export interface SimStats {
  restCalls: number;
  gitRequests: number;
  /** Bytes the server sent in answer to fetches (info/refs for upload-pack and upload-pack). */
  gitUploadBytes: number;
  /** Bytes the server received in pushes. */
  gitReceiveBytes: number;
}

export interface SimInternals extends SimCore {
  readonly validator: OpenApiValidator;
  readonly router: Router;
  readonly faults: Faults;
  readonly requestLog: RequestLogEntry[];
  readonly pushLog: PushLogEntry[];
  readonly violations: Violation[];
  readonly stats: SimStats;
  readonly keys: { publicKey: KeyObject; appId: number };
  readonly latencyMs: number;
  readonly git: { protocolV2: boolean; allowFilter: boolean };
  /** Called after a push landed, so pull requests on the pushed branches pick it up. */
  refsChanged(repo: SimRepo): void;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/** What the simulator spent on one request besides its own code: latency, git processes. */
export interface RequestWork {
  latencyMs: number;
  gitProcesses: number;
  gitMs: number;
}

/** The request being answered, for the git wrappers to count their processes against. */
export const requestWork = new AsyncLocalStorage<RequestWork>();

/** Counts a git process against the request being answered (if any); call when it ended. */
export function countGitProcess(startedAt: number): void {
  const work = requestWork.getStore();
  if (!work) return;
  work.gitProcesses++;
  work.gitMs += performance.now() - startedAt;
}

/** The request's work for its log entry, rounded. */
export function workOfRequest(): Pick<RequestLogEntry, 'latencyMs' | 'gitProcesses' | 'gitMs'> {
  const work = requestWork.getStore();
  if (!work) return {};
  return {
    latencyMs: Math.round(work.latencyMs),
    gitProcesses: work.gitProcesses,
    gitMs: Math.round(work.gitMs),
  };
}
