import type { Random } from '../support/random.js';
import { type AddScenario, join, single } from './scenario-types.js';
import { codeText, modify } from './text-tools.js';

/** Fixes already on the target, merge commits and series of commits, in this order. */
export function historyScenarios(rng: Random, add: AddScenario): void {
  alreadyApplied(rng, add);
  mergeCommits(rng, add);
  series(rng, add);
}

/** The fix is already on the target. */
function alreadyApplied(rng: Random, add: AddScenario): void {
  for (let v = 0; v < 5; v++) {
    const lines = codeText(rng, 30, `k${v}`);
    const fixed = join(modify(lines, 12, 1, 'fix'));
    const base = { 'core.c': join(lines) };
    add(
      'already applied',
      'the fix is already on the target',
      base,
      [{ 'core.c': fixed }],
      single({ 'core.c': fixed }),
    );
    add(
      'already applied',
      'the fix is there and the target moved on',
      base,
      [{ 'core.c': fixed }, { 'core.c': join(modify(modify(lines, 12, 1, 'fix'), 25, 1, 'later')) }],
      single({ 'core.c': fixed }),
    );
  }
}

/** Merge commits picked against either parent. */
function mergeCommits(rng: Random, add: AddScenario): void {
  for (let v = 0; v < 4; v++) {
    const lines = codeText(rng, 30, `g${v}`);
    const base = { 'main.c': join(lines), 'feature.c': 'feature\n', 'other.c': 'other\n' };
    add('merge commit', 'mainline 1 picks the feature side', base, [{ 'other.c': 'other changed\n' }], {
      kind: 'merge',
      mainlineChange: { 'main.c': join(modify(lines, 2, 1, 'ml')) },
      featureChange: { 'feature.c': 'feature v2\n', 'main.c': null },
      mainline: 1,
    });
    add('merge commit', 'mainline 1 conflicts with the target', base, [{ 'feature.c': 'target edit\n' }], {
      kind: 'merge',
      mainlineChange: { 'main.c': join(modify(lines, 2, 1, 'ml')) },
      featureChange: { 'feature.c': 'feature v2\n' },
      mainline: 1,
    });
    add('merge commit', 'mainline 2 picks the mainline side', base, [{ 'other.c': 'other changed\n' }], {
      kind: 'merge',
      mainlineChange: { 'main.c': join(modify(lines, 20, 1, 'ml')) },
      featureChange: { 'feature.c': 'feature v2\n' },
      mainline: 2,
    });
  }
}

/** Series of two commits. */
function series(rng: Random, add: AddScenario): void {
  for (let v = 0; v < 4; v++) {
    const lines = codeText(rng, 40, `s${v}`);
    const base = { 'a.c': join(lines), 'b.c': 'b\n' };
    const c1 = join(modify(lines, 5, 1, 'one'));
    const c2 = join(modify(modify(lines, 5, 1, 'one'), 30, 1, 'two'));
    add('series', 'two commits apply in order', base, [{ 'b.c': 'b2\n' }], {
      kind: 'series',
      changes: [{ 'a.c': c1 }, { 'a.c': c2 }],
    });
    add('series', 'second commit conflicts', base, [{ 'a.c': join(modify(lines, 30, 1, 'o')) }], {
      kind: 'series',
      changes: [{ 'a.c': c1 }, { 'a.c': c2 }],
    });
    add('series', 'first already applied, second applies', base, [{ 'a.c': c1 }], {
      kind: 'series',
      changes: [{ 'a.c': c1 }, { 'a.c': c2 }],
    });
  }
}
