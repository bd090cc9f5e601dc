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
    if (resolve) {
      void service.resolveCommand(
        {
          ...context.repo(),
          cloneUrl: context.payload.repository.clone_url,
          number: issue.number,
          isPull: Boolean(issue.pull_request),
          commentId: comment.id,
          login: comment.user?.login ?? '',
          request: resolve,
        },
        { access: installationAccess(context), readConfig: () => readConfig(context) },
      );
      return;
    }
    if (!issue.pull_request) return;
    const withRequest = parseWithCommand(comment.body);
    if (withRequest) {
      void service.withCommand(
        {
          ...context.repo(),
          cloneUrl: context.payload.repository.clone_url,
          pullNumber: issue.number,
          commentId: comment.id,
          login: comment.user?.login ?? '',
          request: withRequest,
        },
        { access: installationAccess(context), readConfig: () => readConfig(context) },
      );
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
