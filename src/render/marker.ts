/**
 * Hidden markers: an HTML comment carrying a small JSON record, put in every body the app
 * writes. Idempotency and the release managers' ledger both come from them: a re-run finds
 * what it already made by its marker instead of keeping state in memory, and the ledger can
 * be rebuilt from GitHub alone.
 */
import { toStatusRow, type StatusRow } from './status-row.js';

export type Marker =
  /**
   * The body of a backport pull request. One finished with `/backport resolve` also names
   * the conflict issue it settles (closed when the PR merges) and the answer it applied.
   */
  | {
      type: 'backport-pr';
      source: number;
      target: string;
      commits: string[];
      issue?: number;
      resolution?: string;
    }
  /**
   * The body of a conflict issue. `branch`, `onto` (the target tip the series was picked on)
   * and `mainline` let `/backport resolve` redo exactly the pick the issue shows.
   */
  | {
      type: 'conflict-issue';
      source: number;
      target: string;
      commits: string[];
      branch?: string;
      onto?: string;
      mainline?: number;
      /** The merged PRs of the prerequisites the issue names: their own backports' merges retry this one. */
      needs?: number[];
    }
  /** The status comment on the original pull request, with one row per target. */
  | { type: 'status-comment'; source: number; rows?: StatusRow[] }
  /** The comment saying `.github/backport.yml` could not be used. */
  | { type: 'config-error'; source: number }
  /** The per-repository "Backport status" tracking issue. */
  | { type: 'tracking-issue' };

export type MarkerType = Marker['type'];

const PREFIX = '<!-- backport-assistant ';
const SUFFIX = ' -->';

/**
 * Renders a marker. Characters that could end the comment early or open a tag (`-`, `<`,
 * `>`) are written as JSON unicode escapes, so a branch named `a-->b` cannot break out.
 */
export function renderMarker(marker: Marker): string {
  const json = JSON.stringify({ v: 1, ...marker }).replace(
    /[-<>]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${PREFIX}${json}${SUFFIX}`;
}

/** Every well-formed marker in a body, in order. Malformed ones are ignored, never thrown on. */
export function parseMarkers(body: string | null | undefined): Marker[] {
  if (!body) return [];
  const found: Marker[] = [];
  let at = body.indexOf(PREFIX);
  while (at !== -1) {
    const end = body.indexOf(SUFFIX, at + PREFIX.length);
    if (end === -1) break;
    const parsed = parseRecord(body.slice(at + PREFIX.length, end));
    if (parsed) found.push(parsed);
    at = body.indexOf(PREFIX, end + SUFFIX.length);
  }
  return found;
}

/**
 * The marker of the given type in a body. The app writes its marker last, after any user
 * text (a diff shown in a conflict issue may itself contain a marker), so the last one wins.
 */
export function findMarker<T extends MarkerType>(
  body: string | null | undefined,
  type: T,
): Extract<Marker, { type: T }> | undefined {
  return parseMarkers(body).findLast((m): m is Extract<Marker, { type: T }> => m.type === type);
}

function parseRecord(text: string): Marker | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { v, ...rest } = value as Record<string, unknown>;
  if (v !== 1) return undefined;
  switch (rest.type) {
    case 'backport-pr':
    case 'conflict-issue':
      return typeof rest.source === 'number' &&
        typeof rest.target === 'string' &&
        Array.isArray(rest.commits) &&
        rest.commits.every((c) => typeof c === 'string')
        ? (rest as Marker)
        : undefined;
    case 'status-comment': {
      if (typeof rest.source !== 'number') return undefined;
      if (rest.rows === undefined) return { type: 'status-comment', source: rest.source };
      const rows = Array.isArray(rest.rows) ? rest.rows.map(toStatusRow).filter((r) => r !== undefined) : [];
      return { type: 'status-comment', source: rest.source, rows };
    }
    case 'config-error':
      return typeof rest.source === 'number' ? { type: 'config-error', source: rest.source } : undefined;
    case 'tracking-issue':
      return { type: 'tracking-issue' };
    default:
      return undefined;
  }
}
