import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GitServing, RequestLogEntry } from '../../tools/github-sim/index.js';
import { gitShow } from './git-async.js';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, makeRepo, mergedPull, openPull, statusRow } from './world.js';

/** The git requests of one job, by kind. */
function gitRequests(log: readonly RequestLogEntry[]) {
  const count = (test: (e: RequestLogEntry) => boolean) => log.filter(test).length;
  return {
    uploadPackInfoRefs: count((e) => e.operationId === 'git/info-refs' && e.path.includes('git-upload-pack')),
    uploadPack: count((e) => e.operationId === 'git/upload-pack'),
    receivePackInfoRefs: count(
      (e) => e.operationId === 'git/info-refs' && e.path.includes('git-receive-pack'),
    ),
    receivePack: count((e) => e.operationId === 'git/receive-pack'),
  };
}

/**
 * The git requests in order, one word each: `info/refs upload-pack`, `ls-refs`,
 * `fetch <filter> deepen <n> wants <n>`, `v0 …` (a protocol v0 upload-pack POST),
 * `info/refs receive-pack`, `receive-pack`.
 */
function gitSequence(log: readonly RequestLogEntry[]): string[] {
  const out: string[] = [];
  for (const e of log) {
    if (e.operationId === 'git/info-refs')
      out.push(`info/refs ${e.path.includes('git-receive-pack') ? 'receive-pack' : 'upload-pack'}`);
    else if (e.operationId === 'git/receive-pack') out.push('receive-pack');
    else if (e.operationId === 'git/upload-pack') {
      const u = e.upload!;
      if (u.command === 'ls-refs') out.push('ls-refs');
      else
        out.push(
          [
            u.command,
            u.filter ? `filter ${u.filter}` : 'whole',
            u.deepen !== undefined ? `deepen ${u.deepen}` : 'no-deepen',
            `wants ${u.wants}`,
          ].join(' '),
        );
    }
  }
  return out;
}

/**
 * Two backports of one repository in a row: the first fills the app's cache, the second is
 * the warm path. Returns the git requests of the second, and checks that both opened their PR.
 */
async function warmBackport(h: Harness, name: string) {
  const repo = await makeRepo(h.sim, name, {
    files: { 'src/calc.c': lines(30), 'README.md': 'calc\n' },
    branches: { 'v1.2': { 'NOTES.md': 'release notes\n' } },
  });
  const first = await mergedPull(h.sim, repo, {
    branch: 'fix-one',
    commits: [{ 'src/calc.c': lines(30, { 5: 'line 5 fixed' }) }],
    labels: ['backport-to: v1.2'],
  });
  await h.idle();
  expect(statusRow(h.sim, repo, first.number, 'v1.2').state).toBe('opened');
  const number = await openPull(h.sim, repo, {
    branch: 'fix-two',
    commits: [{ 'src/calc.c': lines(30, { 5: 'line 5 fixed', 25: 'line 25 fixed' }) }],
    labels: ['backport-to: v1.2'],
  });
  // The open PR's backport preview runs first: only the backport job is counted.
  await h.idle();
  const from = h.sim.requestLog.length;
  await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
  await h.idle();
  const second = { number };
  expect(statusRow(h.sim, repo, second.number, 'v1.2').state).toBe('opened');
  const [pull] = backportPulls(h.sim, repo, 'v1.2').filter((p) =>
    p.pull!.headRef.includes(`${second.number}-`),
  );
  const tip = (await h.sim.resolve(repo, `refs/heads/${pull!.pull!.headRef}`))!;
  expect(await gitShow(h.sim.repoPath(repo), `${tip}:src/calc.c`)).toContain('line 25 fixed');
  expect(await gitShow(h.sim.repoPath(repo), `${tip}:NOTES.md`)).toBe('release notes\n');
  return gitRequests(h.sim.requestLog.slice(from));
}

describe.each<[string, Partial<GitServing>]>([
  ['protocol v2 with filter (as GitHub)', {}],
  ['protocol v2 without filter', { allowFilter: false }],
  ['the original protocol only', { protocolV2: false }],
])('a warm backport makes one ref discovery, one fetch and one look beside the push: %s', (_name, git) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ git });
  });
  afterAll(() => h.stop());

  it('asks for refs once, fetches the merge once, and the unchanged target not at all', async () => {
    const requests = await warmBackport(h, 'warm');
    const v2 = git.protocolV2 !== false;
    expect(requests).toEqual({
      // v2: the capabilities are known from the first job, so `ls-refs` is the one discovery
      // (an upload-pack POST); v0: the one GET of info/refs. The push's discovery is asked
      // beside it, before the target's tip is known, so the target alone is looked at again
      // beside the push: one more `ls-refs` (v2) or GET (v0), on no request's way.
      uploadPackInfoRefs: v2 ? 0 : 2,
      uploadPack: v2 ? 3 : 1,
      receivePackInfoRefs: 1,
      receivePack: 1,
    });
    expect(h.sim.violations).toEqual([]);
  });
});

