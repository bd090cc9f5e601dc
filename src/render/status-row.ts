/**
 * One row of the status comment: what became of one target of one pull request. Rows are
 * carried in the comment's hidden marker, so an update rewrites one row and keeps the rest
 * without any other store.
 */

export const STATUS_STATES = [
  'opened',
  'merged',
  'closed',
  'conflict',
  'already-applied',
  'waiting',
  'in-progress',
  'failed',
] as const;

export type StatusState = (typeof STATUS_STATES)[number];

export interface StatusLink {
  url: string;
  number: number;
}

export interface AutoMergeNote {
  state: 'enabled' | 'not-allowed' | 'refused';
  method: string;
  /** `refused`: GitHub's words. */
  message?: string;
}

export interface StatusRow {
  target: string;
  /** The target branch, when it differs from the target's name. */
  branch?: string;
  state: StatusState;
  /** `opened`/`merged`/`closed`: the backport pull request; `conflict`: the conflict issue. */
  link?: StatusLink;
  /** `conflict`: the draft pull request holding conflict markers, when one was opened. */
  draft?: StatusLink;
  /** `opened`: what became of turning on auto-merge (`autoMerge` in the configuration). */
  autoMerge?: AutoMergeNote;
  /** `failed`: the error's stable code and its one-sentence message. */
  error?: { code: string; message: string };
  /** When the row last changed, as an ISO 8601 time. */
  at: string;
}

/** The row if `value` is a well-formed one (markers can be edited by hand), else undefined. */
export function toStatusRow(value: unknown): StatusRow | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.target !== 'string' || typeof v.at !== 'string') return undefined;
  if (!(STATUS_STATES as readonly unknown[]).includes(v.state)) return undefined;
  const row: StatusRow = { target: v.target, state: v.state as StatusState, at: v.at };
  if (typeof v.branch === 'string') row.branch = v.branch;
  const link = toLink(v.link);
  if (link) row.link = link;
  const draft = toLink(v.draft);
  if (draft) row.draft = draft;
  const autoMerge = toAutoMerge(v.autoMerge);
  if (autoMerge) row.autoMerge = autoMerge;
  const error = v.error as Record<string, unknown> | undefined;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    row.error = { code: error.code, message: error.message };
  }
  return row;
}

function toLink(value: unknown): StatusLink | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { url, number } = value as Record<string, unknown>;
  return typeof url === 'string' && typeof number === 'number' ? { url, number } : undefined;
}

function toAutoMerge(value: unknown): AutoMergeNote | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { state, method, message } = value as Record<string, unknown>;
  if (state !== 'enabled' && state !== 'not-allowed' && state !== 'refused') return undefined;
  if (typeof method !== 'string') return undefined;
  return { state, method, ...(typeof message === 'string' ? { message } : {}) };
}
