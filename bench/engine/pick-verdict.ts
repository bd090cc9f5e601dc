import type { PickResult } from '../../src/pick/types.js';

/** What one pick came to, from git or from our engine, in comparable terms. */
export interface PickVerdict {
  status: 'applied' | 'conflict' | 'error';
  /** The result tree of a clean pick. */
  tree?: string;
  /** Conflicting paths, sorted. */
  conflicts?: string[];
  /** Why a pick errored. */
  detail?: string;
}

/** A PickResult (from the API, or parsed from the CLI's JSON) as a verdict. */
export function verdictOf(result: Partial<PickResult> & { status?: string }): PickVerdict {
  if (result.status === 'applied' && 'tree' in result && typeof result.tree === 'string') {
    return { status: 'applied', tree: result.tree };
  }
  if (result.status === 'conflict' && 'conflicts' in result && Array.isArray(result.conflicts)) {
    return { status: 'conflict', conflicts: result.conflicts.map((c) => c.path).sort() };
  }
  return { status: 'error', detail: `unexpected result: ${JSON.stringify(result).slice(0, 200)}` };
}
