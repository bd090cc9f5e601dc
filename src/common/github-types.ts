/**
 * The few fields of GitHub's REST objects (and of the same objects in webhook payloads) this
 * app reads. Below publish/ and ledger/, so both read GitHub through the same shapes.
 */

import { isApp } from './is-app.js';
export interface GhUser {
  login: string;
  type?: string;
}

export interface GhLabel {
  name: string;
}

export interface GhIssue {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  title: string;
  body?: string | null;
  user: GhUser | null;
  labels: Array<GhLabel | string>;
  assignees?: GhUser[] | null;
  /** Present when the "issue" is a pull request (the issues API lists both). */
  pull_request?: unknown;
  created_at: string;
  closed_at?: string | null;
  updated_at: string;
}

export interface GhPull {
  number: number;
  /** The GraphQL global id (for mutations such as auto-merge). */
  node_id?: string;
  html_url: string;
  state: 'open' | 'closed';
  title: string;
  body?: string | null;
  user: GhUser | null;
  draft?: boolean;
  merged?: boolean;
  merged_at?: string | null;
  merged_by?: GhUser | null;
  /** Open: GitHub's test merge of head into base (refs/pull/N/merge); merged: what landed. */
  merge_commit_sha?: string | null;
  /** Open: whether head merges cleanly into base; null while GitHub is still working it out. */
  mergeable?: boolean | null;
  labels: GhLabel[];
  assignees?: GhUser[] | null;
  requested_reviewers?: GhUser[] | null;
  milestone?: { number: number; title: string } | null;
  head: { ref: string; sha: string; repo?: { full_name: string } | null };
  base: { ref: string; sha: string };
  commits?: number;
  created_at: string;
  closed_at?: string | null;
}

export interface GhComment {
  id: number;
  body?: string | null;
  user: GhUser | null;
  html_url: string;
}

/** A person's access to a repository; `role_name` names a custom role, when there is one. */
export interface GhCollaboratorPermission {
  permission: string;
  role_name?: string;
}

export interface GhPullCommit {
  sha: string;
  commit: { message: string; author: { name: string; email: string; date: string } | null };
}

export function labelName(label: GhLabel | string): string {
  return typeof label === 'string' ? label : label.name;
}

/**
 * Bodies the app relies on (markers) must come from the app itself: its exact bot login
 * (`slug[bot]`), not any Bot account, since another app can write the same marker.
 */
export function writtenByApp(item: { user: GhUser | null }, appLogin: string): boolean {
  return isApp(item.user, appLogin);
}
