import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from './app-harness.js';
import { backportPulls, lines, makeRepo, mergedPull } from './world.js';

describe('the backport PR body tells the reviewer what differs from the original', () => {
  let h: Harness;
  let repo: string;
  beforeAll(async () => {
    h = await startHarness();
    repo = await makeRepo(h.sim, 'review', {
      files: { 'same.c': lines(20), 'shifted.c': lines(20), 'partial.c': lines(20) },
      branches: {
        // v1.2 has three more lines atop shifted.c, and one of partial.c's two fixes already.
        'v1.2': {
          'shifted.c': `header 1\nheader 2\nheader 3\n${lines(20)}`,
          'partial.c': lines(20, { 5: 'line 5 fixed' }),
        },
      },
    });
  });
  afterAll(() => h.stop());

  it('marks an identical file, one at other lines, and an adapted one with the diff of the patches', async () => {
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix',
      commits: [
        {
          'same.c': lines(20, { 10: 'line 10 fixed' }),
          'shifted.c': lines(20, { 10: 'line 10 fixed' }),
          'partial.c': lines(20, { 5: 'line 5 fixed', 15: 'line 15 fixed' }),
        },
      ],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();
    const body =
      backportPulls(h.sim, repo, 'v1.2').find((p) => (p.body ?? '').includes(`#${number}`))!.body ?? '';
    expect(body).toContain(
      `**What to review:** how this change differs from #${number}, file by file; 1 adapted.`,
    );
    expect(body).toContain('- `same.c`: identical to the original');
    expect(body).toContain('- `shifted.c`: the same change, at other lines or with other context');
    expect(body).toContain('- `partial.c`: **adapted**');
    // The original's hunk at line 5 is not in the backport: shown with an outer '-'.
    const details = body.slice(body.indexOf('<details><summary>`partial.c`'));
    expect(details).toContain('\n--line 5\n-+line 5 fixed\n');
    expect(details).not.toContain('line 15 fixed');
  });

  it('says at a glance that nothing was adapted in a clean pick', async () => {
    const { number } = await mergedPull(h.sim, repo, {
      branch: 'fix-2',
      commits: [{ 'same.c': lines(20, { 2: 'line 2 fixed', 10: 'line 10 fixed' }) }],
      labels: ['backport-to: v1.2'],
    });
    await h.idle();
    const body =
      backportPulls(h.sim, repo, 'v1.2').find((p) => (p.body ?? '').includes(`#${number}`))!.body ?? '';
    expect(body).toContain(
      `**What to review:** every file changes exactly as in #${number}; nothing was adapted.`,
    );
    expect(h.sim.violations).toEqual([]);
  });
});
