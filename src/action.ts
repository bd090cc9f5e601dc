/**
 * The app as a GitHub Action: one workflow run handles the one event that started it, with the
 * workflow's token (or an app token), and keeps nothing afterwards. It loads the same Probot app
 * as the hosted one (src/index.ts) and hands it the event, so labels, `/backport` commands,
 * configuration and the status comment behave the same; what differs is listed in the README.
 *
 * Probot's own adapter for Actions targets Probot 13, so this small entry does its job on the
 * Probot we run: a Probot authenticated with a token, `receive` for the event from
 * GITHUB_EVENT_PATH, then wait until every queued backport has finished before exiting.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Probot } from 'probot';
import { readSettings } from './app-settings.js';
import { BackportOctokit } from './events/backport-octokit.js';
import type { Logger } from './jobs/backport-request.js';
import { createBackportApp } from './index.js';

/** The events the app acts on; `pull_request_target` carries the same payload as `pull_request`. */
const EVENTS: Record<string, 'pull_request' | 'issue_comment'> = {
  pull_request: 'pull_request',
  pull_request_target: 'pull_request',
  issue_comment: 'issue_comment',
};

export interface ActionInputs {
  token: string;
  eventName: 'pull_request' | 'issue_comment';
  eventPath: string;
  apiUrl: string;
  cacheDir: string;
}

/** Reads the runner's environment; a missing piece is a clear message, not a stack trace. */
export function readActionInputs(env: NodeJS.ProcessEnv): ActionInputs | { problem: string } {
  const token = env.BACKPORT_TOKEN?.trim() || env.GITHUB_TOKEN?.trim();
  if (!token) return { problem: 'no token: set the `github-token` input (or BACKPORT_TOKEN)' };
  const eventName = EVENTS[env.GITHUB_EVENT_NAME ?? ''];
  if (!eventName)
    return {
      problem: `the event "${env.GITHUB_EVENT_NAME ?? ''}" is not one Backport Assistant acts on; run it on pull_request (closed, labeled) and issue_comment (created)`,
    };
  if (!env.GITHUB_EVENT_PATH) return { problem: 'GITHUB_EVENT_PATH is not set: run this inside a workflow' };
  return {
    token,
    eventName,
    eventPath: env.GITHUB_EVENT_PATH,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    // The runner's temp dir is wiped after the job: nothing survives between runs.
    cacheDir: path.join(env.RUNNER_TEMP || os.tmpdir(), 'backport-assistant-cache'),
  };
}

/**
 * Passes the pipeline's log through and turns what went wrong into workflow annotations. A
 * failed target is logged with its error code; a conflict is not a failure (its issue is the
 * result), so only entries with a code, and errors, fail the step.
 */
class AnnotatingLogger implements Logger {
  failures = 0;
  constructor(
    // Probot's logger exists only once Probot has initialised, so it is read when used.
    private readonly logger: () => Logger,
    private readonly write: (line: string) => void,
  ) {}
  private get inner(): Logger {
    return this.logger();
  }
  info(obj: Record<string, unknown>, msg: string): void {
    this.inner.info(obj, msg);
  }
  warn(obj: Record<string, unknown>, msg: string): void {
    this.inner.warn(obj, msg);
    if (obj.code !== undefined) this.annotate('error', obj, msg);
  }
  error(obj: Record<string, unknown>, msg: string): void {
    this.inner.error(obj, msg);
    this.annotate('error', obj, msg);
  }
  private annotate(level: 'error', obj: Record<string, unknown>, msg: string): void {
    this.failures++;
    const where = [obj.repo, obj.pull === undefined ? '' : `#${String(obj.pull)}`, obj.target]
      .filter((p) => p !== undefined && p !== '')
      .join(' ');
    // Workflow commands end at a newline; keep the message on one line.
    this.write(`::${level} title=Backport failed::${`${where}: ${msg}`.replace(/[\r\n]+/g, ' ')}\n`);
  }
}

/** Runs the app once for the workflow's event. Resolves to the step's exit code. */
export async function runAction(
  env: NodeJS.ProcessEnv,
  write: (line: string) => void = (l) => process.stdout.write(l),
): Promise<number> {
  const inputs = readActionInputs(env);
  if ('problem' in inputs) {
    write(`::error title=Backport Assistant::${inputs.problem}\n`);
    return 1;
  }
  const payload = JSON.parse(await readFile(inputs.eventPath, 'utf8')) as object;
  const probot = new Probot({
    githubToken: inputs.token,
    baseUrl: inputs.apiUrl,
    logLevel: 'info',
    // The app's one Octokit: retries are the GitHub client's, as in the hosted app.
    Octokit: BackportOctokit,
  });
  const log = new AnnotatingLogger(() => probot.log, write);
  // No ledger: an Action keeps no state between runs, so there is nothing to track across them.
  // No reconciliation either (GitHub queues workflow runs itself, and a workflow token cannot
  // list installations), and the job queue lives in memory: the run is the unit of work, and
  // a re-run of the workflow (same run id) must not be taken for a duplicate delivery.
  const app = createBackportApp({
    ...readSettings(env),
    cacheDir: inputs.cacheDir,
    ledger: undefined,
    log,
    database: { sqlitePath: ':memory:' },
    reconcile: false,
    handleSignals: false,
  });
  await probot.load(app.appFn);
  await probot.receive({
    id: env.GITHUB_RUN_ID ? `run-${env.GITHUB_RUN_ID}` : randomUUID(),
    name: inputs.eventName,
    payload,
  } as Parameters<Probot['receive']>[0]);
  await app.idle();
  return log.failures > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAction(process.env).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stdout.write(
        `::error title=Backport Assistant::${String((err as Error)?.message ?? err).replace(/[\r\n]+/g, ' ')}\n`,
      );
      process.exit(1);
    },
  );
}
