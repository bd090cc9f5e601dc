import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGitHubSim, type GitHubSim } from '../../tools/github-sim/index.js';
import { installationClient } from './helpers.js';
import { testAppKey } from '../support/app-key.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Verifies like @octokit/webhooks-methods: HMAC-SHA256 of the raw body, constant-time compare. */
function verify(secret: string, body: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('github-sim webhooks', () => {
  let sim: GitHubSim;
  let receiver: Server;
  const received: Received[] = [];
  const R = 'acme/widgets';
  const secret = 'test-secret-42';
  let answer = 200;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body, json: JSON.parse(body) });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;
    sim = await startGitHubSim({
      appPrivateKey: testAppKey(),
      webhookUrl: `http://127.0.0.1:${port}/api/github/webhooks`,
      webhookSecret: secret,
    });
    await sim.createRepo({ owner: 'acme', name: 'widgets' });
    await sim.commitFiles(R, { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'init' });
    await sim.commitFiles(R, { branch: 'fix', files: { 'a.txt': 'b\n' }, message: 'fix' });
    sim.addCollaborator(R, 'maint', 'maintain');
  });
  afterAll(async () => {
    await sim.stop();
    await new Promise((r) => receiver.close(r));
  });

  const last = () => received.at(-1)!;

  /** A second simulator that also sends webhooks for the app's own REST writes, with acme/api. */
  async function withApiSim(run: (apiSim: GitHubSim) => Promise<void>): Promise<void> {
    const apiSim = await startGitHubSim({
      appPrivateKey: testAppKey(),
      webhookUrl: sim.webhookUrl,
      webhookSecret: secret,
      apiWebhooks: true,
    });
    try {
      await apiSim.createRepo({ owner: 'acme', name: 'api' });
      await apiSim.commitFiles('acme/api', { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'init' });
      await run(apiSim);
    } finally {
      await apiSim.stop();
    }
  }

  it('delivers pull_request.opened then labeled for a new PR, signed and with GitHub headers', async () => {
    const number = await sim.createPull({
      repo: R,
      head: 'fix',
      base: 'main',
      title: 'Fix',
      user: 'alice',
      labels: ['backport-to: v1.2'],
    });
    const [opened, labeled] = received.slice(-2);
    expect(opened!.headers['x-github-event']).toBe('pull_request');
    expect(opened!.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(opened!.headers['content-type']).toBe('application/json');
    expect(verify(secret, opened!.body, opened!.headers['x-hub-signature-256'] as string)).toBe(true);
    expect(verify('wrong', opened!.body, opened!.headers['x-hub-signature-256'] as string)).toBe(false);
    expect(opened!.json).toMatchObject({
      action: 'opened',
      number,
      pull_request: { number, title: 'Fix', user: { login: 'alice' }, head: { ref: 'fix' }, merged: false },
      repository: { full_name: R },
      installation: { id: sim.installationId('acme') },
      sender: { login: 'alice' },
    });
    expect(labeled!.json).toMatchObject({ action: 'labeled', label: { name: 'backport-to: v1.2' } });
  });

  it('delivers pull_request.closed with merged true and the merge commit after mergePull', async () => {
    const [pr] = sim.pulls(R);
    const sha = await sim.mergePull({ repo: R, number: pr!.number, method: 'squash', mergedBy: 'maint' });
    expect(last().json).toMatchObject({
      action: 'closed',
      pull_request: { merged: true, merge_commit_sha: sha, merged_by: { login: 'maint' }, state: 'closed' },
      sender: { login: 'maint' },
    });
  });

  it('delivers labeled/unlabeled, issue_comment.created (PR and plain issue) and issues.closed', async () => {
    const [pr] = sim.pulls(R);
    await sim.addLabel(R, pr!.number, 'backport-to: v1.1', 'maint');
    expect(last().json).toMatchObject({
      action: 'labeled',
      label: { name: 'backport-to: v1.1' },
      sender: { login: 'maint' },
    });
    const delivery = await sim.removeLabel(R, pr!.number, 'backport-to: v1.1', 'maint');
    expect(delivery?.status).toBe(200);
    expect(last().json).toMatchObject({ action: 'unlabeled', label: { name: 'backport-to: v1.1' } });
    await sim.comment(R, pr!.number, '/backport v1.0', 'maint');
    expect(last().headers['x-github-event']).toBe('issue_comment');
    expect(last().json).toMatchObject({
      action: 'created',
      comment: { body: '/backport v1.0' },
      issue: { number: pr!.number },
    });
    expect(last().json.issue.pull_request).toBeDefined();
    const issue = await sim.createIssue({ repo: R, title: 'Plain', user: 'alice' });
    expect(last().json).toMatchObject({ action: 'opened', issue: { number: issue, title: 'Plain' } });
    await sim.comment(R, issue, 'hello', 'alice');
    expect(last().json.issue.pull_request).toBeUndefined();
    await sim.closeIssue(R, issue, 'maint', 'not_planned');
    expect(last().headers['x-github-event']).toBe('issues');
    expect(last().json).toMatchObject({
      action: 'closed',
      issue: { state: 'closed', state_reason: 'not_planned' },
    });
  });

  it('redelivers a stored delivery byte for byte and returns what the app answered', async () => {
    const original = sim.deliveries[0]!;
    answer = 503;
    const status = await sim.redeliver(original.id);
    answer = 200;
    expect(status).toBe(503);
    const again = last();
    expect(again.body).toBe(original.body);
    expect(again.headers['x-github-delivery']).toBe(original.id);
    expect(again.headers['x-hub-signature-256']).toBe(original.headers['x-hub-signature-256']);
    expect(sim.deliveries.at(-1)).toMatchObject({ id: original.id, redelivery: true, status: 503 });
  });

  it('delivers an arbitrary payload with deliver()', async () => {
    const status = await sim.deliver('ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(status).toBe(200);
    expect(last().headers['x-github-event']).toBe('ping');
    expect(verify(secret, last().body, last().headers['x-hub-signature-256'] as string)).toBe(true);
  });

  it("with apiWebhooks, also delivers events for the app's own REST writes (sender is the bot)", async () => {
    await withApiSim(async (apiSim) => {
      const n = await apiSim.createIssue({ repo: 'acme/api', title: 'T', user: 'alice' });
      await installationClient(apiSim, 'acme').rest.issues.createComment({
        owner: 'acme',
        repo: 'api',
        issue_number: n,
        body: 'bot says',
      });
      await apiSim.settle();
      expect(last().json).toMatchObject({
        action: 'created',
        comment: { body: 'bot says', user: { login: 'backport-assistant[bot]', type: 'Bot' } },
        sender: { login: 'backport-assistant[bot]' },
      });
    });
  });

  it('says mergeable: null in the pull_request.opened of a PR the app creates, as GitHub does; a later read has the test merge', async () => {
    await withApiSim(async (apiSim) => {
      await apiSim.commitFiles('acme/api', { branch: 'bp', files: { 'b.txt': 'b\n' }, message: 'bp' });
      const octokit = installationClient(apiSim, 'acme').rest;
      const before = received.length;
      const { data } = await octokit.pulls.create({
        owner: 'acme',
        repo: 'api',
        head: 'bp',
        base: 'main',
        title: 'T',
      });
      await apiSim.settle();
      const opened = received
        .slice(before)
        .filter((r) => r.headers['x-github-event'] === 'pull_request' && r.json.action === 'opened');
      expect(opened).toHaveLength(1);
      expect(opened[0]!.json.pull_request).toMatchObject({ mergeable: null, mergeable_state: 'unknown' });
      const later = await octokit.pulls.get({ owner: 'acme', repo: 'api', pull_number: data.number });
      expect([later.data.mergeable, later.data.mergeable_state]).toEqual([true, 'clean']);
    });
  });
});
