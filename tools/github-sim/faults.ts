/**
 * Injected failures: the next N matching requests get a canned answer instead of the real one,
 * for retry, rate-limit and outage tests. Git requests match too, under the pseudo operation ids
 * `git/info-refs`, `git/upload-pack` and `git/receive-pack`.
 */
export interface FaultSpec {
  operationId?: string;
  method?: string;
  /** Matched against the request path (without the query string). */
  pathRegex?: RegExp;
  status: number;
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

export class Faults {
  readonly list: Fault[] = [];

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
  }

  /** The first live fault matching the request, counted as fired. */
  take(method: string, path: string, operationId: string | undefined): Fault | undefined {
    const fault = this.list.find(
      (f) =>
        f.fired < f.times &&
        (f.operationId === undefined || f.operationId === operationId) &&
        (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) &&
        (f.pathRegex === undefined || f.pathRegex.test(path)),
    );
    if (fault) fault.fired++;
    return fault;
  }
}
