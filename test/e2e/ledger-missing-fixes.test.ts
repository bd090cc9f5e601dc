// The missing-fix report of a repository on the simulated GitHub, computed by the app in its
// own git cache: fixes merged to main since each supported branch forked, minus those already
// on the branch (cherry-picked with -x) and those decided (declined), with `Fixes: <sha>`
// judged per branch and the engine's "would it apply cleanly today" for each.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BranchMissingFixes } from '../../src/missing-fixes/missing-fixes.js';
import { FastImport, git, tempDir } from '../support/git.js';
import { runCli } from '../cli/run-cli.js';
import { startLedgerHarness, type LedgerHarness } from './ledger-harness.js';

const REPO = 'acme/widgets';
const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';

let h: LedgerHarness;
const sha: Record<string, string> = {};
const pr: Record<string, number> = {};
let reports: Map<string, BranchMissingFixes>;
let trackingBody: string;

/** One change on main: through a squash-merged PR when labels are given, else pushed directly. */
async function land(
  name: string,
  message: string,
  file: string,
  change: Record<number, string>,
  labels?: string[],
): Promise<void> {
  const { sim } = h;
  // Each change is computed on main's current content, so changes pile up as on GitHub.
  const content = applyChange(await readMain(file), change);
  if (!labels) {
    sha[name] = await sim.commitFiles(REPO, { branch: 'main', files: { [file]: content }, message });
    return;
  }
  await sim.commitFiles(REPO, { branch: `pr-${name}`, files: { [file]: content }, message, author: 'alice' });
  const title = message.split('\n')[0]!;
  pr[name] = await sim.createPull({
    repo: REPO,
    head: `pr-${name}`,
    base: 'main',
    title,
    user: 'alice',
    labels,
  });
  sha[name] = await sim.mergePull({ repo: REPO, number: pr[name]!, method: 'squash', mergedBy: 'maint' });
}

async function readMain(file: string): Promise<string> {
  const { gitShow } = await import('./git-async.js');
  return gitShow(h.sim.repoPath(REPO), `main:${file}`);
}

function applyChange(text: string, change: Record<number, string>): string {
  const all = text.split('\n');
  for (const [n, line] of Object.entries(change)) all[Number(n) - 1] = line;
  return all.join('\n');
}

beforeAll(async () => {
  h = await startLedgerHarness();
  const { sim } = h;
  await sim.createRepo({ owner: 'acme', name: 'widgets' });
  sim.addCollaborator(REPO, 'maint', 'maintain');
  sim.addCollaborator(REPO, 'alice', 'write');
  await sim.commitFiles(REPO, {
    branch: 'main',
    files: {
      'src/calc.c': lines(40),
      'src/util.c': lines(40),
      'src/io.c': lines(40),
      // Supported branches by pattern: the app lists the remote's branches to find them.
      '.github/backport.yml': "branches:\n  pattern: '^v1\\.\\d+$'\n",
    },
    message: 'initial',
  });
  await sim.createBranch(REPO, 'v1.2', 'main');
  await sim.createBranch(REPO, 'feature-x', 'main'); // not a release branch: no section
  // A feature that only v1.3 will have (the commit later fixes name).
  await land('frobnicator', 'feat: add the frobnicator', 'src/io.c', { 30: 'frobnicate()' });
  await sim.createBranch(REPO, 'v1.3', 'main');
  // v1.2 changed the line a later fix touches, so that fix conflicts there (not on v1.3).
  await sim.commitFiles(REPO, {
    branch: 'v1.2',
    files: { 'src/util.c': lines(40, { 10: 'line 10 (1.2 local)' }) },
    message: 'local change on 1.2',
  });

  await land('off-by-one', 'fix: off-by-one in calc', 'src/calc.c', { 5: 'line 5 fixed' }, []);
  await land('crash', 'fix: crash in util', 'src/util.c', { 10: 'line 10 fixed' });
  await land('leak', 'fix: leak in io', 'src/io.c', { 5: 'line 5 no leak' });
  // Someone already carried the leak fix to v1.2 with `git cherry-pick -x`.
  await sim.commitFiles(REPO, {
    branch: 'v1.2',
    files: { 'src/io.c': lines(40, { 5: 'line 5 no leak' }) },
    message: `fix: leak in io\n\n(cherry picked from commit ${sha.leak})\n`,
  });
  await land('docs', 'fix: typo in a comment', 'src/calc.c', { 12: 'line 12 spelled right' }, [
    'no-backport',
  ]);
  await land('only-old', 'fix: old parser path', 'src/calc.c', { 25: 'line 25 fixed' }, [
    'no-backport-to: v1.3',
  ]);
  await land(
    'frob-fix',
    `Repair the frobnicator\n\nFixes: ${sha.frobnicator!.slice(0, 12)} ("feat: add the frobnicator")`,
    'src/io.c',
    {
      31: 'frobnicate(safely)',
    },
  );
  await land('feature', 'feat: a new option', 'src/calc.c', { 35: 'line 35 option' });
  await land('empty-input', 'Handle empty input', 'src/util.c', { 20: 'line 20 guarded' }, ['bug']);
  await h.settle();
  reports = new Map((await h.ledger.store.missingFixes(REPO)).map((m) => [m.report.branch, m.report]));
  trackingBody = h.sim.issues(REPO).find((i) => i.title === 'Backport status')!.body!;
});
afterAll(() => h?.stop());

