/**
 * Maps a request to an operation of the OpenAPI fixture. Paths are matched on raw segments
 * (Octokit sends `heads%2Fmain`, GitHub also accepts `heads/main`), so a trailing `path`, `ref`
 * or `branch` parameter takes the rest of the path; literal segments win over parameters.
 */
import type { OperationSpec } from './openapi-validator.js';

const GREEDY_LAST = new Set(['path', 'ref', 'branch']);

interface Route {
  op: OperationSpec;
  segments: string[];
  literals: number;
}

export interface RouteMatch {
  op: OperationSpec;
  params: Record<string, string>;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class Router {
  private readonly routes: Route[];

  constructor(operations: OperationSpec[]) {
    this.routes = operations.map((op) => {
      const segments = op.path.split('/').slice(1);
      return { op, segments, literals: segments.filter((s) => !s.startsWith('{')).length };
    });
  }

  match(method: string, pathname: string): RouteMatch | null {
    const raw = pathname.replace(/\/+$/, '').split('/').slice(1);
    let best: (RouteMatch & { literals: number }) | null = null;
    for (const route of this.routes) {
      if (route.op.method !== method.toUpperCase()) continue;
      const params = this.bind(route.segments, raw);
      if (params && (!best || route.literals > best.literals))
        best = { op: route.op, params, literals: route.literals };
    }
    return best ? { op: best.op, params: best.params } : null;
  }

  private bind(template: string[], raw: string[]): Record<string, string> | null {
    const params: Record<string, string> = {};
    for (let i = 0; i < template.length; i++) {
      const t = template[i]!;
      const name = t.startsWith('{') ? t.slice(1, -1) : null;
      const last = i === template.length - 1;
      if (name && last && GREEDY_LAST.has(name)) {
        if (raw.length < template.length)
          return name === 'path' && raw.length === i ? { ...params, path: '' } : null;
        params[name] = raw.slice(i).map(decode).join('/');
        return params;
      }
      const seg = raw[i];
      if (seg === undefined || seg === '') return null;
      if (name) params[name] = decode(seg);
      else if (seg !== t) return null;
    }
    return raw.length === template.length ? params : null;
  }
}
