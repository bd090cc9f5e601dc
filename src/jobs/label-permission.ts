/**
 * Who may start a backport by adding a label (BACKPORT_LABEL_PERMISSION). GitHub lets the
 * triage role label, while `/backport` asks for write access; by default labelling asks for
 * the same, so a label is no way around the command's rule.
 */
import type { GhCollaboratorPermission } from '../common/github-types.js';
import { isApp } from '../common/is-app.js';
import { BackportError } from '../errors.js';
import type { GitHubClient } from '../publish/github-client.js';

export const LABEL_PERMISSIONS = ['write', 'triage', 'any'] as const;
export type LabelPermission = (typeof LABEL_PERMISSIONS)[number];

const ALLOWED: Record<LabelPermission, ReadonlySet<string> | 'any'> = {
  write: new Set(['admin', 'maintain', 'write']),
  triage: new Set(['admin', 'maintain', 'write', 'triage']),
  any: 'any',
};

/**
 * Throws `not-allowed` when `login` may not start a backport by labelling. The app itself
 * (labels it adds for `/backport`, whose author was already checked) always may.
 */
export async function checkLabelPermission(
  gh: GitHubClient,
  login: string,
  setting: LabelPermission,
  appLogin: string,
): Promise<void> {
  const allowed = ALLOWED[setting];
  if (allowed === 'any' || isApp({ login }, appLogin)) return;
  const data = await gh.get<GhCollaboratorPermission>(
    'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
    { username: login },
  );
  const name = data.role_name ?? data.permission;
  if (allowed.has(name) || allowed.has(data.permission)) return;
  throw new BackportError(
    'not-allowed',
    `@${login} added the label with ${name} access, but starting a backport by labelling takes ${setting} access here (BACKPORT_LABEL_PERMISSION).`,
    { login, permission: name },
  );
}
