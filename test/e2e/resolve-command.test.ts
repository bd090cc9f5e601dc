import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gitAsync, gitShow } from './git-async.js';
import { startHarness, type Harness } from './app-harness.js';
import { answerWith, conflictedBackport, decisionsOf, theIssue } from './resolve-world.js';
import {
  backportPulls,
  botComments,
  conflictIssues,
  expectNoTokenLeak,
  lines,
  makeRepo,
  mergedPull,
  statusRow,
} from './world.js';

/** `/backport resolve`: a conflicted backport finished from a comment, through the simulated GitHub. */
describe('/backport resolve', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const fileAt = (repo: string, ref: string, path: string) => gitShow(h.sim.repoPath(repo), `${ref}:${path}`);

  it('by a writer on the conflict issue: a PR whose tree is the chosen text, linked, closing the issue on merge', async () => {
    const { repo, number } = await conflictedBackport(h.sim, 'resolve');
    await h.idle();
    const issue = theIssue(h.sim, repo);
    const answer = answerWith(await decisionsOf(h.sim, repo, issue), ['apply-regions', 'theirs']);
    await h.sim.comment(
      repo,
      issue.number,
      `Taking upstream's line.\n\n/backport resolve ${answer}`,
      'maint',
    );
    await h.idle();

    const [pull] = backportPulls(h.sim, repo, 'v1.1');
    expect(pull).toBeDefined();
    expect(pull!.pull!.draft).toBe(false);
    const branch = `refs/heads/backport/${number}-to-v1.1`;
    expect(await fileAt(repo, branch, 'src/calc.c')).toBe(lines(20, { 7: 'line 7 fixed' }));
    expect(await fileAt(repo, branch, 'src/ok.c')).toBe(lines(5, { 1: 'ok fixed' }));
    expect(await h.sim.resolve(repo, `${branch}~1`)).toBe(await h.sim.resolve(repo, 'refs/heads/v1.1'));
    expect(pull!.body).toContain(`**Resolved by @&#8203;maint** with \`/backport resolve ${answer}\``);
    expect(pull!.body).toContain(`#${issue.number}`);
    const notes = botComments(h.sim, repo, issue.number).map((c) => c.body);
    expect(notes).toEqual([
      `@&#8203;maint finished this backport with \`/backport resolve ${answer}\`: see #${pull!.number}. This issue is closed when #${pull!.number} merges.`,
    ]);
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'opened',
      link: { number: pull!.number },
    });
    expect((await h.sim.checkRuns(repo, branch)).map((r) => r.conclusion)).toEqual(['success']);
    expect(h.sim.issues(repo).find((i) => i.number === issue.number)!.state).toBe('open');

    await h.sim.mergePull({ repo, number: pull!.number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    const closed = h.sim.issues(repo).find((i) => i.number === issue.number)!;
    expect(closed.state).toBe('closed');
    expect(botComments(h.sim, repo, issue.number).at(-1)!.body).toBe(
      `The backport #${pull!.number} was merged, so this is done.`,
    );
    expect(h.sim.violations).toEqual([]);
    expectNoTokenLeak(h.sim, h.logs);
  });

  it('the same answer twice gives one PR; a different one later updates the same branch', async () => {
    const { repo, number } = await conflictedBackport(h.sim, 'resolve-again');
    await h.idle();
    const issue = theIssue(h.sim, repo);
    const decisions = await decisionsOf(h.sim, repo, issue);
    const theirs = answerWith(decisions, ['apply-regions', 'theirs']);
    await h.sim.comment(repo, number, `/backport resolve ${theirs}`, 'maint');
    await h.idle();
    await h.sim.comment(repo, issue.number, `/backport resolve ${theirs.toLowerCase()}`, 'alice');
    await h.idle();
    expect(backportPulls(h.sim, repo, 'v1.1')).toHaveLength(1);
    expect(botComments(h.sim, repo, issue.number)).toHaveLength(1);

    const ours = answerWith(decisions, ['apply-regions', 'ours']);
    await h.sim.comment(repo, issue.number, `/backport resolve ${ours}`, 'alice');
    await h.idle();
    const pulls = backportPulls(h.sim, repo, 'v1.1');
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.body).toContain(`with \`/backport resolve ${ours}\``);
    const branch = `refs/heads/backport/${number}-to-v1.1`;
    expect(await fileAt(repo, branch, 'src/calc.c')).toBe(lines(20, { 7: 'line 7 (1.1 hotfix)' }));
    expect(await fileAt(repo, branch, 'src/ok.c')).toBe(lines(5, { 1: 'ok fixed' }));
    expect(h.sim.violations).toEqual([]);
  });

  it('refuses a person without write access, and bad answers, with one reply each and nothing pushed', async () => {
    const { repo, number } = await conflictedBackport(h.sim, 'resolve-refused');
    await h.idle();
    h.sim.addCollaborator(repo, 'trish', 'triage');
    const issue = theIssue(h.sim, repo);
    const decisions = await decisionsOf(h.sim, repo, issue);
    const good = answerWith(decisions, ['apply-regions', 'theirs']);
    const pushesBefore = h.sim.pushLog.length;
    const replies: Array<[string, string]> = [
      [
        good,
        'only people with write access to this repository can finish a backport (@&#8203;trish has `triage` access)',
      ],
      ['1Z', 'Decision 1 has no candidate Z'],
      [decisions.length > 1 ? '1A' : '', 'has no answer'],
      [`${good} 1A`, 'Decision 1 was answered twice'],
    ];
    for (const [i, [answer]] of replies.entries()) {
      await h.sim.comment(repo, issue.number, `/backport resolve ${answer}`, i === 0 ? 'trish' : 'maint');
      await h.idle();
    }
    const bodies = botComments(h.sim, repo, issue.number).map((c) => c.body);
    expect(bodies).toHaveLength(replies.length);
    for (const [i, [, sentence]] of replies.entries()) {
      expect(bodies[i]).toContain('was not applied');
      expect(bodies[i]).toContain(sentence);
      expect(bodies[i]).toContain('Nothing was pushed.');
    }
    expect(h.sim.pushLog.slice(pushesBefore)).toEqual([]);
    expect(backportPulls(h.sim, repo, 'v1.1')).toEqual([]);

    await h.sim.closeIssue(repo, issue.number, 'maint');
    await h.sim.comment(repo, number, `/backport resolve ${good}`, 'maint');
    await h.idle();
    expect(botComments(h.sim, repo, number).at(-1)!.body).toContain(
      `the conflict issue #${issue.number} is closed`,
    );
    expect(h.sim.pushLog.slice(pushesBefore)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it('applies a patch on top of the choices; a patch that does not apply is refused naming the hunk', async () => {
    const { repo, number } = await conflictedBackport(h.sim, 'resolve-patch');
    await h.idle();
    const issue = theIssue(h.sim, repo);
    const answer = answerWith(await decisionsOf(h.sim, repo, issue), ['apply-regions', 'ours']);
    const bad = [
      '--- a/src/calc.c',
      '+++ b/src/calc.c',
      '@@ -6,3 +6,3 @@',
      ' line 6',
      '-line 7 fixed',
      '+line 7 fixed (1.1)',
      ' line 8',
    ].join('\n');
    await h.sim.comment(
      repo,
      issue.number,
      `/backport resolve ${answer}\n\n\`\`\`diff\n${bad}\n\`\`\``,
      'maint',
    );
    await h.idle();
    const refusal = botComments(h.sim, repo, issue.number).at(-1)!.body;
    expect(refusal).toContain('Nothing was pushed.');
    expect(refusal).toContain('hunk 1 of `src/calc.c` (`@@ -6,3 +6,3 @@`) expects at line 6');
    expect(refusal).toContain('line 7 (1.1 hotfix)');
    expect(backportPulls(h.sim, repo, 'v1.1')).toEqual([]);

    const good = bad.replace('-line 7 fixed', '-line 7 (1.1 hotfix)');
    await h.sim.comment(
      repo,
      issue.number,
      `/backport resolve ${answer}\r\n\r\n\`\`\`diff\r\n${good.replace(/\n/g, '\r\n')}\r\n\`\`\``,
      'maint',
    );
    await h.idle();
    const [pull] = backportPulls(h.sim, repo, 'v1.1');
    expect(pull!.body).toContain('A patch from the comment was applied on top of the choices.');
    const branch = `refs/heads/backport/${number}-to-v1.1`;
    expect(await fileAt(repo, branch, 'src/calc.c')).toBe(lines(20, { 7: 'line 7 fixed (1.1)' }));
    expect(h.sim.violations).toEqual([]);
  });

  it('with commits: api, the resolved commit is GitHub’s and signed, and a new answer still replaces it', async () => {
    const { repo, number } = await conflictedBackport(h.sim, 'resolve-api', 'commits: api\n');
    await h.idle();
    const issue = theIssue(h.sim, repo);
    const decisions = await decisionsOf(h.sim, repo, issue);
    await h.sim.comment(
      repo,
      issue.number,
      `/backport resolve ${answerWith(decisions, ['apply-regions', 'theirs'])}`,
      'maint',
    );
    await h.idle();
    const branch = `refs/heads/backport/${number}-to-v1.1`;
    expect(await fileAt(repo, branch, 'src/calc.c')).toBe(lines(20, { 7: 'line 7 fixed' }));
    const raw = await gitAsync(h.sim.repoPath(repo), ['cat-file', 'commit', branch]);
    expect(raw).toMatch(/^gpgsig -----BEGIN PGP SIGNATURE-----/m);
    await h.sim.comment(
      repo,
      issue.number,
      `/backport resolve ${answerWith(decisions, ['apply-regions', 'ours'])}`,
      'maint',
    );
    await h.idle();
    expect(await fileAt(repo, branch, 'src/calc.c')).toBe(lines(20, { 7: 'line 7 (1.1 hotfix)' }));
    expect(backportPulls(h.sim, repo, 'v1.1')).toHaveLength(1);
    expect((await h.sim.checkRuns(repo, branch)).map((r) => r.conclusion)).toEqual(['success']);
    expect(h.sim.violations).toEqual([]);
  });

  it('with conflict: both, the draft with markers becomes the resolved PR, ready for review', async () => {
    const { repo, number } = await conflictedBackport(h.sim, 'resolve-draft', 'conflict: both\n');
    await h.idle();
    const [draft] = backportPulls(h.sim, repo, 'v1.1');
    expect(draft!.pull!.draft).toBe(true);
    const branch = `refs/heads/backport/${number}-to-v1.1`;
    expect((await h.sim.checkRuns(repo, branch)).map((r) => r.conclusion)).toEqual(['failure']);
    const issue = theIssue(h.sim, repo);
    const answer = answerWith(await decisionsOf(h.sim, repo, issue), ['apply-regions', 'theirs']);
    await h.sim.comment(repo, number, `/backport resolve ${answer}`, 'maint');
    await h.idle();
    const pulls = backportPulls(h.sim, repo, 'v1.1');
    expect(pulls.map((p) => [p.number, p.pull!.draft])).toEqual([[draft!.number, false]]);
    expect(pulls[0]!.body).toContain(`with \`/backport resolve ${answer}\``);
    expect(await fileAt(repo, branch, 'src/calc.c')).toBe(lines(20, { 7: 'line 7 fixed' }));
    expect((await h.sim.checkRuns(repo, branch)).map((r) => r.conclusion)).toEqual(['success']);
    expect(h.sim.violations).toEqual([]);
  });

  it('redoes the pick where the issue found the conflict, even after the target moved on', async () => {
    const { repo, number } = await conflictedBackport(h.sim, 'resolve-moved');
    await h.idle();
    const issue = theIssue(h.sim, repo);
    const onto = (await h.sim.resolve(repo, 'refs/heads/v1.1'))!;
    const answer = answerWith(await decisionsOf(h.sim, repo, issue), ['apply-regions', 'theirs']);
    for (let i = 0; i < 3; i++) {
      await h.sim.commitFiles(repo, {
        branch: 'v1.1',
        files: { [`later-${i}.txt`]: `${i}\n` },
        message: `later ${i}`,
      });
    }
    await h.sim.comment(repo, issue.number, `/backport resolve ${answer}`, 'maint');
    await h.idle();
    const branch = `refs/heads/backport/${number}-to-v1.1`;
    expect(await h.sim.resolve(repo, `${branch}~1`)).toBe(onto);
    expect(await fileAt(repo, branch, 'src/calc.c')).toBe(lines(20, { 7: 'line 7 fixed' }));
    expect(backportPulls(h.sim, repo, 'v1.1')).toHaveLength(1);
    expect(h.sim.violations).toEqual([]);
  });

  it('on an instance whose cache did not make the backport: the target is fetched whole against a partial cache', async () => {
    // Another instance (its own, empty cache) takes the command: the source comes partial
    // (no blobs), then the target whole with the source commit as a have, and the server
    // sends deltas against blobs of that commit. A loaded durable run failed here with "Could
    // not fetch v1.1: the pack the server sent cannot be read".
    const { repo, number } = await conflictedBackport(h.sim, 'resolve-elsewhere');
    await h.idle();
    const [owner, name] = repo.split('/') as [string, string];
    rmSync(join(h.cacheDir, owner, `${name}.git`), { recursive: true, force: true });
    const issue = theIssue(h.sim, repo);
    const answer = answerWith(await decisionsOf(h.sim, repo, issue), ['apply-regions', 'theirs']);
    await h.sim.comment(repo, issue.number, `/backport resolve ${answer}`, 'maint');
    await h.idle();
    expect(h.logs.filter((line) => line.includes('fetch-failed'))).toEqual([]);
    const notes = botComments(h.sim, repo, issue.number).map((c) => c.body);
    expect(notes).toEqual([
      expect.stringContaining(`finished this backport with \`/backport resolve ${answer}\``),
    ]);
    const branch = `refs/heads/backport/${number}-to-v1.1`;
    expect(await fileAt(repo, branch, 'src/calc.c')).toBe(lines(20, { 7: 'line 7 fixed' }));
    expect(h.sim.violations).toEqual([]);
  });

  it('on a PR with two conflicting targets, asks to answer on the target’s issue', async () => {
    const diverged = lines(20, { 7: 'line 7 (old hotfix)' });
    const repo = await makeRepo(h.sim, 'resolve-two', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.0': { 'src/calc.c': diverged }, 'v1.1': { 'src/calc.c': diverged } },
    });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      labels: ['backport-to: v1.0', 'backport-to: v1.1'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }) }],
    });
    await h.idle();
    const issues = conflictIssues(h.sim, repo)
      .map((i) => i.number)
      .sort((a, b) => a - b);
    expect(issues).toHaveLength(2);
    await h.sim.comment(repo, number, '/backport resolve all A', 'maint');
    await h.idle();
    const reply = botComments(h.sim, repo, number).at(-1)!.body;
    expect(reply).toContain('this pull request has several open conflict issues');
    for (const n of issues) expect(reply).toContain(`#${n}`);
    expect(backportPulls(h.sim, repo)).toEqual([]);
  });
});
