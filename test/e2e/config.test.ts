import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findMarker } from '../../src/render/marker.js';
import { startHarness, type Harness } from './app-harness.js';
import { gitShow } from './git-async.js';
import {
  backportPulls,
  botComments,
  conflictIssues,
  expectNoTokenLeak,
  lines,
  makeRepo,
  mergedPull,
  openPull,
  statusComments,
  statusRow,
} from './world.js';

/** A REST call as the app's installation would make it (for set-up the test API lacks). */
async function rest(h: Harness, method: string, path: string, body?: unknown): Promise<unknown> {
  const token = h.sim.createInstallationToken('acme');
  const res = await fetch(`${h.sim.apiUrl}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return res.json();
}

describe('.github/backport.yml shapes what the app makes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('custom labelPattern, targetBranch, branchName, title, labels, copyLabels, copyAssignees, requestReviewers', async () => {
    const repo = await makeRepo(h.sim, 'custom', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'release/1.2': null },
      config: [
        "labelPattern: '^backport (?<target>\\d+\\.\\d+)$'",
        "label: 'backport {target}'",
        "targetBranch: 'release/{target}'",
        "branchName: 'bp/pr-{number}/{target}'",
        "title: 'Backport #{number} to {branch}: {title}'",
        'labels: [backport, automated]',
        "copyLabels: ['^area/']",
        'copyAssignees: true',
        "requestReviewers: ['{merger}', '@carol']",
      ].join('\n'),
    });
    h.sim.addCollaborator(repo, 'carol', 'write');
    const number = await openPull(h.sim, repo, {
      branch: 'fix',
      title: 'Fix overflow',
      labels: ['backport 1.2', 'area/core', 'bug', 'backport-to: 1.2'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
    });
    await rest(h, 'POST', `/repos/${repo}/issues/${number}/assignees`, { assignees: ['alice'] });
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();

    const pulls = backportPulls(h.sim, repo);
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull.title).toBe(`Backport #${number} to release/1.2: Fix overflow`);
    expect(pull.pull!.headRef).toBe(`bp/pr-${number}/1.2`);
    expect(pull.pull!.baseRef).toBe('release/1.2');
    // Only `area/*` is copied: never the request label, nor labels outside copyLabels.
    expect([...pull.labels].sort()).toEqual(['area/core', 'automated', 'backport']);
    expect(pull.assignees).toEqual(['alice']);
    expect([...pull.pull!.requestedReviewers].sort()).toEqual(['carol', 'maint']);
    expect(pull.body).toContain('assignees @&#8203;alice');
    expect(statusRow(h.sim, repo, number, '1.2')).toMatchObject({ state: 'opened', branch: 'release/1.2' });
    expect(h.sim.pushLog.filter((p) => p.repo === repo).map((p) => p.ref)).toEqual([
      `refs/heads/bp/pr-${number}/1.2`,
    ]);
    expect(h.sim.violations).toEqual([]);
  });

  it('copyAssignees: false, requestReviewers: [] and labels: [] leave the backport bare', async () => {
    const repo = await makeRepo(h.sim, 'bare', {
      files: { 'src/calc.c': lines(20) },
      branches: { 'v1.2': null },
      config: 'copyAssignees: false\nrequestReviewers: []\nlabels: []\ncopyLabels: [".*"]\n',
    });
    const number = await openPull(h.sim, repo, {
      branch: 'fix',
      labels: ['backport-to: v1.2', 'bug'],
      commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
    });
    await rest(h, 'POST', `/repos/${repo}/issues/${number}/assignees`, { assignees: ['alice'] });
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    const [pull] = backportPulls(h.sim, repo);
    expect(pull!.labels).toEqual(['bug']);
    expect(pull!.assignees).toEqual([]);
    expect(pull!.pull!.requestedReviewers).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it('copyMilestone: the milestone is asked for on the backport (the simulator has no milestones)', async () => {
    // GitHub's answer for the source PR gets a milestone; what the app then asks for is observed.
    const patches: Array<{ path: string; body: Record<string, unknown> }> = [];
    let repo = '';
    let source = 0;
    h.onFetch(async (req, response) => {
      if (!repo || !req.url.pathname.startsWith(`/repos/${repo}/`)) return undefined;
      if (req.method === 'PATCH' && req.body)
        patches.push({ path: req.url.pathname, body: JSON.parse(req.body) });
      if (req.method !== 'GET' || req.url.pathname !== `/repos/${repo}/pulls/${source}`) return undefined;
      const json = (await response.json()) as Record<string, unknown>;
      const milestone = { number: 3, title: '1.2.1', state: 'open' };
      return Response.json({ ...json, milestone }, { status: response.status, headers: response.headers });
    });
    for (const copy of [true, false]) {
      patches.length = 0;
      repo = await makeRepo(h.sim, 'milestone', {
        files: { 'src/calc.c': lines(20) },
        branches: { 'v1.2': null },
        config: `copyMilestone: ${copy}\n`,
      });
      ({ number: source } = await mergedPull(h.sim, repo, {
        branch: 'fix',
        labels: ['backport-to: v1.2'],
        commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
      }));
      await h.idle();
      const [pull] = backportPulls(h.sim, repo);
      const asked = patches.filter(
        (p) => p.path === `/repos/${repo}/issues/${pull!.number}` && 'milestone' in p.body,
      );
      expect(asked.map((p) => p.body.milestone)).toEqual(copy ? [3] : []);
      if (copy) expect(pull!.body).toContain('milestone `1.2.1`');
      else expect(pull!.body).not.toContain('milestone `');
    }
    repo = '';
    expect(h.sim.violations).toEqual([]);
  });

  const conflicting = (config: string) =>
    makeRepo(h.sim, 'conflict', {
      files: { 'src/calc.c': lines(20), 'src/ok.c': lines(5) },
      branches: { 'v1.1': { 'src/calc.c': lines(20, { 7: 'line 7 (1.1 hotfix)' }) } },
      config,
    });
  const conflictingFix = {
    branch: 'fix',
    title: 'Fix overflow',
    labels: ['backport-to: v1.1'],
    commits: [{ 'src/calc.c': lines(20, { 7: 'line 7 fixed' }), 'src/ok.c': lines(5, { 1: 'ok fixed' }) }],
  };

  /** The draft's tip holds diff3 markers around the conflicting lines, and the clean file merged. */
  async function expectMarkerDraft(repo: string, number: number) {
    const drafts = backportPulls(h.sim, repo, 'v1.1');
    expect(drafts).toHaveLength(1);
    const draft = drafts[0]!;
    expect(draft.pull!.draft).toBe(true);
    expect(draft.title).toContain('DRAFT with conflicts');
    expect(draft.body).toMatch(/^> \[!CAUTION\]\n> \*\*Do not merge this pull request as it is\.\*\*/);
    expect(draft.body).toContain('- `src/calc.c` (content)');
    expect(draft.labels).toEqual(['backport-conflict']);
    const tip = (await h.sim.resolve(repo, `refs/heads/backport/${number}-to-v1.1`))!;
    const text = await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`);
    expect(text).toMatch(
      /^<<<<<<< v1\.1\nline 7 \(1\.1 hotfix\)\n\|\|\|\|\|\|\| parent of [0-9a-f]{7} .*\nline 7\n=======\nline 7 fixed\n>>>>>>> [0-9a-f]{7} .*$/m,
    );
    expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/ok.c`)).toBe(lines(5, { 1: 'ok fixed' }));
    const parent = (await h.sim.resolve(repo, `${tip}~1`))!;
    expect(parent).toBe(await h.sim.resolve(repo, 'refs/heads/v1.1'));
    return draft;
  }

  it('conflict: draft-pr opens a draft holding diff3 markers, clearly marked, and files no issue', async () => {
    const repo = await conflicting('conflict: draft-pr\n');
    const { number } = await mergedPull(h.sim, repo, conflictingFix);
    await h.idle();
    const draft = await expectMarkerDraft(repo, number);
    expect(conflictIssues(h.sim, repo)).toEqual([]);
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'conflict',
      draft: { number: draft.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('conflict: both files the issue and the draft, each pointing at the other', async () => {
    const repo = await conflicting('conflict: both\n');
    const { number } = await mergedPull(h.sim, repo, conflictingFix);
    await h.idle();
    const draft = await expectMarkerDraft(repo, number);
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(issue!.body).toContain(`A draft with conflict markers is on`);
    expect(issue!.body).toContain(`#${draft.number}`);
    expect(issue!.body).toContain('Do not merge it before every marker is resolved.');
    expect(statusRow(h.sim, repo, number, 'v1.1')).toMatchObject({
      state: 'conflict',
      link: { number: issue!.number },
      draft: { number: draft.number },
    });
    expect(h.sim.violations).toEqual([]);
  });

  it('conflictLabels and assignOnConflict go onto the conflict issue', async () => {
    const repo = await conflicting(
      "conflictLabels: [needs-hand, 'backport: manual']\nassignOnConflict: ['{merger}', alice, nobody-here]\n",
    );
    const { number } = await mergedPull(h.sim, repo, { ...conflictingFix, author: 'alice' });
    await h.idle();
    const [issue] = conflictIssues(h.sim, repo, 'v1.1');
    expect(issue!.labels).toEqual(['needs-hand', 'backport: manual']);
    // GitHub silently drops people who cannot be assigned; the others are.
    expect([...issue!.assignees].sort()).toEqual(['alice', 'maint']);
    expect(statusRow(h.sim, repo, number, 'v1.1').state).toBe('conflict');
    expect(h.sim.violations).toEqual([]);
  });

  it('maxFiles: a change touching more files than allowed is refused with a clear message', async () => {
    const repo = await makeRepo(h.sim, 'maxfiles', {
      files: { 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' },
      branches: { 'v1.2': null },
      config: 'maxFiles: 2\n',
    });
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'big',
      labels: ['backport-to: v1.2'],
      commits: [{ 'a.txt': 'A\n', 'b.txt': 'B\n', 'c.txt': 'C\n' }],
    });
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'v1.2')).toMatchObject({
      state: 'failed',
      error: {
        code: 'too-many-files',
        message:
          'The change touches 3 files, more than maxFiles (2) allows; backport it by hand or raise maxFiles.',
      },
    });
    expect(backportPulls(h.sim, repo)).toEqual([]);
    expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
    expect(h.sim.violations).toEqual([]);
  });

  it.each([
    ['a wrong type', 'maxFiles: many\n', /`maxFiles` must be a whole number, got "many"/],
    ['an unknown key', 'lables: [backport]\n', /unknown key `lables` \(did you mean `labels`\?\)/],
    [
      'a regex that does not compile',
      "labelPattern: '^backport-to: (?<target>[a-z'\n",
      /`labelPattern` is not a valid regular expression/,
    ],
    [
      'a regex without a target group',
      "labelPattern: '^backport-to: (\\S+)$'\n",
      /`labelPattern` has no named group `target`/,
    ],
    [
      'a YAML syntax error',
      'labels: [backport\nmaxFiles: 3\n',
      /`\.github\/backport\.yml` is not valid YAML: Flow sequence .* at line 2, column 1$/m,
    ],
  ])(
    'invalid config (%s): one clear comment naming the problem, and nothing else',
    async (_, config, problem) => {
      const repo = await makeRepo(h.sim, 'invalid', {
        files: { 'src/calc.c': lines(20) },
        branches: { 'v1.2': null },
        config,
      });
      const { number } = await mergedPull(h.sim, repo, {
        branch: 'fix',
        labels: ['backport-to: v1.2'],
        commits: [{ 'src/calc.c': lines(20, { 7: 'fixed' }) }],
      });
      await h.idle();
      // A second event and a /backport command do not add comments or guess labels.
      await h.sim.addLabel(repo, number, 'backport-to: v1.3', 'maint');
      await h.sim.comment(repo, number, '/backport v1.4', 'maint');
      await h.idle();

      const comments = botComments(h.sim, repo, number);
      expect(comments).toHaveLength(1);
      expect(findMarker(comments[0]!.body, 'config-error')).toEqual({ type: 'config-error', source: number });
      expect(comments[0]!.body).toContain(
        '**Backport Assistant cannot use `.github/backport.yml`**, so no backport was started.',
      );
      expect(comments[0]!.body).toMatch(problem);
      expect(statusComments(h.sim, repo, number)).toEqual([]);
      expect(
        h.sim
          .pulls(repo)
          .find((p) => p.number === number)!
          .labels.sort(),
      ).toEqual(['backport-to: v1.2', 'backport-to: v1.3']);
      expect(backportPulls(h.sim, repo)).toEqual([]);
      expect(conflictIssues(h.sim, repo)).toEqual([]);
      expect(h.sim.pushLog.filter((p) => p.repo === repo)).toEqual([]);
      expect(h.sim.violations).toEqual([]);
    },
  );

  it('leaks no token into any log line or body the app wrote', () => {
    expectNoTokenLeak(h.sim, h.logs);
  });
});
