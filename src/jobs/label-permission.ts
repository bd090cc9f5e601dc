/**
 * Who may start a backport by adding a label (BACKPORT_LABEL_PERMISSION). GitHub lets the
 * triage role label, while `/backport` asks for write access; by default labelling asks for
 * the same, so a label is no way around the command's rule.
 */
import type { GhCollaboratorPermission } from '../common/github-types.js';
import { isApp } from '../common/is-app.js';
import { BackportError, isBackportError } from '../errors.js';
import type { Target } from '../plan/targets.js';
import type { GitHubClient } from '../publish/github-client.js';
import { findLabelAdders, LABEL_EVENT_PAGES } from '../publish/label-adders.js';

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

/**
 * For a job that reads the labels itself (the merge's, reconciliation's, a retry's) rather
 * than being handed one by a `labeled` event: the labels among `labels` that may not start a
 * backport, each with why. Who added a label comes from the pull request's events (see
 * `findLabelAdders`: at most four requests), then one permission check per person. A label
 * added right after the merge is read by the merge's job too, so without this a triager's
 * label would slip past the check its own `labeled` event gets. When who added a label
 * cannot be told, it is refused, never guessed.
 */
export async function refusedLabels(
  gh: GitHubClient,
  pullNumber: number,
  labels: readonly string[],
  setting: LabelPermission,
  appLogin: string,
): Promise<Map<string, BackportError>> {
  const refused = new Map<string, BackportError>();
  if (setting === 'any' || labels.length === 0) return refused;
  const adders = await findLabelAdders(gh, pullNumber, labels);
  const verdicts = new Map<string, BackportError | undefined>();
  for (const label of labels) {
    const login = adders.get(label);
    if (login === undefined) {
      refused.set(
        label,
        new BackportError(
          'not-allowed',
          `Who added the label \`${label}\` is not among the last ${LABEL_EVENT_PAGES * 100} events of #${pullNumber}, so it cannot be checked against BACKPORT_LABEL_PERMISSION; add the label again, or ask with /backport.`,
          { login: '', permission: 'unknown' },
        ),
      );
      continue;
    }
    if (!verdicts.has(login)) {
      try {
        await checkLabelPermission(gh, login, setting, appLogin);
        verdicts.set(login, undefined);
      } catch (err) {
        if (!isBackportError(err, 'not-allowed')) throw err;
        verdicts.set(login, err);
      }
    }
    const verdict = verdicts.get(login);
    if (verdict) refused.set(label, verdict);
  }
  return refused;
}

/**
 * The targets whose labels may start a backport, and the refused ones with why: a `labeled`
 * event's job checks its sender; a job that read the labels itself checks whoever added each.
 */
export async function allowedTargets(
  gh: GitHubClient,
  job: {
    pullNumber: number;
    labeledBy: string | undefined;
    targets: Target[];
    setting: LabelPermission;
    appLogin: string;
  },
): Promise<{ targets: Target[]; refused: [Target, BackportError][] }> {
  const { targets, setting, appLogin } = job;
  if (job.labeledBy !== undefined) {
    try {
      await checkLabelPermission(gh, job.labeledBy, setting, appLogin);
      return { targets, refused: [] };
    } catch (err) {
      if (!isBackportError(err, 'not-allowed')) throw err;
      return { targets: [], refused: targets.map((t) => [t, err]) };
    }
  }
  const labels = [...new Set(targets.map((t) => t.label))];
  const refused = await refusedLabels(gh, job.pullNumber, labels, setting, appLogin);
  return {
    targets: targets.filter((t) => !refused.has(t.label)),
    refused: targets.flatMap((t): [Target, BackportError][] => {
      const why = refused.get(t.label);
      return why ? [[t, why]] : [];
    }),
  };
}