describe('missing fixes on the simulated GitHub', () => {
  it('reports each supported branch matched by the pattern, from its fork point', async () => {
    expect([...reports.keys()]).toEqual(['v1.2', 'v1.3']);
    expect(reports.get('v1.2')!.forkPoint).toBe(await h.sim.resolve(REPO, 'v1.2~2'));
    expect(reports.get('v1.3')!.forkPoint).toBe(sha.frobnicator);
  });

  it('lists fixes with no decision, and leaves out what is on the branch or decided', () => {
    const missing = (branch: string) => reports.get(branch)!.missing.map((m) => [m.subject, m.applies]);
    expect(missing('v1.2')).toEqual([
      ['Handle empty input (#4)', 'clean'],
      ['fix: old parser path (#3)', 'clean'],
      ['fix: crash in util', 'conflict'],
      ['fix: off-by-one in calc (#1)', 'clean'],
    ]);
    expect(missing('v1.3')).toEqual([
      ['Handle empty input (#4)', 'clean'],
      ['Repair the frobnicator', 'clean'],
      ['fix: leak in io', 'clean'],
      ['fix: crash in util', 'clean'],
      ['fix: off-by-one in calc (#1)', 'clean'],
    ]);
    // leak: cherry-picked to v1.2; docs: `no-backport`; old parser: `no-backport-to: v1.3`.
    expect(reports.get('v1.2')!.counts).toEqual({ fixes: 7, present: 1, decided: 1 });
    expect(reports.get('v1.3')!.counts).toEqual({ fixes: 7, present: 0, decided: 2 });
    const labelled = reports.get('v1.2')!.missing.find((m) => m.pr === pr['empty-input']);
    expect(labelled?.reasons).toEqual([{ kind: 'label', label: 'bug' }]);
  });

  it('needs a `Fixes: <sha>` fix only where the fixed commit is', () => {
    const short = sha.frobnicator!.slice(0, 12);
    expect(reports.get('v1.2')!.notNeeded).toEqual([
      { sha: sha['frob-fix'], pr: null, subject: 'Repair the frobnicator', fixes: [short] },
    ]);
    const onV13 = reports.get('v1.3')!.missing.find((m) => m.sha === sha['frob-fix']);
    expect(onV13?.fixesOnBranch).toEqual([short]);
    expect(reports.get('v1.3')!.notNeeded).toEqual([]);
  });

  it('shows the report in the tracking issue, with the apply check', () => {
    // Newest release first.
    expect(trackingBody.indexOf('## [`v1.3`]')).toBeLessThan(trackingBody.indexOf('## [`v1.2`]'));
    const v12 = trackingBody.slice(trackingBody.indexOf('## [`v1.2`]'));
    expect(v12).toContain('**0 open PRs · 0 conflicts · 4 missing fixes**');
    expect(v12).toContain('| Missing fix | Subject | Why it looks like a fix | Applies cleanly |');
    expect(v12).toMatch(/fix: crash in util \| fix: subject \| no, it conflicts \|/);
    expect(v12).toContain('Not needed on this branch, as it lacks the commit they fix:');
    const v13 = trackingBody.slice(trackingBody.indexOf('## [`v1.3`]'), trackingBody.indexOf('## [`v1.2`]'));
    expect(v13).toContain('5 missing fixes');
    expect(v13).toContain(`needed: the branch has \`${sha.frobnicator!.slice(0, 12)}\``);
    expect(trackingBody).not.toContain('feature-x');
    expect(h.sim.violations).toEqual([]);
  });

  it('shows the same report on the dashboard page', async () => {
    const res = await fetch(`${h.url}/backport/acme/widgets`);
    const html = await res.text();
    expect(res.status).toBe(200);
    const v12 = html.slice(html.indexOf('id="branch-v1.2"'));
    expect(v12).toContain('<th scope="col">Applies cleanly</th>');
    expect(v12).toMatch(
      /fix: crash in util<\/td>\s*<td>fix: subject<\/td>\s*<td><span class="applies conflict">no, it conflicts<\/span>/,
    );
    expect(v12).toContain('Not needed here, as the branch lacks the commit they fix');
  });

  it('drops a fix from the report once a backport of it is asked for', async () => {
    await h.sim.addLabel(REPO, pr['off-by-one']!, 'backport-to: v1.3', 'maint');
    await h.settle();
    const v13 = (await h.ledger.store.missingFixes(REPO)).find((m) => m.report.branch === 'v1.3')!.report;
    expect(v13.missing.map((m) => m.subject)).not.toContain('fix: off-by-one in calc (#1)');
    expect(v13.counts.decided).toBe(3);
    expect((await h.item(pr['off-by-one']!, 'v1.3'))?.state).toBe('pr-open');
    // Still missing on v1.2, where nobody asked for it.
    const v12 = (await h.ledger.store.missingFixes(REPO)).find((m) => m.report.branch === 'v1.2')!.report;
    expect(v12.missing.map((m) => m.subject)).toContain('fix: off-by-one in calc (#1)');
  });
});

