/**
 * Injected failures: the next N matching requests get a canned answer instead of the real one,
 * for retry, rate-limit and outage tests. Git requests match too, under the pseudo operation ids
 * `git/info-refs`, `git/upload-pack` and `git/receive-pack`.
 */
import { mulberry32 } from './seeded-random.js';

export interface FaultSpec {
  operationId?: string;
  method?: string;
  /** Matched against the request path (without the query string). */
  pathRegex?: RegExp;
  status: number;
  /** Only an upload-pack request that wants this object id (e.g. one branch's fetch). */
  wanting?: string;
  /** How many requests fail; default 1. */
  times?: number;
  headers?: Record<string, string>;
  /** JSON body; default GitHub's error shape with a message for the status. */
  body?: unknown;
}

export interface Fault extends FaultSpec {
  times: number;
  /** How many requests this fault has answered so far. */
  fired: number;
}

/** A share of every request failing at random, for "GitHub is flaky" tests. */
export interface RandomFaults {
  /** The share of requests that fail, 0..1. */
  rate: number;
  /** The statuses drawn from, evenly; 429 answers carry `retry-after: 1`. */
  statuses: number[];
  /** Seeds the draws, so a failing run can be replayed (given the same request order). */
  seed: number;
  /** Requests left alone (e.g. the token endpoint); matched against the path. */
  except?: RegExp;
}

export class Faults {
  readonly list: Fault[] = [];
  private random: (RandomFaults & { next: () => number; fired: number; seen: number }) | undefined;

  add(spec: FaultSpec): Fault {
    if (!spec.operationId && !spec.method && !spec.pathRegex) {
      throw new Error('faults.add: give an operationId, a method or a pathRegex');
    }
    const fault: Fault = { ...spec, times: spec.times ?? 1, fired: 0 };
    this.list.push(fault);
    return fault;
  }

  clear(): void {
    this.list.length = 0;
    this.random = undefined;
  }

  /** From now on, `rate` of all requests (REST and git) fail with one of `statuses`. */
  randomly(spec: RandomFaults): void {
    if (!(spec.rate >= 0 && spec.rate <= 1) || spec.statuses.length === 0) {
      throw new Error('faults.randomly: rate must be within 0..1 and statuses non-empty');
    }
    this.random = { ...spec, next: mulberry32(spec.seed), fired: 0, seen: 0 };
  }

  /** How many requests the random faults saw and failed so far. */
  get randomCounts(): { seen: number; fired: number } {
    return { seen: this.random?.seen ?? 0, fired: this.random?.fired ?? 0 };
  }

  /** The first live fault matching the request, counted as fired. */
  take(
    method: string,
    path: string,
    operationId: string | undefined,
    wantIds: readonly string[] = [],
  ): Fault | undefined {
    const fault = this.list.find(
      (f) =>
        f.fired < f.times &&
        (f.operationId === undefined || f.operationId === operationId) &&
        (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) &&
        (f.pathRegex === undefined || f.pathRegex.test(path)) &&
        (f.wanting === undefined || wantIds.includes(f.wanting)),
    );
    if (fault) {
      fault.fired++;
      return fault;
    }
    return this.drawRandom(path);
  }

  private drawRandom(path: string): Fault | undefined {
    const r = this.random;
    if (!r || r.except?.test(path)) return undefined;
    r.seen++;
    if (r.next() >= r.rate) return undefined;
    r.fired++;
    const status = r.statuses[Math.floor(r.next() * r.statuses.length)]!;
    return {
      method: 'ANY',
      status,
      times: 1,
      fired: 1,
      ...(status === 429 ? { headers: { 'retry-after': '1' } } : {}),
    };
  }
}