describe.each<[string, Partial<GitServing>]>([
  ['protocol v2 with filter (as GitHub)', {}],
  ['protocol v2 without filter', { allowFilter: false }],
  ['the original protocol only', { protocolV2: false }],
])('a conflicting pick makes one ref discovery and one push discovery: %s', (_name, git) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ git });
  });
  afterAll(() => h.stop());

  /**
   * Opens a pull request whose change conflicts on v1.2, lets its preview run (it fills the
   * cache), merges it, and gives the requests of the backport job alone.
   */
  async function mergeConflicting(repo: string, i: number, temperature: string) {
    const number = await openPull(h.sim, repo, {
      branch: `fix-${temperature}`,
      commits: [{ 'src/calc.c': lines(30, { 5: `line 5 fixed ${i}` }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();
    const from = h.sim.requestLog.length;
    await h.sim.mergePull({ repo, number, method: 'squash', mergedBy: 'maint' });
    await h.idle();
    expect(statusRow(h.sim, repo, number, 'v1.2').state).toBe('conflict');
    return h.sim.requestLog.slice(from);
  }

  it('files its issue after one ls-refs (or one info/refs) and one look at the target, warm and cold', async () => {
    const repo = await makeRepo(h.sim, 'conflict', {
      files: { 'src/calc.c': lines(30), 'README.md': 'calc\n' },
      branches: { 'v1.2': { 'src/calc.c': lines(30, { 5: 'line 5 on v1.2' }) } },
    });
    const v2 = git.protocolV2 !== false;
    // v2: the `ls-refs` (a GET of info/refs only learns the capabilities); v0: the one GET.
    const discovery = v2 ? 'ls-refs' : 'info/refs upload-pack';
    const discoveries = (log: readonly RequestLogEntry[]) =>
      gitSequence(log).filter((r) => r === discovery).length;
    for (const [i, temperature] of ['cold', 'warm'].entries()) {
      const log = await mergeConflicting(repo, i, temperature);
      // The job's one discovery, and the look at the target alone before the issue is filed
      // (one more `ls-refs`, or GET in v0): an issue no push has checked is never filed on a
      // tip the target has left (see conflict-race.test.ts).
      expect({ temperature, discoveries: discoveries(log), sequence: gitSequence(log) }).toEqual({
        temperature,
        discoveries: 2,
        sequence: expect.any(Array),
      });
      // The push's discovery, asked beside the job's (before the pick could say it conflicts),
      // and never again: an issue pushes nothing.
      expect({ temperature, ...pushRequests(log) }).toEqual({ temperature, discoveries: 1, pushes: 0 });
    }
    expect(h.sim.violations).toEqual([]);
  });

  it("pushes its draft after one push discovery, the one asked beside the job's", async () => {
    const repo = await makeRepo(h.sim, 'conflict-draft', {
      files: { 'src/calc.c': lines(30), 'README.md': 'calc\n' },
      config: 'conflict: draft-pr\n',
      branches: { 'v1.2': { 'src/calc.c': lines(30, { 5: 'line 5 on v1.2' }) } },
    });
    for (const [i, temperature] of ['cold', 'warm'].entries()) {
      const log = await mergeConflicting(repo, i, temperature);
      expect(backportPulls(h.sim, repo, 'v1.2').filter((p) => p.pull!.draft)).toHaveLength(i + 1);
      expect({ temperature, ...pushRequests(log) }).toEqual({ temperature, discoveries: 1, pushes: 1 });
    }
    expect(h.sim.violations).toEqual([]);
  });
});

/** The receive-pack requests: discoveries (`GET info/refs`) and pushes (`POST`). */
function pushRequests(log: readonly RequestLogEntry[]) {
  const sequence = gitSequence(log);
  return {
    discoveries: sequence.filter((r) => r === 'info/refs receive-pack').length,
    pushes: sequence.filter((r) => r === 'receive-pack').length,
  };
}

describe.each<[string, Partial<GitServing>]>([
  ['protocol v2 with filter (as GitHub)', {}],
  ['protocol v2 without filter', { allowFilter: false }],
  ['the original protocol only', { protocolV2: false }],
])('the backport preview fetches as a backport does: %s', (_name, git) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ git });
  });
  afterAll(() => h.stop());

  it('on an empty cache: one discovery, commits and trees, then the blobs the pick reads', async () => {
    // Random bytes do not compress: fetched or not, the bytes say so.
    const big = randomBytes(300_000).toString('base64');
    const repo = await makeRepo(h.sim, 'preview', {
      files: { 'src/calc.c': lines(30), 'assets/big.txt': big },
      // v1.2 changed calc.c too (elsewhere): the pick merges its lines, so it reads its blobs.
      branches: { 'v1.2': { 'src/calc.c': lines(30, { 25: 'line 25 on v1.2' }) } },
    });
    const from = h.sim.requestLog.length;
    const bytesBefore = h.sim.stats.gitUploadBytes;
    const number = await openPull(h.sim, repo, {
      branch: 'fix',
      commits: [{ 'src/calc.c': lines(30, { 5: 'line 5 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();
    const head = h.sim.pulls(repo).find((p) => p.number === number)!.pull!.headSha;
    const [run] = (await h.sim.checkRuns(repo, head)).filter((r) => r.name === 'Backport preview');
    expect(run!.output!.summary).toContain('- ✅ applies cleanly to `v1.2`');
    const fetched = h.sim.stats.gitUploadBytes - bytesBefore;
    const sequence = gitSequence(h.sim.requestLog.slice(from));
    if (git.protocolV2 === false) {
      expect(sequence).toEqual(['info/refs upload-pack', 'v0 whole deepen 2 wants 2']);
    } else if (git.allowFilter === false) {
      expect(sequence).toEqual(['info/refs upload-pack', 'ls-refs', 'fetch whole deepen 2 wants 2']);
    } else {
      expect(sequence).toEqual([
        'info/refs upload-pack',
        'ls-refs',
        // The test merge and v1.2, two deep, without blobs...
        'fetch filter blob:none deepen 2 wants 2',
        // ...then calc.c at the base, in the change and on v1.2, in one batch.
        'fetch whole no-deepen wants 3',
      ]);
    }
    // Without filter the whole tip comes, big file included; with it, not.
    if (git.protocolV2 !== false && git.allowFilter !== false) expect(fetched).toBeLessThan(100_000);
    else expect(fetched).toBeGreaterThan(300_000);
    expect(h.sim.violations).toEqual([]);
  });
});