describe('a branch that forked long ago', () => {
  const DEEP = 'acme/deep';
  const local = tempDir('bpa-deep-');
  afterAll(() => local.remove());

  it('fetches deeper until the fork point, and agrees with the CLI on the same history', async () => {
    // 150 commits on main since v0.9 forked (the first fetch brings 64), every tenth a fix.
    git(local.path, ['init', '-q', '-b', 'main']);
    const fi = new FastImport();
    const config = { '.github/backport.yml': 'branches: [v0.9]\n' };
    let parent = fi.commit(
      'refs/heads/main',
      { ...config, 'a.c': lines(40), 'b.c': lines(40) },
      { message: 'initial' },
    );
    fi.commit(
      'refs/heads/v0.9',
      { 'b.c': lines(40, { 3: 'line 3 (0.9)' }) },
      { parents: [parent], message: '0.9 only' },
    );
    for (let i = 1; i <= 150; i++) {
      const message = i % 10 === 0 ? `fix: problem ${i}` : `change ${i}`;
      parent = fi.commit(
        'refs/heads/main',
        { 'a.c': lines(40, { [(i % 40) + 1]: `line v${i}` }) },
        { parents: [parent], message },
      );
    }
    fi.run(local.path);
    git(local.path, ['reset', '-q', '--hard', 'main']);
    await h.sim.createRepo({ owner: 'acme', name: 'deep', from: local.path });

    await h.ledger.rebuild(DEEP);
    await h.settle();
    const [app] = (await h.ledger.store.missingFixes(DEEP)).map((m) => m.report);
    const cli = await runCli(['status', '--repo', local.path, '--branches', 'v0.9', '--json'], {
      cwd: local.path,
    });
    expect(cli.code).toBe(0);
    const [expected] = (JSON.parse(cli.stdout) as { branches: BranchMissingFixes[] }).branches;

    expect(app!.forkPoint).toBe(git(local.path, ['rev-parse', 'main~150']).trim());
    expect(app!.forkPoint).toBe(expected!.forkPoint);
    expect(app!.missing).toHaveLength(15);
    expect(app!.missing.map((m) => [m.sha, m.subject, m.applies])).toEqual(
      expected!.missing.map((m) => [m.sha, m.subject, m.applies]),
    );
    expect(app!.missing.some((m) => m.applies === 'clean')).toBe(true);
    expect(app!.missing.some((m) => m.applies === 'conflict')).toBe(true);
    // It took more than the first, shallow fetch.
    const fetches = h.sim.requestLog.filter(
      (r) => r.operationId === 'git/upload-pack' && r.path.includes('/deep'),
    );
    expect(fetches.length).toBeGreaterThan(2);
  });
});
