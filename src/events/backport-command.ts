import type { Probot } from 'probot';
import { parseConfig } from '../config/parse-config.js';
import type { BackportConfig } from '../config/schema.js';
import { isBackportError } from '../errors.js';
import { parseBackportCommand } from '../plan/backport-command.js';
import { labelForTarget } from '../plan/targets.js';
import { renderCommandRefused } from '../render/command-reply.js';
import { inlineCode, inlineMessage } from '../render/no-ping.js';
import type { BackportService } from '../jobs/backport-service.js';
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
    let config: BackportConfig;
    try {
      if (configError) throw new Error(configError);
      config = parseConfig(rawConfig);
    } catch (err) {
      // The pipeline reports configuration problems on the PR; run it to say so.
      if (isBackportError(err) || configError) await submit(context, issue.number, [], service);
      else throw err;
      return;
    }
    // A target that cannot be a label or a branch is answered on its own; the others go on.
    const labels: string[] = [];
    const refused: string[] = [];
    for (const target of targets) {
      try {
        labels.push(labelForTarget(config, target));
      } catch (err) {
        if (!isBackportError(err)) throw err;
        refused.push(err.message);
      }
    }
    if (refused.length > 0) {
      await context.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...context.repo(),
        issue_number: issue.number,
        body: `${inlineCode(['/backport', ...targets].join(' '), { max: 200 })}: ${refused
          .map((m) => inlineMessage(m))
          .join(' ')} ${labels.length > 0 ? 'The other targets were started.' : 'Nothing was started.'}`,
      });
    }
    if (labels.length === 0) return;
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
