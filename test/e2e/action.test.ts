import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { gitShow } from './git-async.js';
import { testAppKey } from '../support/app-key.js';

const REPO = 'acme/widgets';
const ROOT = join(import.meta.dirname, '..', '..');

interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the Action's entry as a workflow step would: a fresh process, the runner's environment. */
function runStep(env: Record<string, string>): Promise<StepResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/action.ts'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the app as a GitHub Action', () => {
  let sim: GitHubSim;
  let sink: Server;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'backport-action-'));
    // Webhooks go nowhere that acts on them: in an Action the workflow run is the delivery.
    sink = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const port = (sink.address() as { port: number }).port;
    sim = await startGitHubSim({ appPrivateKey: testAppKey(), webhookUrl: `http://127.0.0.1:${port}/` });
    await sim.createRepo({ owner: 'acme', name: 'widgets' });
    await sim.commitFiles(REPO, { branch: 'main', files: { 'calc.c': 'a\nb\nc\n' }, message: 'initial' });
    await sim.createBranch(REPO, 'v1.2', 'main');
    sim.addCollaborator(REPO, 'maint', 'maintain');
  });
  afterAll(async () => {
    await sim.stop();
    await new Promise((r) => sink.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Merges a labelled fix and returns the `pull_request.closed` payload GitHub sent for it. */
  async function mergedFix(branch: string, labels: string[]): Promise<{ number: number; eventPath: string }> {
    await sim.commitFiles(REPO, {
      branch,
      files: { 'calc.c': `a\n${branch}\nc\n` },
      message: `Fix ${branch}`,
    });
    const number = await sim.createPull({
      repo: REPO,
      head: branch,
      base: 'main',
      title: `Fix ${branch}`,
      user: 'maint',
      labels,
    });
    await sim.mergePull({ repo: REPO, number, method: 'squash', mergedBy: 'maint' });
    const delivery = sim.deliveries.find(
      (d) => d.event === 'pull_request' && d.action === 'closed' && JSON.parse(d.body).number === number,
    );
    expect(delivery).toBeDefined();
    const eventPath = join(dir, `event-${number}.json`);
    writeFileSync(eventPath, delivery!.body);
    return { number, eventPath };
  }

  const runnerEnv = (eventPath: string, eventName = 'pull_request') => ({
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: sim.apiUrl,
    GITHUB_RUN_ID: '7',
    RUNNER_TEMP: dir,
    BACKPORT_TOKEN: sim.createInstallationToken('acme'),
  });

  it('opens the backport PR for a merged, labelled PR and exits 0', async () => {
    const { number, eventPath } = await mergedFix('fix-one', ['backport-to: v1.2']);
    const env = runnerEnv(eventPath);
    const step = await runStep(env);

    expect(step.code).toBe(0);
    const backport = sim.pulls(REPO).find((p) => p.pull?.headRef === `backport/${number}-to-v1.2`);
    expect(backport?.pull?.baseRef).toBe('v1.2');
    const tip = await sim.resolve(REPO, `refs/heads/backport/${number}-to-v1.2`);
    expect(await gitShow(sim.repoPath(REPO), `${tip}:calc.c`)).toBe('a\nfix-one\nc\n');
    expect(step.stdout + step.stderr).not.toContain(env.BACKPORT_TOKEN);
    expect(sim.violations).toEqual([]);
  });

  it('fails the step with an annotation when a target cannot be backported', async () => {
    const { eventPath } = await mergedFix('fix-two', ['backport-to: v9.9']);
    const step = await runStep(runnerEnv(eventPath));

    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(/^::error title=Backport failed::acme\/widgets #\d+ .*$/m);
  });

  it('refuses an event it does not act on, saying which ones it does', async () => {
    const step = await runStep(runnerEnv(join(dir, 'none.json'), 'push'));

    expect(step.code).toBe(1);
    expect(step.stdout).toContain('::error title=Backport Assistant::the event "push" is not one');
    expect(step.stdout).toContain('pull_request (closed, labeled) and issue_comment (created)');
  });
});
