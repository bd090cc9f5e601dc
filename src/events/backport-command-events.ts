import type { Probot } from 'probot';
import type { BackportCommand } from '../jobs/answer-backport-command.js';
import type { BackportService } from '../jobs/backport-service.js';
import { parseBackportCommand } from '../plan/parse-backport-command.js';
import { submit } from './backport-events.js';
import { installationAccess } from './installation-access.js';
import { readConfig } from './read-config.js';

/**
 * Comments → `/backport` commands. Do not add logic here: the handler names the PR, the
 * comment, its author and the targets, and hands over; the answer (permission, labels,
 * replies) is the job's.
 */
export function onBackportCommand(app: Probot, service: BackportService): void {
  app.on('issue_comment.created', async (context) => {
    const { issue, comment } = context.payload;
    if (!issue.pull_request || comment.user?.type === 'Bot') return;
    const targets = parseBackportCommand(comment.body);
    if (!targets || targets.length === 0) return;
    const command: BackportCommand = {
      ...context.repo(),
      pullNumber: issue.number,
      commentId: comment.id,
      login: comment.user?.login ?? '',
      targets,
    };
    await service.answerCommand(command, {
      access: installationAccess(context),
      readConfig: () => readConfig(context),
      backport: (labels) => submit(context, issue.number, labels, service),
    });
  });
}
