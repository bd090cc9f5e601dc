import type { Probot } from 'probot';
import { parseConfig } from '../config/parse-config.js';
import { isBackportError } from '../errors.js';
import { parseBackportCommand } from '../plan/backport-command.js';
import { labelForTarget } from '../plan/targets.js';
import { renderCommandRefused } from '../render/command-reply.js';
import type { BackportService } from '../run/backport-service.js';
import { submit } from './backport-events.js';
import { readConfig } from './read-config.js';

const WRITERS = new Set(['admin', 'maintain', 'write']);

/**
 * `/backport v1.2 v1.3` on a pull request: people with write access get the labels added
 * (so the request stays visible as labels) and, on a merged PR, the backport started;
 * anyone else gets a polite refusal.
 */
export function onBackportCommand(app: Probot, service: BackportService): void {
  app.on('issue_comment.created', async (context) => {
    const { issue, comment } = context.payload;
    if (!issue.pull_request || comment.user?.type === 'Bot') return;
    const targets = parseBackportCommand(comment.body);
    if (!targets || targets.length === 0) return;
    const login = comment.user?.login ?? '';
    const { data } = await context.octokit.request(
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
      {
        ...context.repo(),
        username: login,
      },
    );
    const permission = (data as { role_name?: string; permission: string }).role_name ?? data.permission;
    if (!WRITERS.has(permission) && !WRITERS.has(data.permission)) {
      await context.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...context.repo(),
        issue_number: issue.number,
        body: renderCommandRefused({ login, targets, permission }),
      });
      return;
    }
    const { rawConfig, configError } = await readConfig(context);
    let labels: string[];
    try {
      if (configError) throw new Error(configError);
      const config = parseConfig(rawConfig);
      labels = targets.map((t) => labelForTarget(config, t));
    } catch (err) {
      // The pipeline reports configuration problems on the PR; run it to say so.
      if (isBackportError(err) || configError) await submit(context, issue.number, [], service);
      else throw err;
      return;
    }
    await context.octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
      ...context.repo(),
      comment_id: comment.id,
      content: 'rocket',
    });
    await context.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
      ...context.repo(),
      issue_number: issue.number,
      labels,
    });
    await submit(context, issue.number, labels, service);
  });
}
