import type { Probot } from 'probot';
import type { BackportService } from '../jobs/backport-service.js';
import {
  isRetryCommand,
  parseBackportCommand,
  parseResolveCommand,
  parseWithCommand,
} from '../plan/parse-backport-command.js';
import { acceptJob } from './accept-job.js';

/**
 * Comments → `/backport <targets>`, `/backport retry`, `/backport resolve` and
 * `/backport <target> with …` commands, each a durable job. Do not add logic here: the
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
    const command = {
      pullNumber: issue.number,
      commentId: comment.id,
      login,
      targets: retry ? [] : targets,
      ...(retry ? { retry } : {}),
    };
    await acceptJob(context, { kind: 'command', pullNumber: issue.number, command }, service, 'command');
  });
}
