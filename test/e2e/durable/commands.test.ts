// The work webhooks start besides backports (here `/backport <target>`, `/backport resolve`
// and the preview check) is durable too: accepted, then the process killed before it ran, it
// is done once after the restart; and with two instances sharing PostgreSQL and every delivery, a command is
// answered once.
import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openDatabase } from '../../../src/database/open-database.js';
import { JobStore, type Job } from '../../../src/jobs/job-store.js';
import { answerWith, conflictedBackport, decisionsOf, theIssue } from '../resolve-world.js';
import {
  backportPulls,
  botComments,
  conflictIssues,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusRows,
} from '../world.js';
import { freePort } from './app-child.js';
import { DurableRig, waitFor } from './durable-world.js';

const PREVIEW = 'Backport preview';

describe('durable commands', () => {
  let rig: DurableRig | undefined;

  afterEach(async () => {
    await rig?.cleanUp();
    rig = undefined;
  });

  /** An app process; `hold` makes one that accepts webhooks but runs no job (concurrency 0). */
  const child = (name: string, port: number, hold = false) =>
    rig!.child(name, port, hold ? { BPA_CONCURRENCY: '0' } : {});

  /** The jobs the app wrote down for `repo`, read from its database after it stopped. */
  async function jobsOf(repo: string, name: string): Promise<Job[]> {
    const database = openDatabase({
      url: rig!.db?.url,
      sqlitePath: join(rig!.dir, name, 'cache', 'jobs.sqlite'),
    });
    try {
      return await (await JobStore.open(database)).jobsOf(repo);
    } finally {
      await database.close();
    }
  }

  const lastDelivery = () => rig!.sim.webhooks.deliveries.at(-1)!;

  it.each(['sqlite', 'postgres'])(
    'does a /backport resolve and a preview accepted before a kill -9, once, after the restart (%s)',
    async (engine) => {
      rig = await DurableRig.start('bpa-commands-', { postgres: engine === 'postgres' });
      const { sim } = rig;
      const port = await freePort();
      const first = child('app', port);
      sim.webhookUrl = first.url;
      await first.start();
      const { repo, number } = await conflictedBackport(sim, 'durable-resolve');
      await waitFor(() => conflictIssues(sim, repo, 'v1.1').length === 1, 60_000, rig.logOf('app'));
      await first.terminate();

      // An app that answers webhooks (so each request is accepted) but runs nothing.
      const held = child('app', port, true);
      await held.start();
      const issue = theIssue(sim, repo);
      const answer = answerWith(await decisionsOf(sim, repo, issue), ['apply-regions', 'theirs']);
      const commentId = await sim.comment(repo, issue.number, `/backport resolve ${answer}`, 'maint');
      expect(lastDelivery()).toMatchObject({ event: 'issue_comment', status: 200 });
      const open = await openPull(sim, repo, {
        branch: 'other-fix',
        commits: [{ 'src/ok.c': lines(5, { 3: 'ok 3 fixed' }) }],
        labels: ['backport-to: v1.1'],
      });
      expect(lastDelivery()).toMatchObject({ event: 'pull_request', action: 'labeled', status: 200 });
      const head = sim.pulls(repo).find((p) => p.number === open)!.pull!.headSha;
      const previews = async () => (await sim.checkRuns(repo, head)).filter((r) => r.name === PREVIEW);
      await held.kill();
      expect(backportPulls(sim, repo)).toEqual([]);
      expect(await previews()).toEqual([]);

      const again = child('app', port);
      await again.start();
      const rocket = () =>
        sim
          .comments(repo, issue.number)
          .find((c) => c.id === commentId)!
          .reactions.map((r) => r.content);
      await waitFor(
        () => backportPulls(sim, repo).length > 0 && rocket().includes('rocket'),
        60_000,
        rig.logOf('app'),
      );
      const ran = async () => (await previews()).some((r) => r.status === 'completed');
      for (let i = 0; i < 600 && !(await ran()); i++) await new Promise((r) => setTimeout(r, 100));
      // A graceful stop: whatever is still queued would stay queued, and show below.
      expect(await again.terminate()).toBe(0);

      expect(backportPulls(sim, repo, 'v1.1').map((p) => p.pull!.headRef)).toEqual([
        `backport/${number}-to-v1.1`,
      ]);
      expect(botComments(sim, repo, issue.number).map((c) => c.body)).toEqual([
        expect.stringContaining(`finished this backport with \`/backport resolve ${answer}\``),
      ]);
      expect(rocket()).toEqual(['rocket']);
      const [run, ...more] = await previews();
      expect(more).toEqual([]);
      expect(run).toMatchObject({ status: 'completed', byApp: true });
      // The jobs of this phase: the comment's (on the issue) and the new PR's.
      const jobs = (await jobsOf(repo, 'app')).filter((j) =>
        [issue.number, open].includes(j.request.pullNumber),
      );
      expect(jobs.map((j) => [(j.request as { kind?: string }).kind, j.state, j.claims])).toEqual([
        ['resolve', 'done', 1],
        ['preview', 'done', 1],
      ]);
      expect(sim.violations).toEqual([]);
    },
    240_000,
  );

  it('does a /backport <target> accepted before a kill -9, once, after the restart', async () => {
    rig = await DurableRig.start('bpa-command-');
    const { sim } = rig;
    const port = await freePort();
    // An app that answers webhooks (so each request is accepted) but runs nothing.
    const held = child('app', port, true);
    sim.webhookUrl = held.url;
    await held.start();
    const repo = await makeRepo(sim, 'durable-command', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
    });
    const { number } = await mergedPull(sim, repo, {
      branch: 'fix',
      commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
    });
    // GitHub fails while the comment is delivered: the command must not depend on it then.
    sim.faults.add({
      pathRegex: /\/collaborators\/[^/]+\/permission$/,
      method: 'GET',
      status: 502,
      times: 1000,
    });
    const commentId = await sim.comment(repo, number, '/backport v1.2', 'maint');
    expect(lastDelivery()).toMatchObject({ event: 'issue_comment', status: 200 });
    await held.kill();
    sim.faults.clear();
    const labels = () => sim.pulls(repo).find((p) => p.number === number)!.labels;
    expect(labels()).toEqual([]);
    expect(backportPulls(sim, repo)).toEqual([]);

    const again = child('app', port);
    await again.start();
    await waitFor(
      () =>
        backportPulls(sim, repo).length > 0 &&
        statusRows(sim, repo, number).some((r) => r.target === 'v1.2' && r.state === 'opened'),
      60_000,
      rig.logOf('app'),
    );
    expect(await again.terminate()).toBe(0);

    expect(labels()).toEqual(['backport-to: v1.2']);
    expect(backportPulls(sim, repo).map((p) => p.pull!.baseRef)).toEqual(['v1.2']);
    // One reply: the status comment (no refusal, no second comment).
    expect(botComments(sim, repo, number)).toHaveLength(1);
    expect(
      sim
        .comments(repo, number)
        .find((c) => c.id === commentId)!
        .reactions.map((r) => r.content),
    ).toEqual(['rocket']);
    const jobs = (await jobsOf(repo, 'app')).filter(
      (j) => (j.request as { kind?: string }).kind === 'command',
    );
    expect(jobs.map((j) => [j.state, j.claims])).toEqual([['done', 1]]);
    expect(sim.violations).toEqual([]);
  }, 240_000);

  it('answers a command once when two instances sharing PostgreSQL both receive its delivery', async () => {
    rig = await DurableRig.start('bpa-commands-two-', { postgres: true });
    const { sim } = rig;
    const [a, b] = [child('a', await freePort()), child('b', await freePort())];
    await rig.fanOut([a, b]);
    await Promise.all([a.start(), b.start()]);
    const { repo, number } = await conflictedBackport(sim, 'two-resolve');
    sim.addCollaborator(repo, 'tria', 'triage');
    await waitFor(() => conflictIssues(sim, repo, 'v1.1').length === 1, 60_000, rig.logOf('a'));
    const issue = theIssue(sim, repo);
    const answer = answerWith(await decisionsOf(sim, repo, issue), ['apply-regions', 'theirs']);

    // Refused (no write access): the reply is a new comment, so running twice shows as two.
    await sim.comment(repo, issue.number, `/backport resolve ${answer}`, 'tria');
    const commentId = await sim.comment(repo, issue.number, `/backport resolve ${answer}`, 'maint');
    const rocket = () =>
      sim
        .comments(repo, issue.number)
        .find((c) => c.id === commentId)!
        .reactions.map((r) => r.content);
    await waitFor(() => rocket().includes('rocket'), 60_000, rig.logOf('a'));
    await Promise.all([a.terminate(), b.terminate()]);

    const notes = botComments(sim, repo, issue.number).map((c) => c.body);
    expect(notes).toEqual([
      expect.stringContaining('only people with write access'),
      expect.stringContaining(`finished this backport with \`/backport resolve ${answer}\``),
    ]);
    expect(backportPulls(sim, repo, 'v1.1').map((p) => p.pull!.headRef)).toEqual([
      `backport/${number}-to-v1.1`,
    ]);
    const jobs = (await jobsOf(repo, 'a')).filter((j) => (j.request as { kind?: string }).kind === 'resolve');
    expect(jobs.map((j) => [j.state, j.claims])).toEqual([
      ['done', 1],
      ['done', 1],
    ]);
    expect(sim.violations).toEqual([]);
  }, 240_000);
});
