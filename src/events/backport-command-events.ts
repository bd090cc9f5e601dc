import type { Probot } from 'probot';
import type { BackportCommand } from '../jobs/answer-backport-command.js';
import type { BackportService } from '../jobs/backport-service.js';
import {
  isRetryCommand,
  parseBackportCommand,
  parseResolveCommand,
  parseWithCommand,
} from '../plan/parse-backport-command.js';
import { submit } from './backport-events.js';
import { acceptJob } from './accept-job.js';
import { installationAccess } from './installation-access.js';
import { readConfig } from './read-config.js';

/**
 * Comments → `/backport` and `/backport resolve` commands. Do not add logic here: the
 * handler names the PR or issue, the comment, its author and what it asks, and hands over;
 * the answer (permission, labels, replies, the resolution) is the job's.
 */
export function onBackportCommand(app: Probot, service: BackportService): void {
  app.on('issue_comment.created', async (context) => {
    const { issue, comment } = context.payload;
    if (comment.user?.type === 'Bot') return;
    const resolve = parseResolveCommand(comment.body);
    const login = comment.user?.login ?? '';
    if (resolve) {
      const isPull = Boolean(issue.pull_request);
      const command = { number: issue.number, isPull, commentId: comment.id, login, request: resolve };
      await acceptJob(context, { kind: 'resolve', pullNumber: issue.number, command }, service, 'resolve');
      return;
    }
    if (!issue.pull_request) return;
    const withRequest = parseWithCommand(comment.body);
    if (withRequest) {
      const command = { pullNumber: issue.number, commentId: comment.id, login, request: withRequest };
      await acceptJob(context, { kind: 'with', pullNumber: issue.number, command }, service, 'with');
    }
    const targets = parseBackportCommand(comment.body);
    if (!targets || targets.length === 0) return;
    const retry = isRetryCommand(targets);
    const command: BackportCommand = {
      ...context.repo(),
      pullNumber: issue.number,
      commentId: comment.id,
      login: comment.user?.login ?? '',
      targets: retry ? [] : targets,
      ...(retry ? { retry } : {}),
    };
    await service.answerCommand(command, {
      access: installationAccess(context),
      readConfig: () => readConfig(context),
      backport: (labels) => submit(context, issue.number, { labels }, service),
      retry: (failed) =>
        submit(context, issue.number, { labels: 'all', targets: failed, origin: 'retry-command' }, service),
    });
  });
}
