/**
 * What the HTTP layer (REST and git) needs of the simulator beyond the handlers' SimCore: the
 * logs tests read, the validator, faults, and the git hooks that keep pull requests current.
 */
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
