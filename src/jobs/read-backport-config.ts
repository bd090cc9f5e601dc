/**
 * A backport job's configuration: read it, and when it is broken say so on the PR, once,
 * in a comment kept up to date, rather than guess what the maintainer meant.
 */
import { parseConfig } from '../config/parse-config.js';
import type { BackportConfig } from '../config/schema.js';
import { BackportError, isBackportError } from '../errors.js';
import { writtenByApp, type GhComment } from '../common/github-types.js';
import type { GitHubClient } from '../publish/github-client.js';
import { renderInvalidConfigComment } from '../render/invalid-config-comment.js';
import { findMarker } from '../render/marker.js';
import type { ReadConfig } from './job-ports.js';

/** The configuration, or null after saying on the PR why it is invalid (no guessing). */
export async function readConfigOrReport(
  pullNumber: number,
  readConfig: ReadConfig,
  gh: GitHubClient,
  log: (msg: string, extra?: Record<string, unknown>) => void,
  appLogin: Promise<string>,
): Promise<BackportConfig | null> {
  try {
    const { rawConfig, configError } = await readConfig();
    if (configError)
      throw new BackportError('invalid-config', configError, {
        problems: [{ key: '(file)', problem: configError }],
      });
    return parseConfig(rawConfig);
  } catch (err) {
    if (!isBackportError(err, 'invalid-config')) throw err;
    await reportInvalidConfig(gh, pullNumber, err, await appLogin);
    log('configuration is invalid', { problem: err.message });
    return null;
  }
}

/** One comment per PR about a broken configuration, updated in place on later events. */
async function reportInvalidConfig(
  gh: GitHubClient,
  source: number,
  err: BackportError<'invalid-config'>,
  appLogin: string,
): Promise<void> {
  const body = renderInvalidConfigComment({ source, problems: err.data.problems, message: err.message });
  const comments = await gh.paginate<GhComment>('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    issue_number: source,
  });
  const existing = comments.find((c) => writtenByApp(c, appLogin) && findMarker(c.body, 'config-error'));
  if (existing) {
    if (existing.body !== body)
      await gh.write(
        'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
        { comment_id: existing.id, body },
        { idempotent: true },
      );
    return;
  }
  await gh.write(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { issue_number: source, body },
    { idempotent: false },
  );
}
